import { describe, expect, it } from 'vitest';
import {
  fitEnd,
  fitInto,
  fitMiddle,
  fitsInLines,
  cleanText,
  wrapLines,
  fitItems,
  type ItemLine,
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

describe('fitItems', () => {
  const sources: ItemLine = {
    template: (list) => `src: ${list}`,
    items: ['inventory ok', 'logs: 883 records', 'trail: s3:GetBucketEncryption'],
    separator: ' · ',
    more: (n) => `+${n} more — sheet S`,
  };

  it('the whole line when it fits', () => {
    expect(fitItems(sources, 80, 1, chars)).toEqual([
      'src: inventory ok · logs: 883 records · trail: s3:GetBucketEncryption',
    ]);
  });

  it('cuts between whole items and says how many it leaves out and where; never an ellipsis, never a cut word', () => {
    // 50 columns: "src: inventory ok · logs: 883 records · +1 more — sheet S" is 57, one item fewer is 38.
    expect(fitItems(sources, 50, 1, chars)).toEqual(['src: inventory ok · +2 more — sheet S']);
    expect(fitItems(sources, 57, 1, chars)).toEqual(['src: inventory ok · logs: 883 records · +1 more — sheet S']);
  });

  it('a second line shows more items before it cuts', () => {
    expect(fitItems(sources, 30, 1, chars)).toEqual(['src: +3 more — sheet S']);
    expect(fitItems(sources, 30, 2, chars)).toEqual(['src: inventory ok · logs: 883', 'records · +1 more — sheet S']);
    expect(fitItems(sources, 30, 3, chars)).toEqual([
      'src: inventory ok · logs: 883',
      'records · trail:',
      's3:GetBucketEncryption',
    ]);
  });

  it('counts the items that were not worded (total) with those that did not fit', () => {
    const long: ItemLine = { ...sources, items: ['a1', 'b2'], total: 300, separator: ', ' };
    expect(fitItems(long, 32, 1, chars)).toEqual(['src: a1, b2, +298 more — sheet S']);
    expect(fitItems(long, 31, 1, chars)).toEqual(['src: a1, +299 more — sheet S']);
  });

  it('when not even one item fits, the line only counts them', () => {
    expect(fitItems(sources, 25, 1, chars)).toEqual(['src: +3 more — sheet S']);
  });
});
