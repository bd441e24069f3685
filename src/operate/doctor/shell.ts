/** A POSIX-shell single-quoted word. */
function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** One command line from words, each quoted only where needed. */
export function command(...words: Array<string | undefined>): string {
  return words
    .filter((w): w is string => w !== undefined)
    .map((w) => (w.startsWith('--') ? w : shQuote(w)))
    .join(' ');
}

export function json(value: unknown): string {
  return JSON.stringify(value);
}
