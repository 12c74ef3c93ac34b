/**
 * A constant table looked up with text from a policy: without a prototype, so that keys
 * such as `constructor` or `__proto__` find nothing instead of Object's own members.
 */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
