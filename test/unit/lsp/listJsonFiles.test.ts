/** Walking a workspace folder for the server: JSON files only, skipped folders, symlinks and loops. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listJsonFiles } from '../../../server/src/lsp/diskFiles';

let root: string;
before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-list-')));
  const files = ['a.json', 'b.JSON', 'notes.txt', 'keys/k.json', 'keys/deep/er/x.json', 'node_modules/pkg/p.json', '.git/config.json', 'keys/deep/readme.md'];
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), '{}');
  }
  fs.mkdirSync(path.join(root, 'folder.json'));
  fs.symlinkSync(path.join(root, 'keys'), path.join(root, 'keys/deep/loop')); // a loop back up
  fs.symlinkSync(path.join(root, 'a.json'), path.join(root, 'link.json'));
  fs.symlinkSync(path.join(root, 'missing.json'), path.join(root, 'dangling.json'));
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('JSON files below the root, sorted; skipped folders, loops and dangling links left out', async () => {
  const rel = (await listJsonFiles(root)).map((p) => path.relative(root, p));
  assert.deepEqual(rel, ['a.json', 'b.JSON', 'keys/deep/er/x.json', 'keys/k.json', 'link.json']);
});

test('cancelled: stops and returns what it has', async () => {
  assert.deepEqual(await listJsonFiles(root, () => true), []);
});

test('a root that does not exist has no files', async () => {
  assert.deepEqual(await listJsonFiles(path.join(root, 'nope')), []);
});
