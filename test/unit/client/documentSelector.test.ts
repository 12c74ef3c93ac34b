/**
 * The extension gives the server every file the sources registry reads: each file ending of
 * `SOURCES` is in the document selector (JSON by its language), and the selector names no
 * ending the server does not read.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_SELECTOR, SELECTED_ENDINGS, endingsPattern } from '../../../client/src/documentSelector';
import { SOURCE_FILE_EXTENSIONS } from '../../../server/src/core/sources/registry';

test('the selector\'s file endings are the registry\'s (JSON files are selected by their language; variables files, which hold no policy, are read from disk)', () => {
  assert.deepEqual([...SELECTED_ENDINGS.flat()].sort(), SOURCE_FILE_EXTENSIONS.filter((e) => e !== '.json' && e !== '.tfvars').sort());
  assert.ok(DOCUMENT_SELECTOR.some((e) => e.scheme === 'file' && e.language === 'json'));
});

test('each group of endings is one glob pattern of the selector', () => {
  const patterns = DOCUMENT_SELECTOR.filter((e) => e.pattern).map((e) => e.pattern);
  assert.deepEqual(patterns, ['**/*.{yaml,yml,template}', '**/*.tf', '**/*.{tpl,tftpl}']);
  assert.equal(endingsPattern(['.tf']), '**/*.tf');
});

test('a folder holding only files of an ending VS Code has no language for still starts the extension', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { activationEvents: string[] };
  // .yaml and .yml start it through the yaml language; every other ending needs its own event.
  const byLanguage = new Set(['.yaml', '.yml']);
  const missing = SELECTED_ENDINGS.flat().filter((e) => !byLanguage.has(e) && !pkg.activationEvents.includes(`workspaceContains:**/*${e}`));
  assert.deepEqual(missing, []);
});
