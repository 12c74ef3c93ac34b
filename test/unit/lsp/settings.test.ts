import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_FILE_SIZE } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';
import { parseSettings } from '../../../server/src/lsp/settings';
import { effectiveSeverity } from '../../../server/src/core/checkSettings';
import { checkText } from '../../../server/src/core/engine';

const finding = (checkId: string, severity: Finding['severity']): Finding => ({ checkId, severity, message: '', span: { offset: 0, length: 0 } });

test('settings: defaults for anything missing or malformed', () => {
  for (const raw of [undefined, null, 'x', 42, {}, { maxFileSize: 'big', checks: 'all' }, { maxFileSize: Number.NaN }]) {
    const s = parseSettings(raw);
    assert.equal(s.maxFileSize, DEFAULT_MAX_FILE_SIZE, JSON.stringify(raw));
    assert.deepEqual({ ...s.checks }, {});
  }
});

test('settings: nested and flat check keys, invalid severities ignored, size floored', () => {
  const s = parseSettings({
    maxFileSize: 10,
    checks: { 'principal-missing': 'warning', 'schema': 'fatal', 'json-syntax': 'off', '__proto__': 'error' },
    'checks.unknown-action': 'hint',
  });
  assert.equal(s.maxFileSize, 1024);
  assert.equal(s.checks['principal-missing'], 'warning');
  assert.equal(s.checks['schema'], undefined);
  assert.equal(s.checks['json-syntax'], 'off');
  assert.equal(s.checks['unknown-action'], 'hint');
  assert.equal(({} as Record<string, unknown>).error, undefined);
});

test('severity: a check set replaces every finding\'s severity, its default included; a check not set keeps the finding\'s own; off drops it', () => {
  const s = parseSettings({ checks: { a: 'hint', b: 'info', c: 'off' } });
  assert.equal(effectiveSeverity(finding('a', 'error'), s.checks), 'hint');
  // `b` is set to its default: a finding reported lower than the default gets the setting.
  assert.equal(effectiveSeverity(finding('b', 'hint'), s.checks), 'info');
  assert.equal(effectiveSeverity(finding('c', 'error'), s.checks), undefined);
  assert.equal(effectiveSeverity(finding('d', 'warning'), s.checks), 'warning');
  assert.equal(effectiveSeverity(finding('d', 'hint'), s.checks), 'hint');
});

test('severity: duplicate-sid set to "error" (its default) makes a key policy\'s duplicate Sid, a warning by itself, an error', () => {
  const text = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:Create*", "Resource": "*"}]}`;
  const found = checkText('keys/key.json', text).findings.filter((f) => f.checkId === 'duplicate-sid');
  assert.deepEqual(found.map((f) => f.severity), ['warning']);
  assert.equal(effectiveSeverity(found[0], parseSettings({}).checks), 'warning');
  assert.equal(effectiveSeverity(found[0], parseSettings({ checks: { 'duplicate-sid': 'error' } }).checks), 'error');
  assert.equal(effectiveSeverity(found[0], parseSettings({ 'checks.duplicate-sid': 'error' }).checks), 'error');
});
