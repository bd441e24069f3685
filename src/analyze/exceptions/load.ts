import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseExceptions, type ExceptionsRegister } from './register.js';

export const DEFAULT_EXCEPTIONS_DIR = path.join('config', 'exceptions');

/** config/exceptions/<tenant>.yaml */
export function exceptionsFileFor(tenant: string, dir = DEFAULT_EXCEPTIONS_DIR): string {
  return path.join(dir, `${tenant}.yaml`);
}

/** Reads a tenant's register; a missing file is an empty register marked `exists: false`. */
export async function loadExceptions(file: string, opts: { tenant?: string; controlIds?: readonly string[] } = {}): Promise<ExceptionsRegister> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, exists: false, entries: [] };
    throw err;
  }
  return parseExceptions(source, file, opts);
}
