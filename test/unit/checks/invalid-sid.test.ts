import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['invalid-sid'];
const identity = { only, binding: { kind: 'iam-identity-policy' as const } };

test('invalid-sid: letters and digits are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Sid": "AllowS3Read2", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, identity);
});

test('invalid-sid: spaces, dashes and underscores in an identity policy', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": «invalid-sid:"Allow S3 read"», "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": «invalid-sid:"allow-kms_use"», "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`, identity);
});

test('invalid-sid: key policies allow spaces (KMS)', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`, { only });
});

test('invalid-sid: fix joins the words and the finding is gone', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Sid": "allow s3-read access", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'invalid-sid')!;
  const out = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.match(out, /"Sid": "allowS3ReadAccess"/);
  expectFindings(out, identity);
});

test('invalid-sid: the fixed Sid does not collide with another one', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "Read All", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'invalid-sid')!;
  assert.equal(f.fixes![0].changes[0].edits[0].newText, '"ReadAll2"');
});

test('invalid-sid: no fix when nothing is left', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Sid": "--", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`;
  const f = checkText('p.json', text).findings.find((x) => x.checkId === 'invalid-sid')!;
  assert.equal(f.fixes, undefined);
});

test('invalid-sid: an empty Sid is a suggestion in every policy, with the fix that removes it', () => {
  const keyPolicy = `{"Version": "2012-10-17", "Statement": [{"Sid": «invalid-sid:""», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`;
  const result = expectFindings(keyPolicy, { only });
  assert.deepEqual(result.findings.map((f) => [f.severity, f.message]), [['info', 'The Sid is empty: name the statement, or remove the Sid.']]);
  const plain = keyPolicy.replace(/«invalid-sid:|»/g, '');
  assert.equal(applyEdits(plain, result.findings[0].fixes![0].changes[0].edits),
    `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`);
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Sid": «invalid-sid:""», "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": " ", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}`.replace('{"Sid": " "', '{"Sid": «invalid-sid:" "»'), identity);
});

test('invalid-sid: the message names each character with its code point; a byte that was not UTF-8 is said to be one', () => {
  const message = (sid: string) => checkText('role.json', `{"Version": "2012-10-17", "Statement": [{"Sid": ${JSON.stringify(sid)}, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`)
    .findings.filter((f) => f.checkId === 'invalid-sid').map((f) => f.message);
  assert.deepEqual(message('Café 1-\u{1F511}'), ['A Sid in an IAM policy may contain only ASCII letters and digits: remove the others. This one has "é" (U+00E9), " " (U+0020), "-" (U+002D), "🔑" (U+1F511).']);
  // A Latin-1 "Café" read as UTF-8.
  assert.deepEqual(message('Caf\ufffd'), ['A Sid in an IAM policy may contain only ASCII letters and digits: remove the others. This one has a byte that is not UTF-8 (read as U+FFFD: save the file as UTF-8).']);
});
