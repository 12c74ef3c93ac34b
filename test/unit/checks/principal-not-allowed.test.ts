import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['principal-not-allowed'];

test('principal-not-allowed: Principal in an identity policy, reported on the key, with a fix that removes it', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", «principal-not-allowed:"Principal"»: {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "*"}]}`, { only, binding: { kind: 'iam-identity-policy' } });
  const [f] = r.findings.filter((x) => x.checkId === 'principal-not-allowed');
  assert.equal(f.message, 'Principal is not allowed in an identity policy: the policy applies to the identity it is attached to.');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['remove-element', 'Remove Principal']]);
  const fixed = applyEdits(r.discovered!.json.text, f.fixes![0].changes[0].edits);
  assert.deepEqual(JSON.parse(fixed).Statement[0], { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
  expectFindings(fixed, { only, binding: { kind: 'iam-identity-policy' } });
});

test('principal-not-allowed: NotPrincipal too, and both in one statement give two findings', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Deny", «principal-not-allowed:"NotPrincipal"»: {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", «principal-not-allowed:"Principal"»: "*", «principal-not-allowed:"NotPrincipal"»: "*", "Action": "kms:Decrypt", "Resource": "*"}]}`, { only, binding: { kind: 'iam-identity-policy' } });
  assert.match(r.findings[0].message, /^NotPrincipal is not allowed in an identity policy/);
});

test('principal-not-allowed: key and trust policies must have a principal, nothing to report there', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`, { only, binding: { kind: 'kms-key-policy' } });
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`, { only, binding: { kind: 'iam-trust-policy' } });
});

test('principal-not-allowed: fix removes the element in a multi-line statement and leaves valid JSON', () => {
  const r = expectFindings(`{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      «principal-not-allowed:"Principal"»: { "AWS": "*" },
      "Action": "kms:Decrypt",
      "Resource": "*"
    }
  ]
}`, { only, binding: { kind: 'iam-identity-policy' } });
  const fixed = applyEdits(r.discovered!.json.text, r.findings[0].fixes![0].changes[0].edits);
  assert.equal(fixed, `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "*"
    }
  ]
}`);
});
