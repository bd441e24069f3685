/**
 * A drift item's before/after value as the workbook shows it: pretty-printed JSON (two spaces),
 * the `absent` word for null (the state did not exist on that side) and nothing for undefined.
 * The cell writer neutralises the result like any other text.
 */
export function prettyJson(value: unknown, absent: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return absent;
  return JSON.stringify(value, null, 2);
}
