/**
 * Visual order of a left-to-right line holding right-to-left words. The classifier here is the test's
 * own: upper-case letters stand for right-to-left letters, lower-case for left-to-right ones, so every
 * expected order can be read off the strings (as UAX #9's own examples do).
 */
import { describe, expect, it } from 'vitest';
import { visualPieces, type CharClass } from '../../../src/render/pdf/bidi.js';

const classOf = (ch: string): CharClass =>
  /[A-Z]/.test(ch) ? 'R' : /[a-z]/.test(ch) ? 'L' : /[0-9]/.test(ch) ? 'D' : 'N';

/** The line as it stands on the page: right-to-left pieces spelled backwards, as a reader would see them. */
function onPage(text: string): string {
  return visualPieces(text, classOf)
    .map((p) => (p.direction === 'rtl' ? Array.from(p.text).reverse().join('') : p.text))
    .join('');
}

describe('visualPieces', () => {
  it('leaves a left-to-right line as it is', () => {
    expect(visualPieces('acme prod-data 42', classOf)).toEqual([{ text: 'acme prod-data 42', direction: 'ltr' }]);
  });

  it('lays out right-to-left words from right to left, the spaces between them included', () => {
    expect(onPage('SHARIKA ALKHALIJ')).toBe('JILAHKLA AKIRAHS');
  });

  it('keeps the left-to-right text around a right-to-left stretch in place', () => {
    expect(onPage('gulf co SHARIKA ALKHALIJ ltd')).toBe('gulf co JILAHKLA AKIRAHS ltd');
  });

  it('reads a number after a right-to-left word left to right, on its left (UAX #9 W2, N1)', () => {
    expect(onPage('SHARIKA 1389 ltd')).toBe('1389 AKIRAHS ltd');
    expect(visualPieces('SHARIKA 1389', classOf)).toEqual([
      { text: '1389', direction: 'digits' },
      { text: 'SHARIKA ', direction: 'rtl' },
    ]);
  });

  it('a number after punctuation stays with the left-to-right text: "<bucket>: 3 objects" keeps its count after the colon', () => {
    expect(onPage('FAWATIR: 1 unencrypted object')).toBe('RITAWAF: 1 unencrypted object');
  });

  it('a number before the first right-to-left word stays left to right where it is (W7)', () => {
    expect(onPage('2026 SHARIKA')).toBe('2026 AKIRAHS');
  });

  it('neutral characters between right-to-left words take their direction; after the last, the line’s', () => {
    expect(onPage('AB & CD: x')).toBe('DC & BA: x');
  });

  it('a bracket pair around right-to-left words after right-to-left text is part of the stretch, drawn mirrored (N0, L4)', () => {
    expect(onPage('SHARIKA (ALKHALIJ)')).toBe('(JILAHKLA) AKIRAHS');
    expect(visualPieces('SHARIKA (ALKHALIJ)', classOf)).toEqual([{ text: 'SHARIKA )ALKHALIJ(', direction: 'rtl' }]);
    expect(onPage('SHARIKA [ALKHALIJ] {FAWATIR} x')).toBe('{RITAWAF} [JILAHKLA] AKIRAHS x');
  });

  it('a bracket pair around left-to-right text keeps its direction, and the right-to-left words on both sides are stretches of their own', () => {
    expect(onPage('SHARIKA (acme) ALKHALIJ')).toBe('AKIRAHS (acme) JILAHKLA');
  });

  it('a bracket pair around right-to-left words after left-to-right text stays left to right (N0 c.2)', () => {
    expect(onPage('acme (SHARIKA ALKHALIJ) ltd')).toBe('acme (JILAHKLA AKIRAHS) ltd');
    expect(onPage('(SHARIKA)')).toBe('(AKIRAHS)');
  });

  it('a number in brackets after right-to-left words stays in their stretch, read left to right', () => {
    expect(onPage('SHARIKA (1389)')).toBe('(1389) AKIRAHS');
  });

  it('mirrored characters that are not paired brackets (<, >, «, ») are drawn mirrored inside a stretch', () => {
    expect(onPage('SHARIKA < ALKHALIJ')).toBe('JILAHKLA > AKIRAHS');
    expect(onPage('SHARIKA «ALKHALIJ» FAWATIR')).toBe('RITAWAF «JILAHKLA» AKIRAHS');
  });

  it('an unmatched bracket is neutral: inside a stretch it is mirrored, outside it stays as typed', () => {
    expect(onPage('SHARIKA ( ALKHALIJ')).toBe('JILAHKLA ) AKIRAHS');
    expect(onPage('SHARIKA) x')).toBe('AKIRAHS) x');
  });
});
