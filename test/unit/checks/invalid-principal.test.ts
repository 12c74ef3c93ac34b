import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings } from '../../support/fixture';
import { yamlKeyTemplate } from '../../support/cfnYaml';

const only = ['invalid-principal'];
const keyPolicy = (principal: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": ${principal}, "Action": "kms:Decrypt", "Resource": "*"}]}`;
const trust = (principal: string) => `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": ${principal}, "Action": "sts:AssumeRole"}]}`;

test('invalid-principal: valid AWS principals', () => {
  expectFindings(keyPolicy(`{"AWS": ["*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/path/ExampleRole",
    "arn:aws:iam::111122223333:user/Alice", "arn:aws:sts::111122223333:assumed-role/ExampleRole/session", "arn:aws:sts::111122223333:federated-user/Bob",
    "arn:aws-cn:iam::111122223333:root", "arn:aws-us-gov:iam::111122223333:role/R", "AROA1234567890EXAMPLE", "AIDACKCEVSQ6C2EXAMPLE",
    "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C"]}`), { only });
  expectFindings(keyPolicy(`"*"`), { only });
});

test('invalid-principal: malformed AWS principals, range is the value', () => {
  expectFindings(keyPolicy(`{"AWS": [«invalid-principal:"11112222333"», «invalid-principal:"arn:aws:iam::111122223333:role/*"»,
    «invalid-principal:"arn:aws:iam::ACCOUNT_ID:root"», «invalid-principal:"arn:aws:iam::111122223333:group/Admins"»,
    «invalid-principal:"arn:aws:iam:us-east-1:111122223333:root"», «invalid-principal:"arn:aws:s3:::bucket"»,
    «invalid-principal:"arn:aws:iam::*:root"», «invalid-principal:"root"», «invalid-principal:"arn:aws:sts::111122223333:assumed-role/OnlyRole"»]}`), { only });
});

test('invalid-principal: a bare string other than "*" is one finding (the grammar leaves it here), fixed by naming its principal type', () => {
  const r = expectFindings(keyPolicy(`«invalid-principal:"arn:aws:iam::111122223333:root"»`), { only });
  assert.equal(r.findings[0].message, 'A Principal written as a string must be "*": name other principals in an object. Write {"AWS": "arn:aws:iam::111122223333:root"}.');
  // Every check on: this one finding at the Principal, no schema finding beside it.
  const all = checkText('key.json', keyPolicy(`"arn:aws:iam::111122223333:root"`), { binding: { kind: 'kms-key-policy' } }).findings;
  assert.deepEqual(all.filter((f) => f.span.offset === keyPolicy('').indexOf('Principal') + 'Principal": '.length).map((f) => f.checkId), ['invalid-principal']);
  assert.deepEqual(checkText('trust.json', trust(`"arn:aws:iam::111122223333:root"`), { binding: { kind: 'iam-trust-policy' } }).findings.map((f) => f.checkId), ['invalid-principal']);
  const fixed = applyEdits(keyPolicy(`"arn:aws:iam::111122223333:root"`), r.findings[0].fixes![0].changes[0].edits);
  assert.equal(fixed, keyPolicy(`{"AWS": "arn:aws:iam::111122223333:root"}`));
  expectFindings(fixed, { only });
  // A service principal goes under Service; a value valid under no type gets no fix.
  const service = expectFindings(trust(`«invalid-principal:"ec2.amazonaws.com"»`), { only });
  assert.equal(applyEdits(trust(`"ec2.amazonaws.com"`), service.findings[0].fixes![0].changes[0].edits), trust(`{"Service": "ec2.amazonaws.com"}`));
  assert.equal(expectFindings(keyPolicy(`«invalid-principal:"everyone"»`), { only }).findings[0].fixes, undefined);
});

test('invalid-principal: service principals', () => {
  expectFindings(trust(`{"Service": ["ec2.amazonaws.com", "logs.us-east-1.amazonaws.com", "elasticmapreduce.amazonaws.com.cn", "alexa-appkit.amazon.com"]}`), { only });
  expectFindings(trust(`{"Service": [«invalid-principal:"ec2"», «invalid-principal:"*.amazonaws.com"», «invalid-principal:"arn:aws:iam::111122223333:role/R"»]}`), { only });
});

test('invalid-principal: federated principals', () => {
  expectFindings(trust(`{"Federated": ["cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com",
    "arn:aws:iam::111122223333:saml-provider/Okta", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]}`), { only });
  expectFindings(trust(`{"Federated": [«invalid-principal:"arn:aws:iam::111122223333:role/R"», «invalid-principal:"okta"»]}`), { only });
});

test('invalid-principal: canonical users and unknown principal types', () => {
  expectFindings(keyPolicy(`{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`), { only });
  expectFindings(keyPolicy(`{"CanonicalUser": «invalid-principal:"79a59df9"», «invalid-principal:"aws"»: "111122223333", «invalid-principal:"User"»: "x"}`), { only });
});

test('invalid-principal: NotPrincipal values are checked too; intrinsics are skipped', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": «invalid-principal:"1234"»}, "Action": "kms:*", "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root"}}, "Action": "kms:*", "Resource": "*"}]}`, { only });
});

test('invalid-principal: embedded get-key-policy output maps the range into the string', () => {
  expectFindings(String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": «invalid-principal:\"arn:aws:iam::111122223333:role/*\"»}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}"}`, { only });
});

test('invalid-principal: an unquoted YAML account id with a leading zero loses it; the fix quotes it in YAML style', () => {
  const template = (principal: string) => yamlKeyTemplate(`- Effect: Allow
  Principal:
    AWS: ${principal}
  Action: kms:*
  Resource: '*'`);
  const result = expectFindings(template('[«invalid-principal:012345678901», 444455556666]'), { only, file: 'template.yaml' });
  const finding = result.findings.find((f) => f.checkId === 'invalid-principal')!;
  assert.equal(finding.message, "012345678901 is an unquoted number, not an account id: quote it ('012345678901'). YAML readers drop the leading zero (this product reads 12345678901) or, reading YAML 1.1, take digits 0–7 as octal, so the account CloudFormation sees is not the one written.");
  const fixed = applyEdits(result.discovered!.json.text, finding.fixes![0].changes[0].edits);
  assert.equal(fixed, template("['012345678901', 444455556666]"));
  expectFindings(fixed, { only, file: 'template.yaml' });
  // Quoted, or without a leading zero: the account as written.
  expectFindings(template('"012345678901"'), { only, file: 'template.yaml' });
  expectFindings(template('444455556666'), { only, file: 'template.yaml' });
});
