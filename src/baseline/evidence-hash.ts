import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvidenceFile } from '../evidence/bundle.js';
import { sha256 } from '../util/hash.js';

export interface EvidenceHash {
  sha256: string;
  /** What was hashed. */
  basis: 'manifest.json' | 'evidence files';
}

/** One line per evidence file ("<sha256>  <path>"), sorted by path: a hash of the whole evidence set. */
function evidenceListHash(files: readonly EvidenceFile[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`);
  return sha256(lines.join(''));
}

/**
 * The hash an approval records: of the packet's manifest.json when there is one (it lists the
 * sha256 of every file), else of the evidence files themselves.
 */
export async function evidenceHashOf(packetDir: string, files: readonly EvidenceFile[]): Promise<EvidenceHash> {
  try {
    const manifest = await readFile(path.join(packetDir, 'manifest.json'));
    return { sha256: sha256(manifest), basis: 'manifest.json' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { sha256: evidenceListHash(files), basis: 'evidence files' };
  }
}
