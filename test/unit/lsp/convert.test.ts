import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LineIndex } from '../../../server/src/core/positions';
import { rangesIntersect, toDiagnostic, toSpan } from '../../../server/src/lsp/convert';
import { stripBom } from '../../../server/src/core/sourceFiles';
import { mayHoldPolicies } from '../../../server/src/lsp/diskFiles';

test('convert: a finding becomes a diagnostic with code, docs link, data and related locations', () => {
  const text = '{\r\n  "Statement": []\r\n}';
  const index = new LineIndex(text);
  const d = toDiagnostic(
    { checkId: 'empty-array', severity: 'warning', message: 'm', span: { offset: text.indexOf('[]'), length: 2 }, related: [{ file: '/other.json', span: { offset: 3, length: 1 }, message: 'there' }, { file: '/gone.json', span: { offset: 0, length: 1 }, message: 'x' }] },
    'warning',
    index,
    { version: 3, index: 0 },
    (file) => (file === '/other.json' ? { uri: 'file:///other.json', index: new LineIndex('a\nbcd') } : undefined),
  );
  assert.deepEqual(d.range, { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } });
  assert.equal(d.severity, DiagnosticSeverity.Warning);
  assert.equal(d.source, 'policy-handshake');
  assert.equal(d.code, 'empty-array');
  assert.equal(d.codeDescription?.href, 'https://github.com/policy-handshake/policy-handshake/blob/main/docs/checks/empty-array.md');
  assert.deepEqual(d.data, { version: 3, index: 0 });
  assert.deepEqual(d.relatedInformation, [{ location: { uri: 'file:///other.json', range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } } }, message: 'there' }]);
});

test('convert: ranges back to offsets, and intersection includes touching ends', () => {
  const index = new LineIndex('ab\ncd');
  assert.deepEqual(toSpan(index, { start: { line: 1, character: 1 }, end: { line: 0, character: 1 } }), { offset: 1, length: 3 });
  const r = (a: number, b: number, c: number, d: number) => ({ start: { line: a, character: b }, end: { line: c, character: d } });
  assert.ok(rangesIntersect(r(0, 0, 0, 5), r(0, 5, 0, 5)));
  assert.ok(rangesIntersect(r(1, 0, 3, 0), r(2, 0, 2, 1)));
  assert.ok(!rangesIntersect(r(0, 0, 0, 4), r(0, 5, 0, 6)));
});

test('disk files: BOM removed; only texts naming a policy key are parsed', () => {
  assert.equal(stripBom('\ufeff{}'), '{}');
  assert.equal(stripBom('{}'), '{}');
  assert.ok(mayHoldPolicies('/w/p.json', '{"Statement": []}'));
  assert.ok(mayHoldPolicies('/w/export.json', '{"RoleDetailList": []}'));
  assert.ok(mayHoldPolicies('/w/policy-handshake.json', '{"accounts": {}}'));
  assert.ok(!mayHoldPolicies('/w/package.json', '{"name": "x", "dependencies": {}}'));
  assert.ok(!mayHoldPolicies('/w/tsconfig.json', '{"compilerOptions": {"strict": true}}'));
  // A CDK cloud assembly manifest gives its stacks' templates their accounts; a web app manifest is nothing.
  assert.ok(mayHoldPolicies('/w/cdk.out/manifest.json', '{"artifacts": {"S": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/us-east-1"}}}'));
  assert.ok(!mayHoldPolicies('/w/public/manifest.json', '{"name": "app", "icons": []}'));
});
