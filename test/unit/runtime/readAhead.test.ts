/**
 * A large folder's first reading in the server reads its files in a thread of its own
 * (`runtime/readAhead.ts`): every file comes as reading it here would give it (text, BOM
 * removed, UTF-16 decoded, invalid bytes, too large, not a file, gone), in the listed order,
 * from the thread once it runs, and read here when the limit is not the thread's; texts that
 * fill the shared ring of bytes many times over come whole.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startReadAhead } from '../../../server/src/runtime/readAhead';
import type { DiskRead } from '../../../server/src/runtime/readFile';
import { CLAIMED, RING_BYTES } from '../../../server/src/runtime/readAheadSlots';

const LIMIT = 4096;
const COUNT = 3000;
let dir: string;
/** The files in the listed order, each with what reading it must give. */
let listed: { file: string; expected: DiskRead }[];

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-read-ahead-'));
  listed = [];
  for (let i = 0; i < COUNT; i++) {
    const file = path.join(dir, `policy-${String(i).padStart(5, '0')}.json`);
    const text = `{"Version": "2012-10-17", "Statement": [{"Sid": "S${i}", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}`;
    fs.writeFileSync(file, text);
    listed.push({ file, expected: { kind: 'text', text } });
  }
  const special = (at: number, name: string, bytes: string | Uint8Array | undefined, expected: DiskRead) => {
    const file = path.join(dir, name);
    if (bytes === undefined) fs.mkdirSync(file);
    else fs.writeFileSync(file, bytes);
    listed[at] = { file, expected };
  };
  special(700, 'bom.json', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"Sid": "Zugriff für Rollen ✓"}')]), { kind: 'text', text: '{"Sid": "Zugriff für Rollen ✓"}' });
  special(701, 'latin1.json', new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]), { kind: 'text', text: '{"\ufffd"}' });
  // UTF-16LE with its BOM: {"a": "é"}
  special(705, 'utf16le.json', new Uint8Array([0xff, 0xfe, 0x7b, 0, 0x22, 0, 0x61, 0, 0x22, 0, 0x3a, 0, 0x22, 0, 0xe9, 0, 0x22, 0, 0x7d, 0]), { kind: 'text', text: '{"a":"é"}' });
  special(702, 'big.json', 'x'.repeat(LIMIT + 1), { kind: 'too-large', size: LIMIT + 1 });
  special(703, 'folder.json', undefined, { kind: 'missing' });
  // Listed, then gone before it is read.
  listed[704] = { file: path.join(dir, 'gone.json'), expected: { kind: 'missing' } };
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Blocks this thread (as checking does), so that the reading thread runs ahead. */
function busy(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('every file comes as read, in order, most of them from the reading thread', () => {
  const reader = startReadAhead(listed.map((l) => l.file), LIMIT);
  assert.ok(reader, 'the reading thread starts');
  try {
    for (let i = 0; i < COUNT; i++) {
      assert.deepEqual(reader.take(i, LIMIT), listed[i].expected, listed[i].file);
      // The reading thread starts meanwhile, and reads as far ahead as it may.
      if (i === 0) busy(300);
    }
    assert.equal(reader.counts.thread + reader.counts.here, COUNT);
    assert.ok(reader.counts.thread >= 500, `read in the thread: ${reader.counts.thread}`);
  } finally {
    reader.close();
  }
});

test('files skipped are not waited for; a file asked for with another limit is read here with it', () => {
  const reader = startReadAhead(listed.map((l) => l.file), LIMIT);
  assert.ok(reader);
  try {
    busy(300);
    assert.deepEqual(reader.take(5, LIMIT), listed[5].expected);
    assert.deepEqual(reader.take(702, LIMIT + 10), { kind: 'text', text: 'x'.repeat(LIMIT + 1) });
    assert.deepEqual(reader.take(703, LIMIT), { kind: 'missing' });
    assert.deepEqual(reader.take(COUNT - 1, LIMIT), listed[COUNT - 1].expected);
    assert.equal(reader.counts.thread + reader.counts.here, 4);
    assert.ok(reader.counts.here >= 1, 'the file with another limit is read here');
  } finally {
    reader.close();
  }
});

test('a file read after the thread is closed is read here', () => {
  const reader = startReadAhead(listed.map((l) => l.file), LIMIT);
  assert.ok(reader);
  reader.close();
  assert.deepEqual(reader.take(10, LIMIT), listed[10].expected);
  assert.deepEqual(reader.take(11, LIMIT), listed[11].expected);
});

test('texts that fill the ring come whole, in order, its bytes used again; a text larger than a quarter of the ring is read here', () => {
  const big = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-read-ahead-big-'));
  try {
    // 40 texts of a seventh of the ring each (almost six rings' worth), each of its own letter,
    // then one of three quarters of the ring.
    const texts = Array.from({ length: 40 }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(Math.floor(RING_BYTES / 7) + i));
    texts.push('z'.repeat((RING_BYTES * 3) / 4));
    const files = texts.map((t, i) => {
      const file = path.join(big, `t${String(i).padStart(2, '0')}.json`);
      fs.writeFileSync(file, t);
      return file;
    });
    const reader = startReadAhead(files, RING_BYTES);
    assert.ok(reader);
    try {
      busy(300);
      let hereBefore = 0;
      for (let i = 0; i < files.length; i++) {
        hereBefore = reader.counts.here;
        const read: DiskRead = reader.take(i, RING_BYTES);
        assert.equal(read.kind, 'text', files[i]);
        assert.ok(read.kind === 'text' && read.text === texts[i], `${files[i]}: the text as written`);
        // The thread claims the last file meanwhile.
        if (i === files.length - 2) busy(300);
      }
      assert.ok(reader.counts.thread >= 30, `read in the thread: ${reader.counts.thread}`);
      assert.equal(reader.counts.here, hereBefore + 1, 'the text of three quarters of the ring is read here');
    } finally {
      reader.close();
    }
  } finally {
    fs.rmSync(big, { recursive: true, force: true });
  }
});

test('a thread that claims files and stops reading (stuck, or ended out of memory without saying so) leaves them, and the rest, to the taking thread', () => {
  const stuck = path.join(dir, 'stuck-thread.js');
  // Claims the first ten files, then never reads: no slot is marked, no progress is made.
  fs.writeFileSync(stuck, `const { workerData } = require('worker_threads'); Atomics.add(workerData.control, ${CLAIMED}, 10); setInterval(() => {}, 1000);`);
  const reader = startReadAhead(listed.map((l) => l.file), LIMIT, stuck);
  assert.ok(reader);
  try {
    busy(100);
    for (let i = 0; i < 20; i++) assert.deepEqual(reader.take(i, LIMIT), listed[i].expected, listed[i].file);
    assert.deepEqual(reader.counts, { thread: 0, here: 20 });
  } finally {
    reader.close();
  }
});
