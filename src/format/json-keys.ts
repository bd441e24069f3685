import { visit } from 'jsonc-parser';

/** A key that one object of a JSON text names twice: the key, and where that object is. */
interface RepeatedKey {
  key: string;
  /** The object's path from the top: property names and list positions ([] is the top object). */
  path: (string | number)[];
}

/** A JSON text read once: its value, or why it has none (not JSON at all, or a key named twice). */
export type JsonReading = { value: unknown } | { invalid: string } | { twice: string };

/**
 * Reads `text` as JSON that has a single reading: JSON.parse's value when every object names each
 * key once; `invalid` with JSON.parse's message; `twice` with repeatedKeyProblem's words.
 */
export function readJson(text: string): JsonReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { invalid: (err as Error).message };
  }
  const twice = repeatedKeyProblem(text, value);
  return twice === undefined ? { value } : { twice };
}

/**
 * Why `text`, valid JSON that parsed to `parsed`, has no single reading, or undefined when it has
 * one: "names "Effect" twice in Statement[0] (…)". JSON allows a key twice in one object, but
 * readers differ on it: JSON.parse keeps the last value without a word, others keep the first or
 * refuse the text. A document read two ways cannot be evidence (a policy whose "Effect" is both
 * Allow and Deny).
 */
export function repeatedKeyProblem(text: string, parsed: unknown): string | undefined {
  const found = firstRepeatedKey(text, parsed);
  if (found === undefined) return undefined;
  if (found === 'too deep') return 'is nested too deeply to be checked for a key named twice in one object';
  return `names "${found.key}" twice ${repeatedKeyPlace(found.path)} (JSON readers differ on which of the two counts)`;
}

/**
 * The first key one object of `text` names twice; 'too deep' when the text is nested past what the
 * token reader can follow.
 *
 * The common case costs one pass of a regular expression: every key of a valid JSON text ends with
 * a quote not escaped by a backslash, then optional white space and a colon, so counting those
 * counts every key (and, rarely, the opening quote of a value that starts with a colon). When that
 * count is no more than the keys the parsed value holds, no key was lost. Otherwise the text is
 * read token by token to find the key, if any, that was.
 */
export function firstRepeatedKey(text: string, parsed: unknown): RepeatedKey | 'too deep' | undefined {
  if (keyEnds(text) <= keysHeld(parsed)) return undefined;
  const open: Set<string>[] = [];
  let found: RepeatedKey | undefined;
  try {
    visit(text, {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
        const keys = open[open.length - 1]!;
        if (keys.has(key)) found ??= { key, path: pathSupplier() };
        keys.add(key);
      },
      onObjectEnd: () => {
        open.pop();
      },
    });
  } catch (err) {
    // jsonc-parser reads nested values by recursion; JSON.parse does not.
    if (err instanceof RangeError) return 'too deep';
    throw err;
  }
  return found;
}

/** Where a repeated key is, for a message: "at the top", or "in Statement[0].Condition". */
function repeatedKeyPlace(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'at the top';
  const steps = path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`));
  return `in ${steps.join('')}`;
}

const KEY_END = /(?<!\\)(?:\\\\)*"[ \t\n\r]*:/g;

function keyEnds(text: string): number {
  let count = 0;
  KEY_END.lastIndex = 0;
  while (KEY_END.exec(text) !== null) count++;
  return count;
}

/** Own keys of every object in a parsed JSON value (without recursion: JSON.parse nests without limit). */
function keysHeld(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) for (const entry of item as unknown[]) pending.push(entry);
    else {
      const keys = Object.keys(item);
      count += keys.length;
      for (const key of keys) pending.push((item as Record<string, unknown>)[key]);
    }
  }
  return count;
}
