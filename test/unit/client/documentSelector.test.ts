/**
 * The extension gives the server every file the sources registry reads: each file ending of
 * `SOURCES` is in the document selector (JSON by its language), and the selector names no
 * ending the server does not read.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DOCUMENT_SELECTOR, SELECTED_ENDINGS, endingsPattern } from '../../../client/src/documentSelector';
import { SOURCE_FILE_EXTENSIONS } from '../../../server/src/core/sources/registry';

test('the selector\'s file endings are the registry\'s (JSON files are selected by their language)', () => {
  assert.deepEqual([...SELECTED_ENDINGS.flat()].sort(), SOURCE_FILE_EXTENSIONS.filter((e) => e !== '.json').sort());
  assert.ok(DOCUMENT_SELECTOR.some((e) => e.scheme === 'file' && e.language === 'json'));
});

test('each group of endings is one glob pattern of the selector', () => {
  const patterns = DOCUMENT_SELECTOR.filter((e) => e.pattern).map((e) => e.pattern);
  assert.deepEqual(patterns, ['**/*.{yaml,yml,template}', '**/*.tf', '**/*.{tpl,tftpl}']);
  assert.equal(endingsPattern(['.tf']), '**/*.tf');
});
