/**
 * What the CLI's entry does before it loads the CLI's bundle (`cli/early.ts`): it lists the
 * files of a `check` or `graph` command line as the CLI would, starts the parsing thread when
 * they hold HCL_THREAD_FILES Terraform files or more, and leaves both to the CLI only for the
 * same command line in the same folder, once; anything else is left to the CLI.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HCL_THREAD_FILES, startEarly, takeEarly } from '../../../server/src/cli/early';
import { collectFiles } from '../../../server/src/cli/files';

let dir: string;
let few: string;
let many: string;
before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ph-cli-early-')));
  few = path.join(dir, 'few');
  many = path.join(dir, 'many');
  fs.mkdirSync(path.join(few, 'node_modules'), { recursive: true });
  fs.mkdirSync(many);
  fs.writeFileSync(path.join(few, 'key.json'), '{}');
  fs.writeFileSync(path.join(few, 'main.tf'), '');
  fs.writeFileSync(path.join(few, 'notes.txt'), '');
  fs.writeFileSync(path.join(few, 'node_modules', 'skipped.tf'), '');
  for (let i = 0; i < HCL_THREAD_FILES; i++) fs.writeFileSync(path.join(many, `m${String(i).padStart(3, '0')}.tf`), '');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a check of a few files: listed as the CLI lists them, no thread; taken once', () => {
  const argv = ['check', few, '--format', 'json'];
  startEarly(argv, dir);
  const early = takeEarly(argv, dir);
  assert.ok(early);
  assert.deepEqual(early.listing, collectFiles([few], dir));
  assert.deepEqual(early.listing.files.map((f) => path.relative(dir, f)), ['few/key.json', 'few/main.tf']);
  assert.equal(early.thread, undefined);
  assert.equal(takeEarly(argv, dir), undefined);
});

test(`${HCL_THREAD_FILES} Terraform files: the parsing thread is started, and given to the same command line only`, async () => {
  const argv = ['graph', many];
  startEarly(argv, dir);
  const early = takeEarly(argv, dir);
  assert.ok(early?.thread, 'a thread was started');
  assert.equal(early.listing.files.length, HCL_THREAD_FILES);
  await early.thread.worker.terminate();
  // Another command line, or another folder: nothing is given (the thread is stopped).
  startEarly(argv, dir);
  assert.equal(takeEarly(['graph', many, '--format', 'dot'], dir), undefined);
  startEarly(argv, dir);
  assert.equal(takeEarly(argv, few), undefined);
});

test('what the CLI says something about is left to it: other commands, bad options, help; a missing path starts no thread', () => {
  for (const argv of [['--version'], ['help'], ['check', few, '--format', 'yaml'], ['check', '--bogus'], ['check', '--help'], ['check', few, '--max-file-size']]) {
    startEarly(argv, dir);
    assert.equal(takeEarly(argv, dir), undefined, argv.join(' '));
  }
  const argv = ['check', many, path.join(dir, 'missing')];
  startEarly(argv, dir);
  const early = takeEarly(argv, dir);
  assert.deepEqual(early?.listing.missing, [path.join(dir, 'missing')]);
  assert.equal(early?.thread, undefined);
});
