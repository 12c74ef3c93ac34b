/**
 * Values computed once per owner (a document, an account) and key. `memoOnDocument` keeps
 * values computed from one policy document alone (its trusts, its grants) as long as the
 * document object lives: a changed file is discovered again into new documents, so nothing
 * there can go stale. The workspace keeps its cross-file values the same way (`memoize`).
 */
import type { PolicyDocument } from '../model/policyDocument';

/** Map or WeakMap from keys to values. */
interface Store<K, V> {
  has(key: K): boolean;
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The value of `key` in `store`, computed on first use. */
function cached<K, V>(store: Store<K, V>, key: K, compute: () => V): V {
  // One lookup for a value already there (the publishing of a large workspace asks millions
  // of times); `has` only tells a kept `undefined` from a missing value.
  const known = store.get(key);
  if (known !== undefined || store.has(key)) return known as V;
  const v = compute();
  store.set(key, v);
  return v;
}

/** The value of `key` for `owner` in `store` (values by owner, then by key), computed on first use. */
export function memoize<K, T>(store: Store<K, Map<string, unknown>>, owner: K, key: string, compute: () => T): T {
  let m = store.get(owner);
  if (!m) store.set(owner, (m = new Map()));
  return cached(m, key, compute) as T;
}

/** One weak map per key, not a map per document: most documents hold a single value (their grants). */
const stores = new Map<string, WeakMap<PolicyDocument, unknown>>();

/**
 * Lets go of what is kept for a document that is itself let go of (a file's full parse once
 * its compact copies are made). Until the next full collection, an entry would hold the
 * document's tree through every young-generation collection.
 */
export function forgetDocument(doc: PolicyDocument): void {
  for (const store of stores.values()) store.delete(doc);
}

export function memoOnDocument<T>(doc: PolicyDocument, key: string, compute: () => T): T {
  let store = stores.get(key);
  if (!store) stores.set(key, (store = new WeakMap()));
  return cached(store, doc, compute) as T;
}
