/**
 * How a packet's evidence reads in one line (the terminal summary, `portfolio`, delivery messages):
 * "complete", or "INCOMPLETE (1,250 missing)" with the count grouped as the packet's own sentences
 * are; just "INCOMPLETE" when the count is not known (a portfolio row whose packet could not be read).
 */
export function evidenceState(complete: boolean, missing: number | null): string {
  if (complete) return 'complete';
  return missing === null ? 'INCOMPLETE' : `INCOMPLETE (${missing.toLocaleString('en-US')} missing)`;
}
