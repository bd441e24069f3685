/**
 * Visual order for a line of the page (a left-to-right paragraph) that holds right-to-left words: the
 * part of the Unicode Bidirectional Algorithm (UAX #9) a name or a sentence needs. A stretch runs from a
 * right-to-left character to the last one before the next left-to-right letter (and a number just
 * after it); inside it the neutral
 * characters (spaces, punctuation) take its direction, numbers read left to right, and its pieces are
 * laid out from right to left. What lies outside the stretches stays in logical order. A bracket pair
 * takes the direction of what it encloses and of what precedes it (UAX #9 N0), and a right-to-left
 * stretch draws each mirrored character as its mirror image (L4): "شركة (الخليج)" reads "(الخليج) شركة",
 * never "الخليج( شركة)". Explicit embeddings are not handled: tenant and bucket names do not need them.
 */

/** R: a right-to-left character; L: a left-to-right letter; D: a digit; N: anything else (neutral). */
export type CharClass = 'R' | 'L' | 'D' | 'N';

export interface Piece {
  /** In logical order. */
  text: string;
  /**
   * ltr: drawn as it reads; rtl: drawn right to left, its mirrored characters already replaced by their
   * mirror images ("(" by ")"); digits: a number inside a right-to-left stretch, drawn left to right.
   */
  direction: 'ltr' | 'rtl' | 'digits';
}

/** The pieces of `text` from left to right as they stand on the page. */
export function visualPieces(text: string, classOf: (ch: string) => CharClass): Piece[] {
  const chars = Array.from(text);
  const classes = withBracketPairs(chars, chars.map(classOf));
  const out: Piece[] = [];
  const push = (piece: Piece) => {
    if (piece.text) out.push(piece);
  };
  let i = 0;
  while (i < chars.length) {
    const start = classes.indexOf('R', i);
    if (start < 0) {
      push({ text: chars.slice(i).join(''), direction: 'ltr' });
      break;
    }
    push({ text: chars.slice(i, start).join(''), direction: 'ltr' });
    const nextLtr = classes.indexOf('L', start);
    const limit = nextLtr < 0 ? chars.length : nextLtr;
    let end = classes.lastIndexOf('R', limit - 1);
    // A number after a right-to-left word, with only spaces between, belongs to its stretch (UAX #9 W2,
    // N1). After other punctuation it stays with the left-to-right text: "<bucket>: 3 objects" keeps its
    // count after the colon, as a name set apart (an isolate) would.
    for (let k = end + 1; k < limit && (chars[k] === ' ' || classes[k] === 'D'); k++) if (classes[k] === 'D') end = k;
    out.push(...rtlStretch(chars.slice(start, end + 1), classes.slice(start, end + 1)));
    i = end + 1;
  }
  return out;
}

/** A right-to-left stretch: numbers apart, its pieces from right to left. */
function rtlStretch(chars: string[], classes: CharClass[]): Piece[] {
  const pieces: Piece[] = [];
  chars.forEach((ch, k) => {
    const direction = classes[k] === 'D' ? 'digits' : 'rtl';
    const glyph = direction === 'rtl' ? (MIRRORED.get(ch) ?? ch) : ch;
    const last = pieces.at(-1);
    if (last?.direction === direction) last.text += glyph;
    else pieces.push({ text: glyph, direction });
  });
  return pieces.reverse();
}

/**
 * Characters with the Bidi_Mirrored property and the glyph each is drawn as in a right-to-left stretch
 * (Unicode's BidiMirroring.txt): brackets, angle quotation marks and the comparison signs the page's
 * fonts draw.
 */
