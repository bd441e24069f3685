import { describe, expect, it } from 'vitest';
import { csvLines, csvRecord } from '../../src/format/csv.js';

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

  it('csvLines: many records in one text, each as csvRecord writes it', () => {
    expect(
      csvLines([
        ['a,b', 1],
        ['=x', null],
        [true, 'two\nlines'],
      ]),
    ).toBe('"a,b",1\r\n\'=x,\r\ntrue,"two\nlines"\r\n');
    expect(csvLines([['=k'], ['-k']], { exact: true })).toBe('=k\r\n-k\r\n');
    expect(csvLines([])).toBe('');
  });
});
