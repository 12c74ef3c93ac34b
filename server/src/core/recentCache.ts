import { detach } from './strings';

/** A map that holds the `max` entries used last: reading an entry counts as using it. */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The value of `key` in `memo`, computed on first use; the memo starts over when it holds
 * `max` entries (for keys that come from policy text, so that they cannot grow it without
 * bound). Values must not be undefined. A string key is kept as a copy (see `detach`), and
 * `compute` is given the key kept: a string read from a file can be a slice of its whole
 * text, which neither the memo nor the value may keep alive.
 */
export function boundedMemo<K, V>(memo: Map<K, V>, key: K, max: number, compute: (key: K) => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    const kept = typeof key === 'string' ? (detach(key) as K) : key;
    value = compute(kept);
    if (memo.size >= max) memo.clear();
    memo.set(kept, value);
  }
  return value;
}

/** `boundedMemo` in the memo `memos` holds for `owner` (a catalog, a format…), made on first use. */
export function boundedMemoFor<O extends object, K, V>(memos: WeakMap<O, Map<K, V>>, owner: O, key: K, max: number, compute: (key: K) => V): V {
  let memo = memos.get(owner);
  if (!memo) memos.set(owner, (memo = new Map()));
  return boundedMemo(memo, key, max, compute);
}
