import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutraliseText, pctFraction, setCell } from '../../../src/render/xlsx/cells.js';

describe('neutraliseText (OWASP CSV-injection guidance)', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `'=HYPERLINK("http://evil")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
  ])('quotes a leading trigger: %j', (input, expected) => {
    expect(neutraliseText(input)).toBe(expected);
  });

  it.each([['logs/2026/a=b.csv'], ['a-b'], ['plain'], [''], ["'already quoted"]])('leaves %j as it is', (input) => {
    expect(neutraliseText(input)).toBe(input);
  });

  it('makes XML-invalid control characters visible instead of letting them vanish', () => {
    expect(neutraliseText('a\u0001b\u001Fc\u007F')).toBe('a\\u0001b\\u001Fc\\u007F');
    // Tab, LF and CR inside the text are valid XML and stay.
    expect(neutraliseText('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('neutralises a formula start that follows an escaped control character', () => {
    expect(neutraliseText('\u0000=1+1')).toBe('\\u0000=1+1');
  });

  it("cuts text at Excel's 32,767-character cell limit", () => {
    const out = neutraliseText('x'.repeat(40_000));
    expect(out.length).toBe(32_767);
    expect(out.endsWith('x…')).toBe(true);
  });
});

describe('setCell', () => {
  const cellOf = () => new ExcelJS.Workbook().addWorksheet('s').getCell('A1');

  it('writes a formula-looking string as a string, never a formula', () => {
    const cell = cellOf();
    setCell(cell, '=1+2');
    expect(cell.value).toBe("'=1+2");
    expect(cell.type).toBe(ExcelJS.ValueType.String);
  });

  it('writes numbers as numbers with the number format', () => {
    const cell = cellOf();
    setCell(cell, 1234567, 'bytes');
    expect(cell.value).toBe(1234567);
    expect(cell.numFmt).toBe('#,##0');
  });

  it('leaves null, undefined and empty text blank', () => {
    for (const input of [null, undefined, '']) {
      const cell = cellOf();
      setCell(cell, input, 'count');
      expect(cell.value).toBeNull();
    }
  });

  it('fills a toned cell and keeps the word in it', () => {
    const cell = cellOf();
    setCell(cell, { text: 'FAIL', tone: 'bad' });
    expect(cell.value).toBe('FAIL');
    expect(cell.fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } });
  });
});

describe('pctFraction', () => {
  it('turns the packet percent into a real fraction without binary noise', () => {
    expect(pctFraction(99.9)).toBe(0.999);
    expect(pctFraction(99.982)).toBe(0.99982);
    expect(pctFraction(100)).toBe(1);
    expect(pctFraction(0)).toBe(0);
  });
});
