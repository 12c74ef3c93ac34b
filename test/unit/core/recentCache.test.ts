import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndexCache } from '../../../server/src/core/positions';
import { boundedMemo, RecentCache } from '../../../server/src/core/recentCache';

test('RecentCache keeps the entries used last: a read counts as a use, the oldest goes first', () => {
  const c = new RecentCache<string, number>(2);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1); // a is now the latest
  c.set('c', 3); // b goes
  assert.deepEqual([c.get('a'), c.get('b'), c.get('c')], [1, undefined, 3]);
  c.set('a', 4); // replacing keeps one entry
  c.set('d', 5); // c goes (a was used after it)
  assert.deepEqual([c.get('a'), c.get('c'), c.get('d')], [4, undefined, 5]);
  c.delete('a');
  assert.equal(c.get('a'), undefined);
  c.clear();
  assert.equal(c.get('d'), undefined);
});

test('LineIndexCache reuses an index while the text is the same and rebuilds it when it changes', () => {
  const cache = new LineIndexCache(1);
  const first = cache.get('/a.json', 'x\ny');
  assert.equal(cache.get('/a.json', 'x\ny'), first);
  const changed = cache.get('/a.json', 'x\n\ny');
  assert.notEqual(changed, first);
  assert.equal(changed.position(3).line, 2);
  cache.get('/b.json', '{}'); // over the bound: /a.json goes
  assert.notEqual(cache.get('/a.json', 'x\n\ny'), changed);
});

test('boundedMemo: computes a key once, and starts over when the memo holds max entries', () => {
  const memo = new Map<string, number>();
  let computed = 0;
  const get = (k: string) => boundedMemo(memo, k, 3, () => { computed++; return k.length; });
  assert.equal(get('a'), 1);
  assert.equal(get('a'), 1);
  assert.equal(computed, 1);
  get('bb');
  get('ccc');
  assert.equal(memo.size, 3);
  assert.equal(get('dddd'), 4);
  assert.deepEqual([...memo.keys()], ['dddd'], 'full: started over');
  get('a');
  assert.equal(computed, 5, 'a was forgotten with the rest');
  // A false value is remembered like any other.
  const flags = new Map<string, boolean>();
  let asked = 0;
  boundedMemo(flags, 'x', 10, () => { asked++; return false; });
  boundedMemo(flags, 'x', 10, () => { asked++; return false; });
  assert.equal(asked, 1);
});
