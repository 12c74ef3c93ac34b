/**
 * `file-skipped`: reported by the engine instead of checking a file or document over a limit
 * (size, nesting, statements, array length). See also test/unit/robustness/limits.test.ts
 * for the workspace, the CLI and the default limits.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { DEFAULT_PARSE_LIMITS } from '../../../server/src/core/json/jsonDocument';
import { expectFindings } from '../../support/fixture';

const only = ['file-skipped'];
const statement = (sid: string) => `{"Sid": "${sid}", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}`;

test('file-skipped: a file over the size limit, at its start, an info with the reason and no other finding', () => {
  const text = `{"Version": "2012-10-17", "Statement": [${statement('A')}, ${statement('A')}]}`;
  const r = checkText('big.json', text, { maxFileSize: 64 });
  assert.deepEqual(r.findings.map((f) => [f.checkId, f.severity, f.span.offset, f.span.length, f.message]), [
    ['file-skipped', 'info', 0, 0, 'File is larger than 64 bytes (policyHandshake.maxFileSize): not checked.'],
  ]);
  // Under the limit the same text is checked (the repeated Sid is found).
  assert.ok(checkText('big.json', text, { maxFileSize: text.length }).findings.some((f) => f.checkId === 'duplicate-sid'));
});

test('file-skipped: nesting deeper than the limit, at the bracket that passes it', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [[[«file-skipped:[»[]]]]]}`, { limits: { ...DEFAULT_PARSE_LIMITS, maxDepth: 4 } });
  assert.equal(r.findings[0].message, 'Nesting deeper than 4 levels: the document is not checked.');
});

test('file-skipped: more statements than the limit, at "Statement"; at the limit the document is checked', () => {
  const limits = { ...DEFAULT_PARSE_LIMITS, maxStatements: 2 };
  const r = expectFindings(`{"Version": "2012-10-17", «file-skipped:"Statement"»: [${statement('A')}, ${statement('A')}, ${statement('B')}]}`, { limits });
  assert.equal(r.findings[0].message, '3 statements: over the limit of 2; the document is not checked.');
  expectFindings(`{"Version": "2012-10-17", "Statement": [${statement('A')}, ${statement('B')}]}`, { limits, only });
});

test('file-skipped: an array longer than the limit, at its opening bracket', () => {
  const limits = { ...DEFAULT_PARSE_LIMITS, maxArrayItems: 20 };
  const actions = Array.from({ length: 21 }, (_, i) => `"kms:Decrypt${i}"`).join(', ');
  const padding = Array.from({ length: 4 }, (_, i) => statement(`S${i}`)).join(', ');
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [${padding}, {"Effect": "Allow", "Principal": "*", "Action": «file-skipped:[»${actions}], "Resource": "*"}]}`, { limits });
  assert.equal(r.findings[0].message, 'An array of 21 entries: over the limit of 20; the document is not checked.');
});

test('file-skipped: the severity setting applies, "off" drops it', () => {
  const text = `{"Version": "2012-10-17", "Statement": []}`;
  assert.deepEqual(checkText('big.json', text, { maxFileSize: 10, severities: { 'file-skipped': 'off' } }).findings, []);
  assert.equal(checkText('big.json', text, { maxFileSize: 10, severities: { 'file-skipped': 'warning' } }).findings[0].severity, 'warning');
});
