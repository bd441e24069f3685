import { link, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isRefusedRead, readConfinedText } from '../util/confined-read.js';
import { BaselineExistsError, BaselineFileError, type BaselineBackend } from './store.js';

let counter = 0;

/** Per-tenant default: <root>/config/baseline/<tenant>/ */
export function defaultBaselineDir(baseDir: string, tenant: string): string {
  return path.join(baseDir, tenant);
}

/**
 * Version files in a local folder. A new file is written under a temporary name and then
 * hard-linked to its final name: the link fails if the name exists (never an overwrite), and a
 * reader never sees half a file.
 */
export function folderBackend(dir: string): BaselineBackend {
  return {
    location: dir,
    async listNames() {
      try {
        return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    async read(name) {
      // Only a regular file inside the tenant's baseline folder is a stored baseline.
      const file = path.join(dir, name);
      let text: string | undefined;
      try {
        text = await readConfinedText(dir, file);
      } catch (err) {
        if (isRefusedRead(err)) throw new BaselineFileError(err.message);
        throw err;
      }
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${file} does not exist`), { code: 'ENOENT' });
      return text;
    },
    async create(name, text) {
      await mkdir(dir, { recursive: true });
      const final = path.join(dir, name);
      const tmp = path.join(dir, `.${name}.tmp-${process.pid}-${counter++}`);
      await writeFile(tmp, text, { flag: 'wx' });
      try {
        await link(tmp, final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BaselineExistsError(final);
        throw err;
      } finally {
        await unlink(tmp);
      }
    },
  };
}
