import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * What a careful forger does after editing a packet folder: rewrite manifest.json's file list with
 * fresh sha256 and sizes (`header` may edit the rest), so only re-deriving or re-rendering can tell.
 */
export function recomputeHashes(dir: string, header?: (m: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  header?.(manifest);
  manifest.files = filesUnder(dir)
    .filter((p) => p !== 'manifest.json')
    .sort()
    .map((p) => {
      const bytes = readFileSync(path.join(dir, p));
      return { path: p, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
