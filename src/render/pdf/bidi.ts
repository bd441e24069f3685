/**
 * Visual order for a line of the page (a left-to-right paragraph) that holds right-to-left words: the
 * part of the Unicode Bidirectional Algorithm (UAX #9) a name or a sentence needs. A stretch runs from a
 * right-to-left character to the last one before the next left-to-right letter (and a number just
 * after it); inside it the neutral
 * characters (spaces, punctuation) take its direction, numbers read left to right, and its pieces are
 * laid out from right to left. What lies outside the stretches stays in logical order. Mirrored
 * brackets and explicit embeddings are not handled: tenant and bucket names do not need them.
 */

/** R: a right-to-left character; L: a left-to-right letter; D: a digit; N: anything else (neutral). */
export type CharClass = 'R' | 'L' | 'D' | 'N';

export interface Piece {
  /** In logical order. */
  text: string;
  /** ltr: drawn as it reads; rtl: drawn right to left; digits: a number inside a right-to-left stretch, drawn left to right. */
  direction: 'ltr' | 'rtl' | 'digits';
}

/** The pieces of `text` from left to right as they stand on the page. */
export function visualPieces(text: string, classOf: (ch: string) => CharClass): Piece[] {
  const chars = Array.from(text);
  const classes = chars.map(classOf);
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
    const last = pieces.at(-1);
    if (last?.direction === direction) last.text += ch;
    else pieces.push({ text: ch, direction });
  });
  return pieces.reverse();
}
