import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { csvRecord, type CsvValue } from '../../src/format/csv.js';
import { quoteFormulaStart } from '../../src/format/spreadsheet-safe.js';
import { seededRandom } from '../../src/util/seeded-random.js';

describe('csvRecord: the one CSV writer', () => {
  it('RFC 4180: CRLF after the record, quoted only where a comma, quote or line break is held', () => {
    expect(csvRecord(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'ü ł 東京'])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere",ü ł 東京\r\n',
    );
  });

  it('numbers as digits, booleans as words, null and undefined as empty fields', () => {
    expect(csvRecord([-3, 0, 1.5, true, false, null, undefined, ''])).toBe('-3,0,1.5,true,false,,,\r\n');
  });

  it('neutralises formula starts (= + - @ tab CR) in text, not in numbers', () => {
    expect(csvRecord(['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx', '\rx', -1])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-1,'@SUM(A1),'\tx,"'\rx",-1\r\n`,
    );
  });

  it('exact: evidence copies keep the text as it is', () => {
    expect(csvRecord(['=k', '-k'], { exact: true })).toBe('=k,-k\r\n');
  });
});

describe('csvRecord agrees with csv-stringify (the library it replaced), line for line', () => {
  const OPTIONS = {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { boolean: (value: boolean) => String(value) },
  } as const;
  const library = (cells: readonly CsvValue[], exact: boolean) =>
    stringify([cells.map((v) => (typeof v === 'string' && !exact ? quoteFormulaStart(v) : (v ?? '')))], OPTIONS);

  it('on edge values', () => {
    const edges: CsvValue[][] = [
      [],
      [''],
      ['', ''],
      [null],
      [undefined, 'x'],
      ['"'],
      ['""'],
      [','],
      ['\r\n'],
      ['a\rb'],
      [' lead', 'trail '],
      ['=1', '-', '+', '@', '\t', '\r'],
      [0, -0, 1e21, 1.5e-7, Number.NaN, Number.MAX_SAFE_INTEGER],
      [true, false],
      ['tenant%2F2026%2F10+x.json', 'ü ł 東京 😀'],
    ];
    for (const cells of edges) {
      expect(csvRecord(cells)).toBe(library(cells, false));
      expect(csvRecord(cells, { exact: true })).toBe(library(cells, true));
    }
  });

  it('on 3,000 random records of awkward characters', () => {
    const random = seededRandom(4180);
    const alphabet = ['a', 'Z', '0', ',', '"', '\r', '\n', ' ', '=', '+', '-', '@', '\t', "'", 'é', '東', '😀', ';'];
    const value = (): CsvValue => {
      const r = random();
      if (r < 0.05) return null;
      if (r < 0.1) return undefined;
      if (r < 0.15) return random() < 0.5;
      if (r < 0.25) return Math.round((random() - 0.5) * 1e12) / (random() < 0.5 ? 1 : 1000);
      let s = '';
      const n = Math.floor(random() * 8);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)]!;
      return s;
    };
    for (let k = 0; k < 3000; k++) {
      const cells = Array.from({ length: Math.floor(random() * 6) }, value);
      const exact = random() < 0.5;
      expect(csvRecord(cells, { exact })).toBe(library(cells, exact));
    }
  });
});
