import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['policy-variable-syntax'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };
const policy = (statement: string, version = '"Version": "2012-10-17", ') => `{${version}"Statement": [${statement}]}`;
const messages = (r: ReturnType<typeof expectFindings>) => r.findings.filter((f) => f.checkId === only[0]).map((f) => f.message);

test('policy-variable-syntax: well-formed variables, defaults and escapes are fine', () => {
  expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::bucket/\${aws:username}/*", "arn:aws:s3:::b/\${*}\${?}\${$}"],
    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "\${aws:PrincipalTag/dept, 'company-wide'}", "s3:prefix": "\${aws:username,'x'}"}}}`), identity);
});

test('policy-variable-syntax: missing brace (MISSING_BRACE_IN_VARIABLE)', () => {
  const r = expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/«policy-variable-syntax:\${aws:username/*»"}`), identity);
  assert.deepEqual(messages(r), ['The policy variable "${aws:username/*" has no closing brace: add } after the variable text.']);
  expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/«policy-variable-syntax:\${aws:username/»\${aws:userid}"}`), identity);
});

test('policy-variable-syntax: empty variable (EMPTY_VARIABLE)', () => {
  const r = expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringLike": {"s3:prefix": ["home/«policy-variable-syntax:\${}»", "«policy-variable-syntax:\${ }»/x"]}}}`), identity);
  assert.deepEqual(messages(r), ['Empty policy variable "${}": remove it or name a variable inside it.', 'Empty policy variable "${ }": remove it or name a variable inside it.']);
});

test('policy-variable-syntax: a space in the variable text (UNSUPPORTED_SPACE_IN_VARIABLE), with the fix that removes it', () => {
  const marked = policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/«policy-variable-syntax:\${aws: username}»/*"}`);
  const r = expectFindings(marked, identity);
  assert.deepEqual(messages(r), ['A space is not supported in the policy variable text "${aws: username}": remove it.']);
  const fixed = applyEdits(marked.replace(/«policy-variable-syntax:|»/g, ''), r.findings[0].fixes![0].changes[0].edits);
  assert.equal(fixed, policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/\${aws:username}/*"}`));
  expectFindings(fixed, identity);
});

test('policy-variable-syntax: a default value without single quotes (MISSING_QUOTE_IN_VARIABLE)', () => {
  const r = expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "«policy-variable-syntax:\${aws:PrincipalTag/dept, company-wide'}»"}}}`), identity);
  assert.deepEqual(messages(r), ['The default value of the policy variable "${aws:PrincipalTag/dept, company-wide\'}" must begin and end with a single quote: ${aws:PrincipalTag/dept, \'default\'}.']);
});

test('policy-variable-syntax: a variable in Action, Principal or Sid (VARIABLE_UNSUPPORTED_IN_ELEMENT); template placeholders are not', () => {
  const r = expectFindings(policy(`{"Sid": "x«policy-variable-syntax:\${aws:username}»", "Effect": "Allow", "Action": "s3:«policy-variable-syntax:\${aws:PrincipalTag/action}»", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/«policy-variable-syntax:\${aws:username}»"}, "Action": "kms:Decrypt", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:\${action}", "Resource": "*"}`), { only });
  assert.deepEqual(messages(r)[1], 'Policy variables are replaced only in the Resource and Condition elements: ${aws:PrincipalTag/action} in Action is literal text. Remove it from this element.');
});

test('policy-variable-syntax: without Version 2012-10-17 ${…} is literal text', () => {
  expectFindings(policy(`{"Effect": "Allow", "Action": "s3:\${aws:username}", "Resource": "arn:aws:s3:::bucket/\${aws: username"}`, '"Version": "2008-10-17", '), identity);
  expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/\${}"}`, ''), identity);
});

test('policy-variable-syntax: embedded get-key-policy output maps the range through the string', () => {
  const empty = '$' + '{}';
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/a\": \"«policy-variable-syntax:${empty}»\"}}}]}"}`, { only, file: 'key.json' });
});

test('policy-variable-syntax: a variable written with escapes is read as its value', () => {
  // "\u0024{" is "${": the text has no "${", the value has.
  const r = expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/«policy-variable-syntax:\\u0024{aws:username/*»"}`), identity);
  assert.deepEqual(messages(r), ['The policy variable "${aws:username/*" has no closing brace: add } after the variable text.']);
  expectFindings(policy(`{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "«policy-variable-syntax:$\\u007baws:username}»", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}`), identity);
});
