import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { defaultCatalog } from '../../../server/src/core/catalog/catalog';
import { statementKmsActions } from '../../../server/src/core/model/kmsActions';
import { statementsOf } from '../../../server/src/core/model/policyDocument';
import { discover } from '../../../server/src/core/sources/discover';
import { corpusMissing, corpusPath, walk } from '../../support/corpus';
import { needs } from '../../support/needs';

const catalog = defaultCatalog();

function statements(text: string, file = '/p.json') {
  const out = [];
  for (const doc of discover(file, text, {}).documents) out.push(...statementsOf(doc));
  return out;
}

/** The KMS action names (lower case) of the catalog a written action string matches, by regular expression over every KMS action. */
function kmsNamesOf(action: string): string[] {
  if (action === '*') return catalog.actions('kms').map((a) => a.name.toLowerCase());
  const colon = action.indexOf(':');
  if (colon < 0) return [];
  const asRegExp = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  // A service part of `*` alone counts with a name of `*` alone (`*:*`), as the reader has it.
  if (action.slice(0, colon) === '*' && action.slice(colon + 1) !== '*') return [];
  if (!asRegExp(action.slice(0, colon)).test('kms')) return [];
  const name = asRegExp(action.slice(colon + 1));
  return catalog.actions('kms').filter((a) => name.test(a.name)).map((a) => a.name.toLowerCase());
}

test('KMS actions of a statement: none named, named in any case or through wildcards, and entries the reader cannot know', () => {
  const [none, one, some, notKms, unknown] = statements(`{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "ec2:Describe*", "iam:PassRole"], "Resource": "*"},
    {"Effect": "Allow", "Action": "KMS:decrypt", "Resource": "*"},
    {"Effect": "Allow", "Action": ["s3:GetObject", "k?s:ReEncrypt*", "k*:DescribeKey"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["kinesis:GetRecords", "kafka:Describe*"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["s3:GetObject", 12], "Resource": "*"}]}`);
  const read = (s: (typeof none)) => statementKmsActions(catalog, s);
  assert.deepEqual([...read(none).actions], []);
  assert.equal(read(none).partial, false);
  assert.deepEqual([...read(one).actions], ['decrypt']);
  assert.deepEqual(read(one).entries.map((e) => [e.item.value, e.actions]), [['KMS:decrypt', ['decrypt']]]);
  assert.deepEqual([...read(some).actions].sort(), ['describekey', 'reencryptfrom', 'reencryptto']);
  assert.deepEqual(read(some).entries.map((e) => e.item.value), ['s3:GetObject', 'k?s:ReEncrypt*', 'k*:DescribeKey']);
  assert.deepEqual([...read(notKms).actions], []);
  assert.deepEqual([...read(unknown).actions], []);
  assert.equal(read(unknown).partial, true);
});

test('KMS actions of every statement of the AWS managed policies are those their Action strings match', needs('corpus', corpusMissing('aws-managed')), () => {
  let withKms = 0;
  let without = 0;
  for (const file of walk(corpusPath('aws-managed'), '.json')) {
    for (const s of statements(fs.readFileSync(file, 'utf8'), file)) {
      const action = s.elements.Action?.value;
      if (!action) continue;
      const written = action.type === 'array' ? (action.children ?? []).map((c) => c.value) : [action.value];
      const expected = new Set(written.flatMap((v) => (typeof v === 'string' ? kmsNamesOf(v) : [])));
      const read = statementKmsActions(catalog, s);
      assert.deepEqual([...read.actions].sort(), [...expected].sort(), `${file}: ${JSON.stringify(written)}`);
      if (expected.size) withKms++;
      else without++;
    }
  }
  assert.ok(withKms > 50 && without > 1_000, `${withKms} statements with KMS actions, ${without} without`);
});
