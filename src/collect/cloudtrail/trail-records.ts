/** How a trail file delivered by CloudTrail begins, and what comes between two of its records. */
const HEAD = '{"Records":[';
const NEXT = '},{"eventVersion":';

/**
 * Parses a trail file's records one at a time and hands each to `each` with its 1-based index,
 * so no file's whole parse tree is ever alive (in a scan worker that parse tree, promoted by
 * every young-generation collection, was a third of the worker's time). Only the layout CloudTrail
 * writes is taken: `{"Records":[` then records each opening with `{"eventVersion":`, then `]}`.
 * A record ends where `},{"eventVersion":` starts the next, and is taken only when JSON.parse
 * reads that text as one whole value: then it is the very record a parse of the whole file gives,
 * and the file parses whole (the marker cannot occur inside a string, whose quotes are escaped).
 * Returns false at the first thing that does not fit (another layout, a record holding the marker
 * in a nested array, a record that is not an object between two, broken JSON): the caller then undoes what
 * `each` was given and parses the file whole, which gives the result (or the reason it is
 * unreadable) as before.
 */
export function eachTrailRecord(text: string, each: (record: unknown, index: number) => void): boolean {
  if (!text.startsWith(HEAD)) return false;
  let end = text.length;
  while (end > 0 && isJsonSpace(text.charCodeAt(end - 1))) end--;
  if (end < HEAD.length + 2 || text.charCodeAt(end - 1) !== 0x7d || text.charCodeAt(end - 2) !== 0x5d) return false;
  const close = end - 2;
  let index = 0;
  for (let start = HEAD.length; start < close;) {
    const next = text.indexOf(NEXT, start);
    const stop = next < 0 || next >= close ? close : next + 1;
    let record: unknown;
    try {
      record = JSON.parse(text.slice(start, stop));
    } catch {
      return false;
    }
    each(record, ++index);
    start = stop + 1;
  }
  return true;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
