/** Reading policy files from disk (server and CLI): encodings, limits, and what is not a file. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readDiskText, readFileLimited } from '../../../server/src/runtime/readFile';
import { readText } from '../../../server/src/cli/files';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-read-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

test('UTF-8 text, with its BOM removed and multi-byte characters intact', () => {
  const p = write('bom.json', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"Sid": "Zugriff für Rollen ✓"}')]));
  assert.deepEqual(readFileLimited(p, 1000), { kind: 'text', text: '{"Sid": "Zugriff für Rollen ✓"}' });
});

test('UTF-16LE with its BOM (Windows PowerShell\'s `>`): decoded, BOM removed', () => {
  // "{\"Sid\": \"f\u00fcr \u2713\"}" written by hand as UTF-16LE code units.
  const bytes = [0xff, 0xfe, 0x7b, 0, 0x22, 0, 0x53, 0, 0x69, 0, 0x64, 0, 0x22, 0, 0x3a, 0, 0x20, 0, 0x22, 0, 0x66, 0, 0xfc, 0, 0x72, 0, 0x20, 0, 0x13, 0x27, 0x22, 0, 0x7d, 0];
  assert.deepEqual(readFileLimited(write('le.json', new Uint8Array(bytes)), 1000), { kind: 'text', text: '{"Sid": "für ✓"}' });
});

test('UTF-16BE with its BOM: decoded, BOM removed; an odd last byte becomes U+FFFD', () => {
  const bytes = [0xfe, 0xff, 0, 0x7b, 0, 0x22, 0, 0xe9, 0x27, 0x13, 0, 0x22, 0, 0x7d];
  assert.deepEqual(readFileLimited(write('be.json', new Uint8Array(bytes)), 1000), { kind: 'text', text: '{"é✓"}' });
  assert.deepEqual(readFileLimited(write('odd.json', new Uint8Array([...bytes, 0x0a])), 1000), { kind: 'text', text: '{"é✓"}\ufffd' });
  // Only the BOM: an empty text.
  assert.deepEqual(readFileLimited(write('bom-only.json', new Uint8Array([0xfe, 0xff])), 1000), { kind: 'text', text: '' });
});

test('invalid UTF-8 bytes become U+FFFD', () => {
  const p = write('latin1.json', new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
  assert.deepEqual(readFileLimited(p, 1000), { kind: 'text', text: '{"\ufffd"}' });
});

test('an empty file is an empty text', () => {
  assert.deepEqual(readFileLimited(write('empty.json', ''), 1000), { kind: 'text', text: '' });
});

test('a file over the limit is not read; one at the limit is', () => {
  const p = write('big.json', `{"a": "${'x'.repeat(100)}"}`);
  const size = fs.statSync(p).size;
  assert.deepEqual(readFileLimited(p, size - 1), { kind: 'too-large', size });
  assert.equal(readFileLimited(p, size).kind, 'text');
});

test('a folder is not a file', () => {
  const d = path.join(dir, 'folder.json');
  fs.mkdirSync(d);
  assert.deepEqual(readFileLimited(d, 1000), { kind: 'not-a-file' });
  assert.deepEqual(readDiskText(d, 1000), { kind: 'missing' });
  assert.throws(() => readText(d, 1000), /not a regular file/);
});

test('a named pipe is not a file, and reading it does not block', (t) => {
  const p = path.join(dir, 'pipe.json');
  try {
    execFileSync('mkfifo', [p]);
  } catch {
    t.skip('mkfifo is not available here');
    return;
  }
  assert.deepEqual(readFileLimited(p, 1000), { kind: 'not-a-file' });
  assert.deepEqual(readDiskText(p, 1000), { kind: 'missing' });
});

test('a missing file throws for the CLI and is missing for the server', () => {
  const p = path.join(dir, 'absent.json');
  assert.throws(() => readFileLimited(p, 1000), /ENOENT/);
  assert.throws(() => readText(p, 1000), /ENOENT/);
  assert.deepEqual(readDiskText(p, 1000), { kind: 'missing' });
});

test('the CLI reads what the server reads', () => {
  const p = write('same.json', '\ufeff{"Version": "2012-10-17"}');
  const server = readDiskText(p, 1000);
  assert.deepEqual(readText(p, 1000), { text: server.kind === 'text' ? server.text : undefined, tooLarge: false });
  assert.deepEqual(readText(p, 5), { text: '', tooLarge: true });
});
