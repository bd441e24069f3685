/**
 * JSON.parse of a large JSON object held as bytes, without ever making its whole text one string.
 *
 * packet.json is written as `JSON.stringify(packet, null, 2)` (util/json-pieces.ts): some 90 MB at
 * 10,000 buckets, and its text has characters beyond Latin-1 (— and ·), so read whole it is one
 * two-byte string of ~180 MB beside the packet it parses into; `verify` of such a packet peaked at
 * ~670 MB with that string its largest part. In that layout every top-level member starts on a line
 * of its own indented by exactly two spaces (deeper members are indented more, and a JSON string holds
 * no raw newline), so the members can be found in the bytes and parsed one at a time: the largest
 * string made is then the largest member's text.
 *
 * The result is the same value JSON.parse gives the whole text, or the same SyntaxError: bytes of any
 * other layout, a member that does not parse on its own, a key given twice or a `__proto__` key (whose
 * handling by JSON.parse an assembled object would not reproduce) are parsed whole, as before.
 */

const OPEN = Buffer.from('{\n');
/** A newline, two spaces and a quote: the start of a top-level member in the layout above. */
const MEMBER_START = Buffer.from('\n  "');
const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** The byte ranges of the members' `"key": value` texts, or undefined when `bytes` are not of that layout. */
function memberRanges(bytes: Buffer): Array<[number, number]> | undefined {
  if (!bytes.subarray(0, OPEN.length).equals(OPEN)) return undefined;
  // The object closes on a line of its own: "\n}" and, as the tool writes it, one final newline.
  let end = bytes.length;
  if (bytes[end - 1] === NEWLINE) end--;
  if (end < 3 || bytes[end - 1] !== 0x7d /* } */ || bytes[end - 2] !== NEWLINE) return undefined;
  const close = end - 2;
  const ranges: Array<[number, number]> = [];
  let start = bytes.indexOf(MEMBER_START, 0);
  // The first member follows the opening brace's line at once.
  if (start !== 1) return undefined;
  while (start !== -1 && start < close) {
    const next = bytes.indexOf(MEMBER_START, start + 1);
    const stop = next === -1 || next > close ? close : next;
    // Every member but the last ends in the comma that separates it from the next.
    if (stop !== close && bytes[stop - 1] !== COMMA) return undefined;
    ranges.push([start + 3, stop === close ? stop : stop - 1]);
    start = stop === close ? -1 : next;
  }
  return ranges.length > 0 ? ranges : undefined;
}

/** One member's `"key": value` text parsed on its own: [key, value], or undefined when it is not exactly one member. */
function parseMember(bytes: Buffer, [from, to]: [number, number]): [string, unknown] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`{${bytes.toString('utf8', from, to)}}`);
  } catch {
    return undefined;
  }
  const keys = Object.keys(parsed as object);
  if (keys.length !== 1 || keys[0] === '__proto__') return undefined;
  return [keys[0]!, (parsed as Record<string, unknown>)[keys[0]!]];
}

/** `JSON.parse(bytes.toString('utf8'))`, one top-level member at a time when the layout allows (see above). */
export function parseJsonBytes(bytes: Buffer): unknown {
  const ranges = memberRanges(bytes);
  if (ranges) {
    const value: Record<string, unknown> = {};
    let whole = true;
    for (const range of ranges) {
      const member = parseMember(bytes, range);
      if (member === undefined || Object.hasOwn(value, member[0])) {
        whole = false;
        break;
      }
      value[member[0]] = member[1];
    }
    if (whole) return value;
  }
  return JSON.parse(bytes.toString('utf8')) as unknown;
}
