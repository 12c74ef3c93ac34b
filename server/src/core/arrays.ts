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
