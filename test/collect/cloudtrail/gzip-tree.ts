import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Copies a fixture tree to a temporary folder, gzipping every *.json into *.json.gz as CloudTrail delivers it. */
export async function gzippedCopy(source: string): Promise<string> {
  const target = await mkdtemp(path.join(os.tmpdir(), 'ct-tree-'));
  async function copy(rel: string): Promise<void> {
    for (const entry of await readdir(path.join(source, rel), { withFileTypes: true })) {
      const relPath = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        await mkdir(path.join(target, relPath), { recursive: true });
        await copy(relPath);
      } else {
        const bytes = await readFile(path.join(source, relPath));
        const isTrailFile = entry.name.endsWith('.json') && !relPath.includes('CloudTrail-Digest');
        await writeFile(
          path.join(target, isTrailFile ? `${relPath}.gz` : relPath),
          isTrailFile ? gzipSync(bytes) : bytes,
        );
      }
    }
  }
  await copy('');
  return target;
}
