/**
 * Values computed from one policy document alone (its trusts, its grants), kept as long as
 * the document object lives: a changed file is discovered again into new documents, so
 * nothing here can go stale.
 */
import type { PolicyDocument } from '../model/policyDocument';

const store = new WeakMap<PolicyDocument, Map<string, unknown>>();

export function memoOnDocument<T>(doc: PolicyDocument, key: string, compute: () => T): T {
  let m = store.get(doc);
  if (!m) store.set(doc, (m = new Map()));
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}
