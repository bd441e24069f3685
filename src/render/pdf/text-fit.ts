/**
 * Making text fit a cell: cleaning, middle ellipsis for names, end ellipsis for sentences, greedy
 * word wrap with a line cap. Pure: every function takes a `measure` so it is testable without pdfkit.
 */

/** Width of a string in points, in the font and size it will be drawn with. */
export type Measure = (text: string) => number;

const ELLIPSIS = '\u2026';

/**
 * One line of text as the page draws it: NFC (so "ó" is one character, as the fonts have it), line
 * breaks and tabs as spaces, other control characters and unpaired surrogates as "?". Every script
 * passes: the fonts decide what they can draw (fonts.ts).
 */
export function cleanText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff)) out += '?';
    else out += ch;
  }
  return out;
}

/** "(looked in ../output/…)" and any other parenthesis that holds a local path. */
const PATH_ASIDE = /\s*\((?:looked in |in |at )?(?:\.{1,2}|~)?\/[^()\s]*\/[^()]*\)/g;
/** A token that is a local path: starts with /, ./, ../ or ~/ and has at least two segments. */
const PATH_TOKEN = /(^|[\s(:"'])(?:\.{1,2}|~)?\/[^\s/]+\/\S*/g;

/**
 * Client-safe text: the page is read by the tenant, so where the operator's files lie on the
 * operator's machine is not said on it (the workbook and the terminal keep the full reason).
 */
export function withoutLocalPaths(text: string): string {
  return text.replace(PATH_ASIDE, '').replace(PATH_TOKEN, '$1(local path)');
}

/**
 * Keeps the start and the end, drops the middle: `acme-prod-…-archive`. The tail gets the odd
 * character because the end of a name usually tells siblings apart. Returns '' when not even the
 * ellipsis fits.
 */
export function fitMiddle(text: string, maxWidth: number, measure: Measure): string {
  if (measure(text) <= maxWidth) return text;
  const chars = Array.from(text);
  for (let keep = chars.length - 1; keep > 0; keep--) {
    const head = Math.floor(keep / 2);
    const candidate = chars.slice(0, head).join('') + ELLIPSIS + chars.slice(chars.length - (keep - head)).join('');
    if (measure(candidate) <= maxWidth) return candidate;
  }
  return measure(ELLIPSIS) <= maxWidth ? ELLIPSIS : '';
}

/**
 * The most leading characters of `chars` that can possibly matter for a box of `room` points: a
 * prefix measured wider than twice the room cannot fit once cut (kerning never halves a width), so
 * searches for the longest fitting cut start here instead of at the end of a long text. Binary
 * search: a few measurements whatever the text's length.
 */
function prefixBound(chars: readonly string[], room: number, measure: Measure): number {
  const limit = 2 * Math.max(room, 0) + measure(ELLIPSIS);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('')) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return Math.min(chars.length, lo + 1);
}

/**
 * Keeps the start of a sentence and ends it with an ellipsis, after a whole word: an identifier is
 * never cut in its middle ("s3:GetB…"). A text that is one long word keeps both its ends instead.
 */
export function fitEnd(text: string, maxWidth: number, measure: Measure): string {
  if (measure(text) <= maxWidth) return text;
  const chars = Array.from(text);
  for (let keep = Math.min(chars.length - 1, prefixBound(chars, maxWidth, measure)); keep > 0; keep--) {
    // Only cuts at a word's end: the next character is a space.
    if (!/\s/.test(chars[keep] ?? ' ')) continue;
    const candidate = chars.slice(0, keep).join('').trimEnd() + ELLIPSIS;
    if (measure(candidate) <= maxWidth) return candidate;
  }
  return fitMiddle(text, maxWidth, measure);
}

/**
 * Greedy word wrap into at most `maxLines` lines; what does not fit ends the last line with an
 * ellipsis. A single word wider than the line is cut with an ellipsis too.
 */
export function wrapLines(text: string, maxWidth: number, maxLines: number, measure: Measure): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let current = '';
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] ?? '';
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    if (!current) {
      // A lone word wider than the line.
      lines.push(fitEnd(word, maxWidth, measure));
      if (lines.length === maxLines) {
        i++;
        break;
      }
      continue;
    }
    lines.push(current);
    current = word;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines) {
    if (current) lines.push(fitEnd(current, maxWidth, measure));
    return lines;
  }
  if (i < words.length) {
    // Out of lines with words left: the last line carries the rest, cut at the end.
    const rest = [lines.pop() ?? '', ...words.slice(i)].join(' ');
    lines.push(fitEnd(rest, maxWidth, measure));
  }
  return lines;
}

