/**
 * OWASP CSV-injection guidance: a cell starting with = + - @, tab or CR can become a formula in a
 * spreadsheet. Object keys, Sids and principals are user data, so every text cell of every export
 * (workbook and CSV) goes through this one rule.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** The text with a leading `'` when it could start a formula; unchanged otherwise. */
export function quoteFormulaStart(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
