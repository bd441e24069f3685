import { describe, expect, it } from 'vitest';
import {
  fitEnd,
  fitInto,
  fitMiddle,
  fitsInLines,
  cleanText,
  wrapLines,
  wrapWithSuffix,
} from '../../../src/render/pdf/text-fit.js';

/** One point per character: widths are counted by hand. */
const chars = (s: string) => Array.from(s).length;

describe('cleanText', () => {
  it('keeps Latin-1 and the cp1252 extras', () => {
    expect(cleanText('Ünïcødé Œuvre — “quoted” … €5 · naïve')).toBe('Ünïcødé Œuvre — “quoted” … €5 · naïve');
  });
  it('keeps every script (the fonts decide what they draw); control characters and lone surrogates become ?', () => {
    expect(cleanText('株式会社 Łódź Αθήνα Москва عربي 🚀 ok')).toBe('株式会社 Łódź Αθήνα Москва عربي 🚀 ok');
    expect(cleanText('a\u0007b\u009fc\ud800d')).toBe('a?b?c?d');
  });
  it('turns tabs and line breaks into spaces and composes accents first', () => {
    expect(cleanText('a\tb\nc\r\n')).toBe('a b c  ');
    expect(cleanText('e\u0301')).toBe('é');
  });
});

describe('fitMiddle', () => {
  it('returns text that fits unchanged', () => {
    expect(fitMiddle('acme-prod-data', 14, chars)).toBe('acme-prod-data');
  });
  it('keeps both ends, giving the tail the odd character', () => {
    // 10 columns: 9 characters kept, 4 from the start and 5 from the end.
    expect(fitMiddle('acme-prod-archive', 10, chars)).toBe('acme…chive');
  });
  it('returns the ellipsis alone, or nothing, when the width is tiny', () => {
    expect(fitMiddle('abcdef', 1, chars)).toBe('…');
    expect(fitMiddle('abcdef', 0.5, chars)).toBe('');
  });
});

describe('fitEnd', () => {
  it('cuts at the end without a dangling space', () => {
    expect(fitEnd('not collected by this version', 15, chars)).toBe('not collected…');
    expect(fitEnd('short', 5, chars)).toBe('short');
  });
});

describe('wrapLines', () => {
  it('wraps greedily on spaces', () => {
    expect(wrapLines('one two three four', 9, 3, chars)).toEqual(['one two', 'three', 'four']);
  });
  it('ends the last allowed line with an ellipsis when words are left over', () => {
    // 9 columns: "three fo…" would cut a word; the cut falls after the last whole word.
    expect(wrapLines('one two three four five', 9, 2, chars)).toEqual(['one two', 'three…']);
  });
  it('cuts a single word longer than the line', () => {
    // One word wider than the line keeps both its ends (an identifier is never cut at its end only).
    expect(wrapLines('abcdefghijkl mn', 5, 2, chars)).toEqual(['ab…kl', 'mn']);
  });
  it('returns no lines for blank text', () => {
    expect(wrapLines('   ', 10, 2, chars)).toEqual([]);
  });
});

describe('fitInto', () => {
  const template = (name: string) => `Prepared by ${name} · v1`;
  it('shortens only the placeholder value', () => {
    // Fixed part "Prepared by  · v1" is 17 columns; 25 leaves 8 for the name.
    expect(fitInto(template, 'Example Managed Services', 25, chars, 'end')).toBe('Prepared by Example… · v1');
    expect(fitInto(template, 'acme-prod-archive', 25, chars, 'middle')).toBe('Prepared by acm…hive · v1');
  });
  it('cuts the whole sentence when the fixed part alone is too wide', () => {
    expect(fitInto(template, 'X', 10, chars, 'end')).toBe('Prepared…');
  });
});

describe('fitsInLines', () => {
  it('counts greedy lines without cutting', () => {
    expect(fitsInLines('one two three four', 9, 3, chars)).toBe(true);
    expect(fitsInLines('one two three four', 9, 2, chars)).toBe(false);
    expect(fitsInLines('abcdefghijkl', 9, 5, chars)).toBe(false);
  });
});

describe('wrapWithSuffix', () => {
  it('keeps the suffix whole and cuts the text before it', () => {
    // 12 columns, 1 line: "; +3 more" is 9 columns, leaving "ab" + ellipsis.
    expect(wrapWithSuffix('abcdefgh', '; +3 more', 12, 1, chars)).toEqual(['ab…; +3 more']);
    expect(wrapWithSuffix('abc', '; +3 more', 12, 1, chars)).toEqual(['abc; +3 more']);
  });
});
