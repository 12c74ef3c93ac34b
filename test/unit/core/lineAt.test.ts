/** `lineAt` counts lines exactly as LineIndex places offsets, for every kind of line break. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineAt, LineIndex } from '../../../server/src/core/positions';

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
