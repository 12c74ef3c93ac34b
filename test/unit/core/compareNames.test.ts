/**
 * Names are ordered without the locale (the CLI's folder walk, tie-breaks of its output):
 * case-insensitively by code point, then by code point, the same on every machine.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareNames } from '../../../server/src/core/strings';
import { collectFiles } from '../../../server/src/cli/files';

test('case-insensitive code-point order, then code point', () => {
  const names = ['b.json', 'ab.json', 'B.json', 'a_b.json', 'A.json', 'a.json', 'a-b.json', 'Z.json', 'é.json', '10.json', '9.json'];
  assert.deepEqual([...names].sort(compareNames), ['10.json', '9.json', 'a-b.json', 'A.json', 'a.json', 'a_b.json', 'ab.json', 'B.json', 'b.json', 'Z.json', 'é.json']);
  assert.equal(compareNames('same', 'same'), 0);
});

test('the CLI walks a folder in that order', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-walk-order-'));
  try {
    for (const n of ['b.json', 'ab.json', 'a_b.json', 'A.json', 'a-b.json']) fs.writeFileSync(path.join(dir, n), '{}');
    fs.mkdirSync(path.join(dir, 'Sub'));
    fs.writeFileSync(path.join(dir, 'Sub', 'x.json'), '{}');
    const { files } = collectFiles([dir], dir);
    assert.deepEqual(files.map((f) => path.relative(dir, f)), ['a-b.json', 'A.json', 'a_b.json', 'ab.json', 'b.json', path.join('Sub', 'x.json')]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
