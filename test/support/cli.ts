import { vi } from 'vitest';
import { main } from '../../src/cli/program.js';

/** What one in-process CLI invocation printed. */
export const captured = { out: '', err: '' };

/** Runs `s3-evidence <args>` in this process, capturing stdout and stderr; returns the exit code. */
export async function cli(...args: string[]): Promise<number> {
  captured.out = '';
  captured.err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((captured.out += String(c)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: string | Uint8Array) => ((captured.err += String(c)), true));
  process.exitCode = undefined;
  try {
    return await main(['node', 's3-evidence', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}
