import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseOperator } from '../../../server/src/core/model/conditions';

test('operators: qualifiers, IfExists, and Object.prototype names are not operators', () => {
  assert.deepEqual(
    [parseOperator('ForAnyValue:StringLikeIfExists')].map((o) => [o.base, o.set, o.ifExists, o.problem]),
    [['StringLike', 'ForAnyValue', true, undefined]],
  );
  assert.equal(parseOperator('NullIfExists').problem !== undefined, true);
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) assert.equal(parseOperator(name).base, undefined, name);
});
