import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { applyEdits, expectFindings, parseMarkers } from '../../support/fixture';
import { yamlKeyTemplate } from '../../support/cfnYaml';

const only = ['duplicate-sid'];
const stmt = (sid: string) => `{"Sid": ${sid}, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`;

test('duplicate-sid: distinct Sids, missing Sids and empty Sids are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${stmt('"A"')}, ${stmt('"B"')}, {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, ${stmt('""')}, ${stmt('""')}]}`, { only });
  expectFindings(`{"Version": "2012-10-17", "Statement": ${stmt('"A"')}}`, { only });
});

test('duplicate-sid: Sids differing in case are distinct', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [${stmt('"Read"')}, ${stmt('"read"')}]}`, { only });
});

test('duplicate-sid: the second and later occurrences are reported', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [${stmt('"Read"')}, ${stmt('«duplicate-sid:"Read"»')}, ${stmt('«duplicate-sid:"Read"»')}]}`, { only });
  const f = r.findings.filter((x) => x.checkId === 'duplicate-sid');
  assert.deepEqual(f.map((x) => x.severity), ['error', 'error']);
  assert.equal(f[0].related?.length, 1);
});

test('duplicate-sid: in a key policy the finding is a warning', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": «duplicate-sid:"Enable IAM User Permissions"», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:Create*", "Resource": "*"}]}`, { only });
  assert.equal(r.findings.find((x) => x.checkId === 'duplicate-sid')?.severity, 'warning');
});

test('duplicate-sid: fix renames to the first free Sid, and the finding is gone', () => {
  const { text } = parseMarkers(`{"Version": "2012-10-17", "Statement": [${stmt('"Read"')}, ${stmt('"Read2"')}, ${stmt('"Read"')}, ${stmt('"Read"')}]}`);
  const found = checkText('p.json', text).findings.filter((x) => x.checkId === 'duplicate-sid');
  assert.deepEqual(found.map((f) => f.fixes![0].changes[0].edits[0].newText), ['"Read3"', '"Read4"']);
  const out = applyEdits(text, found.flatMap((f) => f.fixes![0].changes[0].edits));
  expectFindings(out, { only });
});

test('duplicate-sid: embedded get-key-policy output', () => {
  const marked = String.raw`{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}, {\"Sid\": «duplicate-sid:\"A\"», \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}"}`;
  const r = expectFindings(marked, { only });
  const { text } = parseMarkers(marked);
  const out = applyEdits(text, r.findings.find((x) => x.checkId === 'duplicate-sid')!.fixes![0].changes[0].edits);
  assert.deepEqual(JSON.parse(JSON.parse(out).Policy).Statement.map((s: { Sid: string }) => s.Sid), ['A', 'A2']);
});

test('duplicate-sid: a YAML alias repeating an anchored statement is reported without the rename fix (it would rename both)', () => {
  const template = yamlKeyTemplate(`- &use
  Sid: Use
  Effect: Allow
  Principal: {AWS: '444455556666'}
  Action: kms:Encrypt
  Resource: '*'
- *use`);
  const found = checkText('template.yaml', template).findings.filter((f) => f.checkId === 'duplicate-sid');
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes, undefined);
  // Two statements written out keep the fix.
  const written = checkText('template.yaml', template.replace('          - *use', "          - Sid: Use\n            Effect: Allow\n            Principal: {AWS: '444455556666'}\n            Action: kms:Decrypt\n            Resource: '*'")).findings.filter((f) => f.checkId === 'duplicate-sid');
  assert.equal(written[0].fixes!.length, 1);
});
