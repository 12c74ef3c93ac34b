/** `lineAt` counts lines exactly as LineIndex places offsets, for every kind of line break; a LineIndex from `lineStarts` places them as one from the text. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineAt, LineIndex, lineStarts } from '../../../server/src/core/positions';

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

test('a LineIndex from lineStarts (no text) places offsets and positions as one from the text', () => {
  const positions = (index: LineIndex, text: string) => {
    const out: unknown[] = [];
    for (let o = -1; o <= text.length + 1; o++) out.push(index.position(o));
    for (let line = -1; line <= 4; line++) for (const character of [0, 1, 3, 99]) out.push(index.offset({ line, character }));
    return out;
  };
  for (const text of ['', 'a', 'a\nb', 'a\r\nb\r\n', '\r\r\n\n', '{\n  "Version": "2012-10-17"\n}\n']) {
    assert.deepEqual(positions(new LineIndex(lineStarts(text)), text), positions(new LineIndex(text), text), JSON.stringify(text));
  }
  // 16-bit entries below 64 KB, 32-bit from there on: offsets past 65,535 stay exact.
  assert.ok(lineStarts('x\n'.repeat(100)) instanceof Uint16Array);
  const long = 'x'.repeat(70_000) + '\nlast line\n';
  const starts = lineStarts(long);
  assert.ok(starts instanceof Uint32Array);
  assert.deepEqual(new LineIndex(starts).position(70_005), { line: 1, character: 4 });
  assert.deepEqual(new LineIndex(starts).range(70_001, 9), { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } });
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r'), maxLength: 40 }), fc.integer({ min: -2, max: 44 }), (text, offset) => {
      assert.deepEqual(new LineIndex(lineStarts(text)).position(offset), new LineIndex(text).position(offset));
    }),
    { numRuns: 2000, seed: 20261206 },
  );
});
