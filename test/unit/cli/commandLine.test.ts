/**
 * What the CLI says about its command line and its inputs: a malformed --manifest once, the
 * summary counts checked and skipped files apart, usage with no arguments, usage lines that
 * fit a terminal, stdin, and a graph with no key.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/corpus';
import { runIn } from '../../support/cli';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-line-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a malformed --manifest is reported once', () => {
  fs.writeFileSync(path.join(dir, 'm.json'), '{"accounts": {\n');
  const run = runIn(repoRoot, 'check', 'examples/cross-account/security', '--manifest', path.join(dir, 'm.json'), '--format', 'json');
  assert.equal(run.code, 1);
  const manifest = (JSON.parse(run.stdout) as { file: string; code: string; range: unknown; message: string }[]).filter((f) => f.file.endsWith('m.json'));
  assert.deepEqual(manifest.map((f) => [f.code, f.range, f.message]), [['json-syntax', { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, 'Closing brace expected.']]);
});
