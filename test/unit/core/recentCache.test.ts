import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndexCache } from '../../../server/src/core/positions';
import { RecentCache } from '../../../server/src/core/recentCache';

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
