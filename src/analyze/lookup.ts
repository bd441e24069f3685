/**
 * What `items.find((x) => key(x) === k)` returns, looked up instead of scanned: analysis asks such
 * questions once per bucket or row, and a scan each time made it quadratic in the number of buckets.
 * The index is built once per array and kind of key; the arrays analysis looks up in are complete
 * before the first lookup and never changed afterwards.
 */
const indexes = new WeakMap<readonly unknown[], Map<string, ReadonlyMap<string, unknown>>>();

/** The first item per key (as `find` would return it), by `kind` (one name per key function). */
export function firstByKey<T>(
  items: readonly T[],
  kind: string,
  keysOf: (item: T) => readonly string[],
): ReadonlyMap<string, T> {
  let byKind = indexes.get(items);
  if (!byKind) {
    byKind = new Map();
    indexes.set(items, byKind);
  }
  let index = byKind.get(kind) as ReadonlyMap<string, T> | undefined;
  if (!index) {
    const built = new Map<string, T>();
    for (const item of items) for (const k of keysOf(item)) if (!built.has(k)) built.set(k, item);
    byKind.set(kind, built);
    index = built;
  }
  return index;
}

/** One key from several parts; the separator appears in no name AWS allows. */
export function joinKey(...parts: string[]): string {
  return parts.join('\u0000');
}
