import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, type EngineOptions } from '../../../server/src/core/engine';
import { parseJson } from '../../../server/src/core/json/jsonDocument';
import { readStatements } from '../../../server/src/core/model/policyDocument';
import { statementConditions } from '../../../server/src/core/model/conditions';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';
import { yamlKeyTemplate } from '../../support/cfnYaml';

const only = ['schema'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };
const trust = { only, binding: { kind: 'iam-trust-policy' as const } };

/** Apply the first fix of the `pick`-th `schema` finding and return the new text. */
function fixed(text: string, options: EngineOptions = {}, pick = 0): string {
  const f = checkText('fixture.json', text, options).findings.filter((x) => x.checkId === 'schema')[pick];
  assert.ok(f?.fixes?.length, 'expected a finding with a fix');
  return applyEdits(text, f.fixes![0].changes[0].edits);
}

test('schema: valid key, identity, trust and unknown-kind policies', () => {
  expectFindings(`{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
  {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root"], "Service": "logs.amazonaws.com"}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
   "Condition": {"StringEquals": {"kms:CallerAccount": "444455556666"}, "Bool": {"kms:GrantIsForAWSResource": true}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": ["sts:AssumeRoleWithWebIdentity"]}]}`, trust);
  expectFindings(`{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}`, { only });
});

test('schema: unknown elements are reported on the key', () => {
  expectFindings(`{"Version": "2012-10-17", «schema:"Statment"»: [], "Statement": [
  {"Effect": "Allow", «schema:"Actions"»: "s3:GetObject", "Action": "s3:GetObject", "Resource": "*", «schema:"Conditon"»: {}}]}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {«schema:"Aws"»: "111122223333"}, "Action": "kms:*", "Resource": "*"}]}`, { only });
});

test('schema: missing elements are reported on the object that lacks them', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  «schema:{"Action": "s3:GetObject", "Resource": "*"}»,
  «schema:{"Effect": "Allow", "Resource": "*"}»,
  «schema:{"Effect": "Allow", "Action": "s3:GetObject"}»]}`, identity);
  // A statement missing Effect and Action: two findings on the same object.
  expectFindings(`{"Version": "2012-10-17", "Statement": [«schema:«schema:{"Resource": "*"}»»]}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [«schema:{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}»]}`, trust);
});

test('schema: key policies leave Action/Resource to statement-has-no-effect and the principal to principal-missing', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}},
  {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`, { only, binding: { kind: 'kms-key-policy' } });
});

test('schema: identity policies leave Principal to principal-not-allowed', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", «principal-not-allowed:"Principal"»: 42, "Action": "s3:GetObject", "Resource": "*"}]}`,
    { ...identity, only: ['schema', 'principal-not-allowed'] });
});

test('schema: both elements of a pair are reported once, on the second', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", «schema:"NotAction"»: "s3:PutObject", "Resource": "*", «schema:"NotResource"»: "*"}]}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, «schema:"Principal"»: "*", "Action": "kms:*", "Resource": "*"}]}`, { only, binding: { kind: 'kms-key-policy' } });
});

test('schema: wrong types and values are reported on the value', () => {
  expectFindings(`{"Version": «schema:"2012-10-18"», "Id": «schema:7», "Statement": [
  {"Sid": «schema:1», "Effect": «schema:"Permit"», "Action": ["s3:GetObject", «schema:5», «schema:"s3"», «schema:"s3:Get:Object"»], "Resource": «schema:{"arn": "x"}»,
   "Condition": {"StringEquals": «schema:"aws:PrincipalAccount"»}},
  {"Effect": "Allow", "Action": «schema:"GetObject"», "Resource": «schema:true», "Condition": «schema:[]»},
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": «schema:null», "s3:prefix": ["a", «schema:{"b": 1}»]}}}]}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": «schema:"everything"»}`, identity);
  expectFindings(`{"Version": "2012-10-17", "Statement": [«schema:"x"», «schema:[]»]}`, identity);
});

