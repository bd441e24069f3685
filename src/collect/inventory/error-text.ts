/** One line for an error, with its code (ENOENT, NoSuchKey, Z_BUF_ERROR…) when it has one. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  if (code !== undefined && !err.message.startsWith(String(code))) return `${String(code)}: ${err.message}`;
  return err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
}
