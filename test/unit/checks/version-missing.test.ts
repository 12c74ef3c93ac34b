import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';
import { withHclParser } from '../../support/hcl';

withHclParser();

const only = ['version-missing'];

function fixed(marked: string): string {
  const { text } = parseMarkers(marked);
  const finding = checkText('p.json', text).findings.find((f) => f.checkId === 'version-missing');
  assert.ok(finding?.fixes?.length, 'a fix is offered');
  return applyEdits(text, finding.fixes[0].changes[0].edits);
}

test('version-missing: valid with a Version, in any position', () => {
  expectFindings(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}], "Version": "2012-10-17"}`, { only });
  expectFindings(`{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`, { only });
});

test('version-missing: reported on the Statement key', () => {
  expectFindings(`{
  «version-missing:"Statement"»: [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}`, { only });
});

test('version-missing: with ${…} in the document an error (VARIABLE_UNSUPPORTED_IN_VERSION), else a warning; a template\'s ${…} may be Fn::Sub\'s', () => {
  const severity = (text: string) => checkText('p.json', text).findings.find((f) => f.checkId === 'version-missing')?.severity;
  assert.equal(severity(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\${aws:username}/*"}]}`), 'error');
  assert.equal(severity(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}`), 'warning');
  const template = `{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "arn:\${AWS::Partition}:s3:::b/*"}}]}}}}}`;
  assert.equal(checkText('t.json', template).findings.find((f) => f.checkId === 'version-missing')?.severity, 'warning');
});

test('version-missing: a single Statement object and a key policy', () => {
  expectFindings(`{«version-missing:"Statement"»: {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}}`, { only });
});

test('version-missing: fix adds Version as the first property, keeping the indentation', () => {
  const out = fixed(`{
    "Id": "key-policy",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}`);
  assert.equal(out, `{
    "Version": "2012-10-17",
    "Id": "key-policy",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}`);
  expectFindings(out, { only });
});

test('version-missing: fix on a one-line policy and with CRLF line breaks', () => {
  const one = fixed(`{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`);
  assert.equal(one, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`);
  const crlf = fixed(`{\r\n\t"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\r\n}`);
  assert.equal(crlf, `{\r\n\t"Version": "2012-10-17",\r\n\t"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\r\n}`);
  expectFindings(crlf, { only });
});

test('version-missing: embedded get-key-policy output, fix escaped into the string', () => {
  const marked = String.raw`{"Policy": "{\n  «version-missing:\"Statement\"»: [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]\n}"}`;
  expectFindings(marked, { only });
  const out = fixed(marked);
  assert.equal(JSON.parse(JSON.parse(out).Policy).Version, '2012-10-17');
  expectFindings(out, { only });
});

test('version-missing: CloudFormation policy documents need a Version too', () => {
  expectFindings(`{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
  "PolicyDocument": {«version-missing:"Statement"»: [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}}`, { only, file: 'template.json' });
});

test('version-missing: in Terraform, $${…} renders as a policy variable: an error; an interpolation is Terraform\'s own: a warning', () => {
  const tf = (resource: string) => `resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = ${resource} }]
  })
}
`;
  const withVariable = checkText('main.tf', tf('"arn:aws:s3:::b/home/$${aws:username}/*"')).findings.filter((f) => f.checkId === only[0]);
  assert.deepEqual(withVariable.map((f) => f.severity), ['error']);
  const interpolated = checkText('main.tf', tf('"arn:aws:s3:::${var.bucket}/*"')).findings.filter((f) => f.checkId === only[0]);
  assert.deepEqual(interpolated.map((f) => f.severity), ['warning']);
});
