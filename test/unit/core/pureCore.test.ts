/**
 * The core is pure, as the README says: no file, network or process access and no LSP types.
 * Every module under server/src/core is read and its imports compared with what I/O and the
 * editor protocol need.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { repoRoot, walk } from '../../support/corpus';


const FORBIDDEN = /^(node:)?(fs|fs\/promises|path|child_process|net|http|https|dns|os|worker_threads)$|^vscode-languageserver|^vscode-languageclient|^vscode$/;

test('no module of the core imports file, network or process modules, or LSP types', () => {
  const core = path.join(repoRoot, 'server', 'src', 'core');
  const offenders: string[] = [];
  const files = walk(core, '.ts');
  assert.ok(files.length > 100, `${files.length} core modules`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*import\s[^'"]*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (FORBIDDEN.test(spec)) offenders.push(`${path.relative(repoRoot, file)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});
