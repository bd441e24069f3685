import path from 'node:path';
import { isRefusedRead, readConfinedText } from '../util/confined-read.js';
import { ExceptionsFileError, parseExceptions } from '../analyze/exceptions/register.js';
import { type ExceptionsRegister } from '../evidence/exceptions-register.js';

const DEFAULT_EXCEPTIONS_DIR = path.join('config', 'exceptions');

/** config/exceptions/<tenant>.yaml */
export function exceptionsFileFor(tenant: string, dir = DEFAULT_EXCEPTIONS_DIR): string {
  return path.join(dir, `${tenant}.yaml`);
}

/**
 * The register's text, read only inside its folder (a link out of it, a FIFO or an oversized file is
 * an ExceptionsFileError naming the file); undefined when there is no register.
 */
export async function readExceptionsText(file: string): Promise<string | undefined> {
  try {
    return await readConfinedText(path.dirname(file), file);
  } catch (err) {
    if (isRefusedRead(err)) throw new ExceptionsFileError(err.message);
    throw new ExceptionsFileError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Reads a tenant's register; a missing file is an empty register marked `exists: false`. */
export async function loadExceptions(
  file: string,
  opts: { tenant?: string; controlIds?: readonly string[] } = {},
): Promise<ExceptionsRegister> {
  const source = await readExceptionsText(file);
  if (source === undefined) return { file, exists: false, entries: [] };
  return parseExceptions(source, file, opts);
}
