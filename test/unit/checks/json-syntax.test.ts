/** `json-syntax`: reported by the engine where the parser stopped, for policy files only. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from '../../../server/src/core/engine';
import { expectFindings } from '../../support/fixture';

const only = ['json-syntax'];

test('json-syntax: a missing comma, at the next property, as an error without fixes', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" «json-syntax:"Action"»: "kms:*", "Resource": "*"}]}`, { only });
  const [f] = r.findings.filter((x) => x.checkId === 'json-syntax');
  assert.equal(f.message, 'Comma expected.');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.fixes ?? [], []);
});

test('json-syntax: a trailing comma (IAM rejects it) and an unclosed array at the end of the text', () => {
  const r = expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",«json-syntax:}»]}`, { only });
  assert.equal(r.findings[0].message, 'Property name expected.');
  const open = expectFindings(`{"Version": "2012-10-17", "Statement": [«json-syntax:»`, { only });
  // The parser reports each unclosed bracket at the end: one finding there.
  assert.equal(open.findings.filter((x) => x.checkId === 'json-syntax').length, 1);
  assert.equal(open.findings[0].message, 'Closing bracket expected.');
});

test('json-syntax: words that are not JSON, separated by spaces, are one finding over all of them; invalid symbols apart are two', () => {
  const r = expectFindings(`«json-syntax:not json»`, { only });
  assert.equal(r.findings[0].message, 'Invalid symbol.');
  // Two values left unquoted are two mistakes: two findings (the parser also expects a value before each comma).
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": Allow, "Action": kms, "Resource": "*"}]}`;
  const invalid = checkText('p.json', text).findings.filter((f) => f.message === 'Invalid symbol.');
  assert.deepEqual(invalid.map((f) => text.slice(f.span.offset, f.span.offset + f.span.length)), ['Allow', 'kms']);
});

test('json-syntax: inside the Policy string of get-key-policy output, at the place in the file', () => {
  expectFindings(`{"Policy": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [«json-syntax:»", "PolicyName": "default"}`, { only });
});

test('json-syntax: JSON files that are not policies are not reported', () => {
  expectFindings(`{"name": "app", "version": "1.0.0",, "scripts": {}}`, { only });
  expectFindings(`[1, 2,, 3]`, { only });
});

test('json-syntax: off when the client reports syntax itself, or by setting', () => {
  const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "kms:*", "Resource": "*"}]}`;
  assert.equal(checkText('p.json', text).findings.filter((f) => f.checkId === 'json-syntax').length, 1);
  assert.deepEqual(checkText('p.json', text, { reportSyntax: false }).findings.filter((f) => f.checkId === 'json-syntax'), []);
  assert.deepEqual(checkText('p.json', text, { severities: { 'json-syntax': 'off' } }).findings.filter((f) => f.checkId === 'json-syntax'), []);
  assert.equal(checkText('p.json', text, { severities: { 'json-syntax': 'warning' } }).findings.find((f) => f.checkId === 'json-syntax')?.severity, 'warning');
});
