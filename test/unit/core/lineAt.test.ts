/** `lineAt` counts lines exactly as LineIndex places offsets, for every kind of line break; a LineIndex from `packLines`, and `packedLineAt`, place them as one from the text. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineAt, LineIndex, LineIndexCache, packedLineAt, packLines } from '../../../server/src/core/positions';

test('hand-picked texts: \\n, \\r\\n, lone \\r, offsets between \\r and \\n, out of range', () => {
  const cases: [string, number, number][] = [
    ['', 0, 0],
    ['a\nb', 2, 1],
    ['a\nb', 1, 0],
    ['a\r\nb', 2, 0], // on the \n of \r\n: still the first line
    ['a\r\nb', 3, 1],
    ['a\rb', 2, 1],
    ['\r\r\n\n', 4, 3],
    ['x\ny', 99, 1],
    ['x\ny', -5, 0],
  ];
  for (const [text, offset, line] of cases) assert.equal(lineAt(text, offset), line, JSON.stringify([text, offset]));
});

test('agrees with LineIndex on random texts and offsets', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\t', 'é'), maxLength: 60 }), fc.integer({ min: -2, max: 64 }), (text, offset) => {
      assert.equal(lineAt(text, offset), new LineIndex(text).position(offset).line);
    }),
    { numRuns: 3000, seed: 20261129 },
  );
});

test('a LineIndex from packLines (no text) places offsets and positions as one from the text', () => {
  const positions = (index: LineIndex, text: string) => {
    const out: unknown[] = [];
    for (let o = -1; o <= text.length + 1; o++) out.push(index.position(o));
    for (let line = -1; line <= 4; line++) for (const character of [0, 1, 3, 99]) out.push(index.offset({ line, character }));
    return out;
  };
  for (const text of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\r\r\n\n', '{\n  "Version": "2012-10-17"\n}\n']) {
    assert.deepEqual(positions(new LineIndex(packLines(text), true), text), positions(new LineIndex(text), text), JSON.stringify(text));
  }
  // About a character a line.
  assert.equal(packLines('{\n  "Version": "2012-10-17"\n}\n').length, 4);
  // Lines of 65,535 characters and more, and texts past 64 KB: offsets stay exact.
  for (const first of [0xfffe, 0xffff, 0x10000, 70_000, 0x20005]) {
    const long = 'x'.repeat(first) + '\nlast line\n' + 'y'.repeat(first) + '\r\nz';
    const index = new LineIndex(packLines(long), true);
    assert.deepEqual(index.position(first + 5), { line: 1, character: 4 });
    assert.deepEqual(index.range(first + 1, 9), { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } });
    assert.deepEqual(index.position(long.length), { line: 3, character: 1 });
    assert.equal(index.offset({ line: 2, character: first + 7 }), first + 11 + first + 2);
    assert.deepEqual(positions(index, long).slice(-30), positions(new LineIndex(long), long).slice(-30));
  }
  // Many lines: built in parts, read back whole.
  const many = 'ab\n'.repeat(10_000);
  assert.deepEqual(new LineIndex(packLines(many), true).position(many.length - 1), { line: 9_999, character: 2 });
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r'), maxLength: 40 }), fc.integer({ min: -2, max: 44 }), (text, offset) => {
      assert.deepEqual(new LineIndex(packLines(text), true).position(offset), new LineIndex(text).position(offset));
    }),
    { numRuns: 2000, seed: 20261206 },
  );
});

test('packedLineAt: the line of an offset from the packed lines, as the text gives it', () => {
  const cases: [string, number, number][] = [
    ['', 0, 0],
    ['', 5, 0],
    ['a\nb', 1, 0],
    ['a\nb', 2, 1],
    ['a\r\nb', 2, 0], // on the \n of \r\n: still the first line
    ['a\r\nb', 3, 1],
    ['a\n', 2, 1], // the empty last line
    ['\r\r\n\n', 4, 3],
    ['x\ny', 99, 1],
    ['x\ny', -5, 0],
  ];
  for (const [text, offset, line] of cases) assert.equal(packedLineAt(packLines(text), offset), line, JSON.stringify([text, offset]));
  for (const first of [0xfffe, 0xffff, 0x10000, 70_000]) {
    const long = 'x'.repeat(first) + '\nlast line\n' + 'y'.repeat(first) + '\r\nz';
    const packed = packLines(long);
    assert.deepEqual([first - 1, first, first + 1, first + 11, long.length].map((o) => packedLineAt(packed, o)), [0, 0, 1, 2, 3]);
  }
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r'), maxLength: 40 }), fc.integer({ min: -2, max: 44 }), (text, offset) => {
      assert.equal(packedLineAt(packLines(text), offset), lineAt(text, offset));
    }),
    { numRuns: 2000, seed: 20261207 },
  );
});

test('LineIndexCache keeps an index of packed lines apart from one of a text', () => {
  const cache = new LineIndexCache(4);
  const text = 'a\nbb\nccc';
  const packed = packLines(text);
  const fromPacked = cache.get('f', packed, true);
  assert.equal(cache.get('f', packed, true), fromPacked);
  assert.deepEqual(fromPacked.position(5), { line: 2, character: 0 });
  // The packed string read as a text is another index.
  const asText = cache.get('f', packed);
  assert.notEqual(asText, fromPacked);
  assert.deepEqual(asText.position(2), { line: 0, character: 2 });
});
