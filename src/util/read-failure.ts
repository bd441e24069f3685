/** Reasons for Node's file-system error codes, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a loop of symbolic links',
  ENOTDIR: 'a part of its path is not a folder',
};

/**
 * Why a file could not be read, without the absolute path Node's own message names: the reason
 * goes into reports and outputs that must read the same on any machine.
 */
export function readFailure(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return REASONS[code] ?? `${code} (the file could not be read)`;
  return err instanceof Error ? err.message : String(err);
}
