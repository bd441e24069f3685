import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { projectRoot } from '../project-root.js';

/** The one starter configuration: `init` writes this file's bytes, and the README points to it. */
const STARTER_CONFIG_FILE = path.join('config', 'tenants.example.yaml');

export class FileExistsError extends UsageError {
  constructor(readonly file: string) {
    super(`${file} already exists; not overwriting it (move it away or choose another path)`);
    this.name = 'FileExistsError';
  }
}

/** Creates `file` with `content`, refusing (FileExistsError) when it already exists. */
export async function writeNewFile(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let fh;
  try {
    fh = await open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(file);
    throw err;
  }
  try {
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
}

export async function writeStarterConfig(file: string): Promise<void> {
  await writeNewFile(file, await readFile(path.join(projectRoot(), STARTER_CONFIG_FILE)));
}
