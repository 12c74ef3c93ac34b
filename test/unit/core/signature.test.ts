/** `signature`: equal texts give equal signatures; texts that differ in one place, in length or in order give different ones. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { signature } from '../../../server/src/core/strings';

test('equal texts, equal signatures; near-misses differ', () => {
  const base = '0,arn:aws:iam::111122223333:role/App||120:{ "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*" }';
  assert.equal(signature(base), signature(base.split('').join('')));
  assert.equal(signature(base).length, 4);
  const variants = new Set([base, base.replace('120:', '121:'), base.replace('Decrypt', 'Encrypt'), base + ' ', ' ' + base, base.slice(1), base.replace('Allow', 'Allov'), '', 'a', 'b', 'ab', 'ba']);
  const sigs = new Set([...variants].map(signature));
  assert.equal(sigs.size, variants.size);
  // Many similar texts (statement places), no two alike.
  const places = new Set<string>();
  for (let i = 0; i < 20_000; i++) places.add(signature(`${i}:{ "Effect": "Allow" }`));
  assert.equal(places.size, 20_000);
});
