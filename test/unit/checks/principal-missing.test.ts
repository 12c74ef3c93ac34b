import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expectFindings } from '../../support/fixture';

const only = ['principal-missing'];

test('principal-missing: a key-policy statement without Principal, reported on its Sid', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": «principal-missing:"UseTheKey"», "Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]}`, { only });
  const [f] = r.findings.filter((x) => x.checkId === 'principal-missing');
  assert.equal(f.message, 'Every statement of a key policy must have a Principal: add one (or NotPrincipal).');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.fixes ?? [], []);
});

test('principal-missing: without a Sid the whole statement is marked', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  «principal-missing:{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}»]}`, { only });
});

test('principal-missing: a trust-policy statement without Principal says trust policy', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  «principal-missing:{"Effect": "Allow", "Action": "sts:AssumeRole"}»]}`, { only, binding: { kind: 'iam-trust-policy' } });
  assert.equal(r.findings[0].message, 'Every statement of a trust policy must have a Principal: add one (or NotPrincipal).');
});

test('principal-missing: NotPrincipal counts as a principal; identity policies have none to miss', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`, { only, binding: { kind: 'iam-identity-policy' } });
});

test('principal-missing: every statement without a principal is reported, in a single Statement object too', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": «principal-missing:"A"», "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
  {"Sid": «principal-missing:"B"», "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement":
  «principal-missing:{"Effect": "Allow", "Action": "sts:AssumeRole"}»}`, { only, binding: { kind: 'iam-trust-policy' } });
});
