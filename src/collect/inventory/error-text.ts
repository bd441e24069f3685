/** One line for an error, with its code (ENOENT, NoSuchKey, Z_BUF_ERROR…) when it has one. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const raw = (err as { code?: unknown }).code;
  const code = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  if (code !== undefined && !err.message.startsWith(code)) return `${code}: ${err.message}`;
  return err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
}