const MIRROR_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [0x28, 0x29], // ( )
  [0x3c, 0x3e], // < >
  [0x5b, 0x5d], // [ ]
  [0x7b, 0x7d], // { }
  [0xab, 0xbb], // « »
  [0x2039, 0x203a], // ‹ ›
  [0x2045, 0x2046], // ⁅ ⁆
  [0x207d, 0x207e], // ⁽ ⁾
  [0x208d, 0x208e], // ₍ ₎
  [0x2264, 0x2265], // ≤ ≥
  [0x2308, 0x2309], // ⌈ ⌉
  [0x230a, 0x230b], // ⌊ ⌋
  [0x2329, 0x232a], // 〈 〉
  [0x27e6, 0x27e7], // ⟦ ⟧
  [0x27e8, 0x27e9], // ⟨ ⟩
  [0x27ea, 0x27eb], // ⟪ ⟫
  [0x3008, 0x3009], // 〈 〉
  [0x300a, 0x300b], // 《 》
  [0x300c, 0x300d], // 「 」
  [0x300e, 0x300f], // 『 』
  [0x3010, 0x3011], // 【 】
  [0x3014, 0x3015], // 〔 〕
  [0x3016, 0x3017], // 〖 〗
  [0x3018, 0x3019], // 〘 〙
  [0x301a, 0x301b], // 〚 〛
  [0xfe59, 0xfe5a], // ﹙ ﹚
  [0xfe5b, 0xfe5c], // ﹛ ﹜
  [0xfe5d, 0xfe5e], // ﹝ ﹞
  [0xfe64, 0xfe65], // ﹤ ﹥
  [0xff08, 0xff09], // （ ）
  [0xff1c, 0xff1e], // ＜ ＞
  [0xff3b, 0xff3d], // ［ ］
  [0xff5b, 0xff5d], // ｛ ｝
  [0xff5f, 0xff60], // ｟ ｠
  [0xff62, 0xff63], // ｢ ｣
];

const MIRRORED: ReadonlyMap<string, string> = new Map(
  MIRROR_PAIRS.flatMap(([a, b]) => [
    [String.fromCodePoint(a), String.fromCodePoint(b)],
    [String.fromCodePoint(b), String.fromCodePoint(a)],
  ]),
);

/**
 * Opening bracket to its closing one: the mirrored pairs with a Bidi_Paired_Bracket_Type (UAX #9 BD14,
 * BD15); "<", ">", quotation marks and comparison signs are mirrored but never paired.
 */
const NOT_PAIRED: ReadonlySet<number> = new Set([0x3c, 0xab, 0x2039, 0x2264, 0xfe64, 0xff1c]);
const CLOSING_OF: ReadonlyMap<string, string> = new Map(
  MIRROR_PAIRS.filter(([a]) => !NOT_PAIRED.has(a)).map(([a, b]) => [String.fromCodePoint(a), String.fromCodePoint(b)]),
);

/** Deepest bracket nesting followed (BD16 stops at 63 open brackets). */
const MAX_OPEN_BRACKETS = 63;

/** Bracket pairs as index pairs, sorted by their opening bracket (UAX #9 BD16). */
function bracketPairs(chars: readonly string[]): Array<[number, number]> {
  const stack: Array<{ closing: string; at: number }> = [];
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const closing = CLOSING_OF.get(ch);
    if (closing !== undefined) {
      if (stack.length === MAX_OPEN_BRACKETS) break;
      stack.push({ closing, at: i });
      continue;
    }
    let open = stack.length - 1;
    while (open >= 0 && stack[open]!.closing !== ch) open--;
    if (open < 0) continue;
    pairs.push([stack[open]!.at, i]);
    stack.length = open;
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * The classes with each bracket pair resolved as UAX #9 N0 does in a left-to-right line: a pair that
 * encloses a left-to-right letter is L; one that encloses only right-to-left text (numbers count as
 * right to left here) takes the direction of the strong character before it (L at the line's start);
 * one that encloses neither stays neutral. Pairs are resolved in order, each seeing those before it.
 */
function withBracketPairs(chars: readonly string[], classes: readonly CharClass[]): CharClass[] {
  const out = [...classes];
  const strong = (c: CharClass | undefined) => (c === 'L' ? 'L' : c === 'R' || c === 'D' ? 'R' : undefined);
  for (const [open, close] of bracketPairs(chars)) {
    const inside = out.slice(open + 1, close).map(strong);
    let resolved: CharClass | undefined;
    if (inside.includes('L')) resolved = 'L';
    else if (inside.includes('R')) {
      let before: 'L' | 'R' | undefined;
      for (let k = open - 1; k >= 0 && before === undefined; k--) before = strong(out[k]);
      resolved = before ?? 'L';
    }
    if (resolved !== undefined) out[open] = out[close] = resolved;
  }
  return out;
}
