/**
 * `{ ...value, ...more }`, made so that the copies share their hidden class. V8 gives each spread copy
 * of a parsed (or destructured) object a map and descriptor array of its own, some 400 bytes an
 * object: a run of 10,000 buckets keeps about 110,000 evidence records. Object.assign sets what it
 * copies, so an own `__proto__` key (parsed from hostile input) would set the copy's prototype: such
 * a value is spread as before.
 */
export function copyWith<T extends object, U extends object>(value: T, more: U): T & U {
  if (Object.hasOwn(value, '__proto__') || Object.hasOwn(more, '__proto__')) return { ...value, ...more };
  return Object.assign({}, value, more);
}
