/**
 * The text of `JSON.stringify(value, null, 2)` in pieces, so a large value (a packet of 10,000
 * buckets is some 100 MB of JSON) is written out without ever being one string.
 */

/**
 * A value of at most this many nodes (each value, key and 32 characters of a string count one) is
 * stringified whole; a larger plain object or array is taken apart, at any depth. So no piece is much
 * larger than this: a packet of 10,000 buckets has controls of 10,000 resources each (14 MB of text
 * together) and sections of several MB, each one string when only two levels were taken apart.
 */
const WHOLE_NODES = 1024;
/** Most items of an array stringified together. */
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

/** Nodes of `value` as WHOLE_NODES counts them, counted only until they exceed `budget`. */
function weight(value: unknown, budget: number): number {
  if (typeof value === 'string') return 1 + (value.length >> 5);
  if (!walkable(value)) return 1;
  let n = 1;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && n <= budget; i++) n += weight(value[i], budget - n);
    return n;
  }
  for (const key in value) {
    n += 1 + weight(value[key], budget - n);
    if (n > budget) break;
  }
  return n;
}

/** `items` (contiguous items of an array at `indent`) as the lines they are inside its brackets, led by `lead`. */
function batchText(items: unknown[], indent: string, lead: string): string {
  // "[\n  a,\n  b\n]" without its brackets is the items' lines at this level.
  return `${lead}\n${indent}${indented(JSON.stringify(items, null, 2).slice(2, -2), indent)}`;
}

function* arrayPieces(value: unknown[], indent: string): Generator<string> {
  const inner = `${indent}  `;
  let batchStart = 0;
  let batchNodes = 0;
  let first = true;
  const lead = () => {
    const l = first ? '[' : ',';
    first = false;
    return l;
  };
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const nodes = weight(item, WHOLE_NODES);
    if (nodes > WHOLE_NODES) {
      if (i > batchStart) yield batchText(value.slice(batchStart, i), indent, lead());
      yield `${lead()}\n${inner}`;
      yield* pieces(item, inner);
      batchStart = i + 1;
      batchNodes = 0;
      continue;
    }
    if (i > batchStart && (i - batchStart >= BATCH || batchNodes + nodes > WHOLE_NODES)) {
      yield batchText(value.slice(batchStart, i), indent, lead());
      batchStart = i;
      batchNodes = 0;
    }
    batchNodes += nodes;
  }
  if (value.length > batchStart) yield batchText(value.slice(batchStart), indent, lead());
  yield `\n${indent}]`;
}

function* pieces(value: unknown, indent: string): Generator<string> {
  if (!walkable(value) || weight(value, WHOLE_NODES) <= WHOLE_NODES) {
    yield whole(value, indent);
    return;
  }
  if (Array.isArray(value)) {
    yield* arrayPieces(value, indent);
    return;
  }
  const inner = `${indent}  `;
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (skipped(item)) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* pieces(item, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** stableJson(value) (2-space indent, trailing newline) as pieces whose concatenation is exactly that text. */
export function* stableJsonPieces(value: unknown): Generator<string> {
  if (skipped(value)) throw new Error('stableJsonPieces: the value has no JSON text');
  yield* pieces(value, '');
  yield '\n';
}
