/** Values kept per document: computed once, and computed again after the document is let go of. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { forgetDocument, memoOnDocument } from '../../../server/src/core/handshake/documentMemo';
import { discover } from '../../../server/src/core/sources/discover';

test('memoOnDocument computes once per document and key; forgetDocument drops every key of that document only', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
  const [a] = discover('/a.json', text).documents;
  const [b] = discover('/b.json', text).documents;
  let computed = 0;
  const value = (doc: typeof a, key: string) => memoOnDocument(doc, key, () => ({ n: ++computed }));
  const grantsA = value(a, 'grants');
  assert.equal(value(a, 'grants'), grantsA);
  const trustsA = value(a, 'trusts');
  const grantsB = value(b, 'grants');
  assert.equal(computed, 3);
  forgetDocument(a);
  assert.notEqual(value(a, 'grants'), grantsA, 'computed again after forgetDocument');
  assert.notEqual(value(a, 'trusts'), trustsA);
  assert.equal(value(b, 'grants'), grantsB, 'another document keeps its values');
  assert.equal(computed, 5);
});

test('a value that is undefined is kept like any other: computed once per document and key', () => {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
  const [doc] = discover('/undefined.json', text).documents;
  let computed = 0;
  const value = () => memoOnDocument(doc, 'nothing', () => { computed++; return undefined; });
  assert.equal(value(), undefined);
  assert.equal(value(), undefined);
  assert.equal(computed, 1);
  const zero = () => memoOnDocument(doc, 'zero', () => { computed++; return 0; });
  assert.equal(zero(), 0);
  assert.equal(zero(), 0);
  assert.equal(computed, 2, 'a falsy value is a kept value too');
});
