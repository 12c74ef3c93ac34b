/**
 * A check that throws costs one `internal-error` finding on that document: the other
 * checks' findings on it, and every other document, are exactly as without it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Check } from '../../../server/src/core/checks/check';
import { allChecks } from '../../../server/src/core/checks/registry';
import { analyzeFiles } from '../../../server/src/core/analyze';
import { checkText } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';

/** Throws (in several ways) on documents with a statement whose Sid starts with `Explode`. */
function faultyCheck(thrown: () => unknown): Check {
  return {
    id: 'faulty-check',
    defaultSeverity: 'warning',
    summary: 'Throws on purpose (tests only)',
    run(ctx) {
      const s = ctx.statements.find((x) => x.sid?.startsWith('Explode'));
      if (!s) return;
      throw thrown();
    },
  };
}

const EXPLODING = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "EnableIam", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Explode", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
    {"Sid": "Explode", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["kms:Decrpyt", "kms:Decrypt", "kms:Decrypt"], "Resource": "arn:aws:s3:::bucket"}
  ]
}`;
const CALM = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Calm", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["kms:Decrypt", "kms:Decrypt"], "Resource": "*"}]
}`;

const ids = (fs: Finding[]) => fs.map((f) => `${f.checkId}@${f.span.offset}+${f.span.length}`).sort();

for (const [label, thrown] of [
  ['an Error', () => new Error('boom')],
  ['a string', () => 'boom'],
  ['undefined', () => undefined],
  ['an object whose toString throws', () => ({ toString() { throw new Error('nested'); } })],
] as [string, () => unknown][]) {
  test(`crash isolation: a check throwing ${label} → one internal-error, everything else unchanged`, () => {
    const faulty = faultyCheck(thrown);
    const errors: string[] = [];
    const without = checkText('k.json', EXPLODING);
    const withFaulty = checkText('k.json', EXPLODING, { checks: [...allChecks, faulty], onCheckError: (id) => errors.push(id) });
    const internal = withFaulty.findings.filter((f) => f.checkId === 'internal-error');
    assert.equal(internal.length, 1);
    assert.deepEqual(errors, ['faulty-check']);
    assert.ok(without.findings.length >= 3, 'the document has findings of other checks');
    assert.deepEqual(ids(withFaulty.findings.filter((f) => f.checkId !== 'internal-error')), ids(without.findings));
    // The finding points into the document (at its start).
    assert.equal(internal[0].span.offset, 0);
    // A document the check does not fail on: identical results.
    assert.deepEqual(ids(checkText('c.json', CALM, { checks: [...allChecks, faulty] }).findings), ids(checkText('c.json', CALM).findings));
  });
}

test('crash isolation in the workspace: only the failing document gets internal-error; the handshake of the others is intact', () => {
  const key = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const files = [
    { path: '/ws/policy-handshake.json', text: JSON.stringify({ accounts: { '111122223333': {}, '444455556666': {} }, keys: [{ policy: 'key.json', arn: key }], principals: [{ arn: 'arn:aws:iam::444455556666:role/App', policies: ['iam/*.json'] }] }) },
    { path: '/ws/key.json', text: EXPLODING },
    { path: '/ws/calm.json', text: CALM },
    { path: '/ws/iam/app.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key }] }) },
  ];
  const plain = analyzeFiles(files, {});
  const faulty = analyzeFiles(files, { checks: [...allChecks, faultyCheck(() => new Error('boom'))] });
  for (let i = 0; i < files.length; i++) {
    const internal = faulty[i].findings.filter((f) => f.checkId === 'internal-error');
    assert.equal(internal.length, files[i].path === '/ws/key.json' ? 1 : 0, files[i].path);
    assert.deepEqual(ids(faulty[i].findings.filter((f) => f.checkId !== 'internal-error')), ids(plain[i].findings), files[i].path);
  }
});