/**
 * Fits a sentence by shortening only its variable part: `template('')` is the fixed wording,
 * `value` the name that gives way (in the middle or at its end). Falls back to cutting the whole
 * sentence at its end when the fixed wording alone is too wide.
 */
export function fitInto(
  template: (value: string) => string,
  value: string,
  maxWidth: number,
  measure: Measure,
  fit: 'middle' | 'end',
): string {
  const full = template(value);
  if (measure(full) <= maxWidth) return full;
  const room = maxWidth - measure(template(''));
  const short = fit === 'middle' ? fitMiddle(value, room, measure) : fitEnd(value, room, measure);
  const candidate = template(short);
  // Kerning makes widths not quite additive; re-check rather than trust the sum.
  return short && measure(candidate) <= maxWidth ? candidate : fitEnd(full, maxWidth, measure);
}

/**
 * True when greedy wrapping fits `text` into `maxLines` lines without cutting anything. Stops at
 * the first line too many, so a long text costs no more than the lines it is allowed.
 */
export function fitsInLines(text: string, maxWidth: number, maxLines: number, measure: Measure): boolean {
  let lines = 0;
  let current = '';
  for (const match of text.matchAll(/\S+/g)) {
    const word = match[0];
    if (measure(word) > maxWidth) return false;
    const candidate = current ? `${current} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      current = candidate;
      continue;
    }
    lines++;
    if (lines >= maxLines) return false;
    current = word;
  }
  if (current) lines++;
  return lines <= maxLines;
}

/**
 * A line that names a list of items, cut only between whole items: the items shown, then how many it
 * leaves out and where they are ("+3 more — see workbook sheet Keys"). An item is never cut.
 */
export interface ItemLine {
  /** The whole line around the list: `list` is the items shown, joined, with the "more" note. */
  template(list: string): string;
  /** The first items, worded; `total` may count more than are worded (only those that can fit are). */
  items: readonly string[];
  /** Items in all (default: items.length). */
  total?: number;
  separator: string;
  /** What the cut leaves out and where it is, e.g. "+3 more — see workbook sheet Keys". */
  more(count: number): string;
}

/** The line with its first `shown` items: the rest counted, or only counted when none is shown. */
function itemLineText(line: ItemLine, shown: number): string {
  const total = Math.max(line.total ?? line.items.length, line.items.length);
  const rest = total - shown;
  const list = line.items.slice(0, shown).join(line.separator);
  const note = rest > 0 ? line.more(rest) : '';
  return line.template(list && note ? list + line.separator + note : list || note);
}

/**
 * The line in at most `maxLines` lines with as many whole items as fit, the rest counted. When not
 * even the count alone fits, the count line is cut at its end (a line too narrow for any sentence).
 */
export function fitItems(line: ItemLine, maxWidth: number, maxLines: number, measure: Measure): string[] {
  // Items whose widths alone exceed every line's width together cannot be shown: start below them.
  let start = 0;
  for (let room = maxWidth * maxLines; start < line.items.length; start++) {
    room -= measure(cleanText(line.items[start] ?? ''));
    if (room < 0) break;
  }
  for (let shown = start; shown >= 0; shown--) {
    const text = cleanText(itemLineText(line, shown));
    if (fitsInLines(text, maxWidth, maxLines, measure)) return wrapLines(text, maxWidth, maxLines, measure);
  }
  return wrapLines(cleanText(itemLineText(line, 0)), maxWidth, maxLines, measure);
}
