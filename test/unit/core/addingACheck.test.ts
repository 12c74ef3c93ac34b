/**
 * CONTRIBUTING.md, "Adding a check": a check written the plain way (a `Check` object whose
 * `run` loops over `ctx.statements` and calls `ctx.report`), registered for this test only
 * through the engine's `checks` option, runs and reports through the engine and the
 * workspace like a registered one, with its fixes mapped and its severity setting applied;
 * and the statement-local probe the registry test uses tells its author when the faster
 * declaration applies, and not when it does not.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Check } from '../../../server/src/core/checks/check';
import { allChecks } from '../../../server/src/core/checks/registry';
import { checkText } from '../../../server/src/core/engine';
import { Workspace } from '../../../server/src/core/workspace/workspace';
import { applyEdits, expectFindings } from '../../support/fixture';
import { probeStatementLocal } from './statementLocalProbe';

const MAX = 12;

/** A new check, the plain way: no performance declaration. */
const sidTooLong: Check = {
  id: 'sid-too-long',
  defaultSeverity: 'warning',
  summary: `Sid longer than ${MAX} characters (tests only)`,
  run(ctx) {
    for (const s of ctx.statements) {
      const node = s.elements.Sid?.value;
      if (node?.type !== 'string' || typeof node.value !== 'string' || node.value.length <= MAX) continue;
      const short = node.value.slice(0, MAX);
      ctx.report(node, `Sid "${node.value}" is longer than ${MAX} characters.`, {
        fixes: [{ title: `Shorten to "${short}"`, id: 'shorten-sid', edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(short) }] }],
      });
    }
  },
};

/** Another plain check, one that reads other statements: an Action already allowed by an earlier statement. */
const actionAllowedTwice: Check = {
  id: 'action-allowed-twice',
  defaultSeverity: 'info',
  summary: 'An Action string an earlier Allow statement has already (tests only)',
  run(ctx) {
    const seen = new Set<string>();
    for (const s of ctx.statements) {
      const action = s.elements.Action?.value;
      if (s.effect !== 'Allow' || action?.type !== 'string' || typeof action.value !== 'string') continue;
      if (seen.has(action.value)) ctx.report(action, `${action.value} is already allowed above.`);
      seen.add(action.value);
    }
  },
};

const checks = [...allChecks, sidTooLong, actionAllowedTwice];
const only = ['sid-too-long'];

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Own", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": «sid-too-long:"AllowUseOfTheKey"», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt", "Resource": "*"}
  ]
}`;

test('adding a check: the engine runs it, the markers find its range, its message and fix come through', () => {
  const r = expectFindings(POLICY, { checks, only });
  const [f] = r.findings.filter((x) => x.checkId === 'sid-too-long');
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, 'Sid "AllowUseOfTheKey" is longer than 12 characters.');
  assert.deepEqual(f.fixes!.map((x) => [x.id, x.title]), [['shorten-sid', 'Shorten to "AllowUseOfTh"']]);
  const fixed = applyEdits(r.discovered!.json.text, f.fixes![0].changes[0].edits);
  assert.equal(JSON.parse(fixed).Statement[1].Sid, 'AllowUseOfTh');
  expectFindings(fixed, { checks, only });
  // Without the option it is not registered: nothing.
  assert.ok(!checkText('k.json', fixed).findings.some((x) => x.checkId === 'sid-too-long'));
});

test('adding a check: its severity setting applies like any check\'s', () => {
  const text = POLICY.replace('«sid-too-long:', '').replace('»', '');
  assert.deepEqual(checkText('k.json', text, { checks, severities: { 'sid-too-long': 'off' } }).findings.filter((x) => x.checkId === 'sid-too-long'), []);
  assert.equal(checkText('k.json', text, { checks, severities: { 'sid-too-long': 'error' } }).findings.find((x) => x.checkId === 'sid-too-long')!.severity, 'error');
});

test('adding a check: in get-key-policy output the engine maps its range and escapes its fix, with nothing in the check for it', () => {
  const inner = POLICY.replace('«sid-too-long:', '').replace('»', '');
  const text = JSON.stringify({ Policy: inner, PolicyName: 'default' });
  const f = checkText('out.json', text, { checks }).findings.find((x) => x.checkId === 'sid-too-long')!;
  assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), '\\"AllowUseOfTheKey\\"');
  const fixed = applyEdits(text, f.fixes![0].changes[0].edits);
  assert.equal(JSON.parse(JSON.parse(fixed).Policy).Statement[1].Sid, 'AllowUseOfTh');
});

test('adding a check: the workspace runs it too, and again after each edit', () => {
  const ws = new Workspace({ checks });
  const text = POLICY.replace('«sid-too-long:', '').replace('»', '');
  ws.updateFile('/ws/keys/key.json', text);
  assert.deepEqual(ws.findings('/ws/keys/key.json').filter((x) => x.checkId === 'sid-too-long').map((x) => x.span.offset), [text.indexOf('"AllowUseOfTheKey"')]);
  ws.updateFile('/ws/keys/key.json', text.replace('"Own"', '"OwnAccountAdministrators"'));
  assert.equal(ws.findings('/ws/keys/key.json').filter((x) => x.checkId === 'sid-too-long').length, 2);
});

test('adding a check: a plain check is right whichever statements it reads; the probe says which could declare statementLocal', () => {
  const twice = `{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "Allow", "Action": «action-allowed-twice:"s3:GetObject"», "Resource": "arn:aws:s3:::b/*"}]}`;
  expectFindings(twice, { checks, only: ['action-allowed-twice'] });
  // sidTooLong reads its statement alone: the registry test would tell its author to declare it (or say why not).
  const local = probeStatementLocal(sidTooLong);
  assert.ok(local.behavesLocally && local.findings > 0, JSON.stringify(local));
  // actionAllowedTwice reads earlier statements: run a statement at a time it would miss its findings, so no hint.
  assert.equal(probeStatementLocal(actionAllowedTwice).behavesLocally, false);
});
