/**
 * The text of `JSON.stringify(value, null, 2)` in pieces, so a large value (a packet of 10,000
 * buckets is some 100 MB of JSON) is written out without ever being one string.
 */

/** Levels of plain objects and arrays taken apart; anything deeper is stringified whole (a bucket, a finding). */
const LEVELS = 2;
/** Items of an array stringified together at the last level taken apart. */
const BATCH = 64;

type Json = Record<string, unknown> | unknown[];

/** Objects JSON.stringify walks key by key itself: arrays and plain objects without toJSON. */
function walkable(value: unknown): value is Json {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A JSON text holds no raw newline inside a string: every newline is layout, indented by `indent` more here. */
function indented(text: string, indent: string): string {
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function whole(value: unknown, indent: string): string {
  return indented(JSON.stringify(value, null, 2), indent);
}

function* pieces(value: unknown, indent: string, levels: number): Generator<string> {
  if (levels === 0 || !walkable(value)) {
    yield whole(value, indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    if (levels === 1) {
      // Items a batch at a time: "[\n  a,\n  b\n]" without its brackets is the items' lines at this level.
      for (let i = 0; i < value.length; i += BATCH) {
        const batch = JSON.stringify(value.slice(i, i + BATCH), null, 2);
        yield `${i === 0 ? '[' : ','}\n${indent}${indented(batch.slice(2, -2), indent)}`;
      }
      yield `\n${indent}]`;
      return;
    }
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${inner}`;
      const item: unknown = value[i];
      if (skipped(item)) yield 'null';
      else yield* pieces(item, inner, levels - 1);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (skipped(item)) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* pieces(item, inner, levels - 1);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** stableJson(value) (2-space indent, trailing newline) as pieces whose concatenation is exactly that text. */
export function* stableJsonPieces(value: unknown): Generator<string> {
  if (skipped(value)) throw new Error('stableJsonPieces: the value has no JSON text');
  yield* pieces(value, '', LEVELS);
  yield '\n';
}