test('schema: Principal is a string or an object of string lists (a string other than "*" is invalid-principal\'s)', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": [«schema:111122223333»], "Service": «schema:{"x": 1}»}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": «schema:["*"]», "Action": "kms:*", "Resource": "*"}]}`, { only, binding: { kind: 'kms-key-policy' } });
});

test('schema: Resource is not allowed in a role trust policy; the fix removes it', () => {
  const marked = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", «schema:"Resource"»: "*"}]}`;
  expectFindings(marked, trust);
  const out = fixed(parseMarkers(marked).text, trust);
  assert.equal(out, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`);
  expectFindings(out, trust);
});

test('schema: unknown-kind documents get the shared grammar only', () => {
  // An S3 bucket policy: neither a key, identity nor trust policy.
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", «schema:"Resources"»: "*"}]}`, { only });
});

test('schema: a single Statement object', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": {"Effect": «schema:"allow"», "Action": "s3:GetObject", "Resource": "*", «schema:"Principle"»: "x"}}`, identity);
});

test('schema: keys with "/" and "~" map back through the JSON pointer', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"StringEquals": {"aws:PrincipalTag/a~b/c": «schema:null», "aws:PrincipalTag/~1": «schema:{}»}}}]}`, identity);
});

test('schema: duplicate keys resolve to the last one, as the value does, and each later key is reported', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", «schema:"Action"»: «schema:7», "Resource": "*"}]}`, identity);
});

test('schema: a key given twice in a policy: the later one is reported, read, and the fix removes the first', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Effect": "Allow",
  "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}, "StringEquals": {"aws:PrincipalAccount": ["444455556666"], "aws:PrincipalAccount": "555555555555"}}}]}`;
  const findings = checkText('fixture.json', text, identity).findings.filter((f) => f.checkId === 'schema');
  const at = (f: { span: { offset: number; length: number } }) => text.slice(f.span.offset, f.span.offset + f.span.length);
  assert.deepEqual(findings.map((f) => [at(f), f.message]), [
    ['"Effect"', '"Effect" is given twice in Statement[0]: keep one. This later one is used (JSON keeps the last); the first is ignored.'],
    ['"StringEquals"', '"StringEquals" is given twice in Statement[0].Condition: merge them into one. This later one is used (JSON keeps the last); the first is ignored.'],
    ['"aws:PrincipalAccount"', '"aws:PrincipalAccount" is given twice in Statement[0].Condition.StringEquals: keep one. This later one is used (JSON keeps the last); the first is ignored.'],
  ]);
  assert.deepEqual(findings[0].related!.map((r) => [text.slice(r.span.offset, r.span.offset + r.span.length), r.message]), [['"Effect"', 'The first "Effect", ignored']]);
  assert.ok(findings[0].related![0].span.offset < findings[0].span.offset);
  // The statement is read as JSON readers read it: the last Effect, the last operator block, its last key.
  const doc = parseJson(text).root!;
  const [s] = readStatements(doc);
  assert.equal(s.effect, 'Allow');
  assert.deepEqual(statementConditions(s).map((e) => [e.operator.text, e.key, e.values.map((v) => v.value)]), [['StringEquals', 'aws:PrincipalAccount', ['555555555555']]]);
  // The fix removes the first Effect, and the text left has no such finding.
  const out = fixed(text, identity, 0);
  assert.ok(!out.includes('"Effect": "Deny"'));
  assert.ok(out.includes('"Effect": "Allow"'));
});

test('schema: fixes rename an unknown element and correct the Effect case', () => {
  const opts = identity;
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Conditon": {"Bool": {"aws:SecureTransport": "true"}}}]}`;
  const out = fixed(text, opts);
  assert.ok(out.includes('"Condition": {"Bool"'));
  expectFindings(out, opts);
  const text2 = `{"Version": "2012-10-17", "Statement": [{"Effect": "deny", "Action": "s3:GetObject", "Resource": "*"}]}`;
  const out2 = fixed(text2, opts);
  assert.ok(out2.includes('"Effect": "Deny"'));
  expectFindings(out2, opts);
});

