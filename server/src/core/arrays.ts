import { boundedMemo } from './recentCache';

/**
 * Lists kept as long as their file (parse trees of key policies, grants, file facts): an array
 * grown by `push` holds room for more entries than it has (17 after the first), and most such
 * lists are short or empty. They are kept at their size, and every empty one is the same
 * frozen list (read-only, as they all are once made).
 */
const NONE: readonly never[] = Object.freeze([]);

/** The shared empty list. */
export function none<T>(): T[] {
  return NONE as unknown as T[];
}

/** A copy of `list` at its size, or the shared empty list. */
export function sized<T>(list: readonly T[]): T[] {
  return list.length ? list.slice() : none<T>();
}

/** Distinct shared sets kept; the table starts over when full (sharing is an economy, never needed). */
const SHARED_SETS = 4096;
const sets = new Map<string, Set<string>>();

/**
 * The same set for equal sets of strings (same members in the same order), for sets kept as
 * long as their file: the KMS actions of key-policy statements and identity grants, where
 * `kms:*` and a handful of lists repeat across thousands of files (a set's table is about
 * 600 bytes for `kms:*`). Read-only, as those all are once made.
 */
export function sharedSet(set: Set<string>): Set<string> {
  let key = '';
  for (const v of set) key += v + '\n';
  return boundedMemo(sets, key, SHARED_SETS, () => set);
}
