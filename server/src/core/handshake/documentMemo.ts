/**
 * Values computed once per owner (a document, an account) and key. `memoOnDocument` keeps
 * values computed from one policy document alone (its trusts, its grants) as long as the
 * document object lives: a changed file is discovered again into new documents, so nothing
 * there can go stale. The workspace keeps its cross-file values the same way (`memoize`).
 */
import type { PolicyDocument } from '../model/policyDocument';

/** Map or WeakMap from owners to their computed values. */
interface MemoStore<K> {
  get(owner: K): Map<string, unknown> | undefined;
  set(owner: K, values: Map<string, unknown>): unknown;
}

/** The value of `key` for `owner` in `store`, computed on first use. */
export function memoize<K, T>(store: MemoStore<K>, owner: K, key: string, compute: () => T): T {
  let m = store.get(owner);
  if (!m) store.set(owner, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}

const store = new WeakMap<PolicyDocument, Map<string, unknown>>();

export function memoOnDocument<T>(doc: PolicyDocument, key: string, compute: () => T): T {
  return memoize(store, doc, key, compute);
}