test('schema: embedded get-key-policy output maps ranges through the string, and the fix is escaped', () => {
  const marked = String.raw`{"Policy": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": «schema:\"allow\"», \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, «schema:\"Actions\"»: \"kms:*\", \"Resource\": \"*\"}]\n}"}`;
  expectFindings(marked, { only });
  const { text } = parseMarkers(marked);
  let out = fixed(text, {}, 0);
  out = fixed(out, {}, 0);
  const policy = JSON.parse(JSON.parse(out).Policy);
  assert.deepEqual(Object.keys(policy.Statement[0]), ['Effect', 'Principal', 'Action', 'Resource']);
  assert.equal(policy.Statement[0].Effect, 'Allow');
  expectFindings(out, { only });
});

test('schema: CloudFormation intrinsic functions are unknown values, never errors', () => {
  const template = JSON.stringify({
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }, Action: 'kms:*', Resource: '*' },
              { Effect: { 'Fn::If': ['Prod', 'Deny', 'Allow'] }, Principal: { AWS: [{ Ref: 'Admin' }, 'arn:aws:iam::111122223333:root'] }, Action: { Ref: 'Actions' }, Resource: '*',
                Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } }, Bool: { 'Fn::If': ['c', {}, { Ref: 'AWS::NoValue' }] } } },
              { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { 'Fn::If': ['Open', { Ref: 'AWS::NoValue' }, { StringEquals: { 'kms:CallerAccount': '111122223333' } }] } },
              { 'Fn::If': ['Prod', { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }, { Ref: 'AWS::NoValue' }] },
            ],
          },
        },
      },
    },
  }, null, 1);
  const r = expectFindings(template, { only });
  assert.deepEqual(r.discovered?.documents.map((d) => [d.kind, d.allowsIntrinsics]), [['kms-key-policy', true]]);
});

test('schema: statements chosen by Fn::If are still checked', () => {
  const template = `{"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [
  {"Fn::If": ["Prod", {"Effect": «schema:"Alow"», "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}, {"Ref": "AWS::NoValue"}]}]}}}}}`;
  expectFindings(template, { only });
});

test('schema: a condition key repeated with different case in one operator block', () => {
  const result = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
  "StringEquals": {"aws:PrincipalTag/Team": "a", «schema:"aws:principaltag/team"»: "b", "aws:PrincipalTag/Dept": "c"},
  "StringLike": {"aws:PrincipalTag/team": "x*"}}}]}`, identity);
  assert.deepEqual(result.findings.map((f) => f.message), [
    'The condition key aws:principaltag/team appears more than once in StringEquals with different capitalization (aws:PrincipalTag/Team): condition keys are case-insensitive. Remove the duplicate.',
  ]);
});

test('schema: in a YAML template an unquoted account id is the string CloudFormation passes on, in every form', () => {
  const yaml = { only: ['schema', 'invalid-principal'], file: 'template.yaml' };
  const template = (principal: string) => yamlKeyTemplate(`- Effect: Allow
  Principal:
    AWS: ${principal}
  Action: kms:Decrypt
  Resource: '*'`);
  expectFindings(template('444455556666'), yaml);
  expectFindings(template('[444455556666, 555566667777]'), yaml);
  expectFindings(template('\n      - 444455556666\n      - 555566667777'), yaml);
  expectFindings(template('{Fn::If: [C, 444455556666, 555566667777]}'), yaml);
  // A leading zero lost is invalid-principal's finding alone, and the valid id beside it has none.
  expectFindings(template('[444455556666, «invalid-principal:012345678901»]'), yaml);
  // What is no string in any syntax is still a schema error.
  expectFindings(template('«schema:{Account: 444455556666}»'), yaml);
  expectFindings(template('«schema:true»'), yaml);
});
