import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_FILE_SIZE } from '../../../server/src/core/engine';
import type { Finding } from '../../../server/src/core/findings';
import { effectiveSeverity, parseSettings } from '../../../server/src/lsp/settings';

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

test('severity: a setting other than the default replaces it; the default keeps the finding\'s own; off drops it', () => {
  const s = parseSettings({ checks: { a: 'hint', b: 'info', c: 'off' } });
  assert.equal(effectiveSeverity(finding('a', 'error'), s, 'error'), 'hint');
  // `b` is set to its default: a finding reported lower than the default stays lower.
  assert.equal(effectiveSeverity(finding('b', 'hint'), s, 'info'), 'hint');
  assert.equal(effectiveSeverity(finding('c', 'error'), s, 'error'), undefined);
  assert.equal(effectiveSeverity(finding('d', 'warning'), s, 'warning'), 'warning');
});
