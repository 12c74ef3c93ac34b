/**
 * `internal-error`: a check that throws costs one finding on that document, at its start;
 * the other checks run. See test/unit/robustness/crashIsolation.test.ts for the workspace.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Check } from '../../../server/src/core/checks/check';
import { checkText } from '../../../server/src/core/engine';

const throwing: Check = {
  id: 'throws-on-deny',
  defaultSeverity: 'warning',
  summary: 'Throws on a Deny statement (tests only)',
  run(ctx) {
    if (ctx.statements.some((s) => s.effect === 'Deny')) throw new Error('no Deny expected');
  },
};
const reporting: Check = {
  id: 'reports-every-statement',
  defaultSeverity: 'hint',
  summary: 'Reports every statement (tests only)',
  run(ctx) {
    for (const s of ctx.statements) ctx.report(s.node, 'a statement');
  },
};

const ALLOW = '{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}';
const DENY = '{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}';
const POLICY = `{"Version": "2012-10-17", "Statement": [\n  ${ALLOW},\n  ${DENY}]}`;

test('internal-error: one warning at the start of the document naming the check and what it threw; the other check ran', () => {
  const r = checkText('k.json', POLICY, { checks: [throwing, reporting] });
  assert.deepEqual(r.findings.map((f) => [f.checkId, f.severity, f.span.offset, f.span.length]), [
    ['internal-error', 'warning', 0, 0],
    ['reports-every-statement', 'hint', POLICY.indexOf(ALLOW), ALLOW.length],
    ['reports-every-statement', 'hint', POLICY.indexOf(DENY), DENY.length],
  ]);
  assert.equal(r.findings[0].message, 'Check throws-on-deny failed on this document: no Deny expected. The other checks ran.');
  assert.deepEqual(r.findings[0].fixes ?? [], []);
});

test('internal-error: nothing when the check does not throw; onCheckError hears of each failure', () => {
  const calm = POLICY.replace('"Deny"', '"Allow"');
  assert.deepEqual(checkText('k.json', calm, { checks: [throwing] }).findings, []);
  const heard: string[] = [];
  checkText('k.json', POLICY, { checks: [throwing], onCheckError: (id, file, e) => heard.push(`${id} ${file} ${(e as Error).message}`) });
  assert.deepEqual(heard, ['throws-on-deny k.json no Deny expected']);
});

test('internal-error: what is thrown need not be an Error', () => {
  for (const [thrown, said] of [['text', 'text'], [undefined, 'undefined'], [{ toString() { throw new Error('x'); } }, 'an unprintable value was thrown']] as [unknown, string][]) {
    const odd: Check = { ...throwing, id: 'throws-odd', run() { throw thrown; } };
    const [f] = checkText('k.json', POLICY, { checks: [odd] }).findings;
    assert.equal(f.message, `Check throws-odd failed on this document: ${said}. The other checks ran.`);
  }
});

test('internal-error: in get-key-policy output, at the start of the embedded document; the setting applies', () => {
  const text = JSON.stringify({ Policy: POLICY, PolicyName: 'default' });
  const [f] = checkText('out.json', text, { checks: [throwing] }).findings;
  assert.equal(f.checkId, 'internal-error');
  assert.equal(f.span.offset, text.indexOf('{', 1), 'the embedded document starts after the opening quote');
  assert.deepEqual(checkText('k.json', POLICY, { checks: [throwing], severities: { 'internal-error': 'off' } }).findings, []);
  assert.equal(checkText('k.json', POLICY, { checks: [throwing], severities: { 'internal-error': 'error' } }).findings[0].severity, 'error');
});
