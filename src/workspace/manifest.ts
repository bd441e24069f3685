import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunInfo } from '../evidence/bundle.js';
import { writeTextAtomic } from '../util/atomic-write.js';
import { stableJsonPieces } from '../util/json-pieces.js';
import { hashTree, type HashedFile } from '../util/hash.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_VERSION = 1;
/**
 * Files made after the manifest and about it (signature, its public key, publish receipt, the record of
 * deliveries): never hashed into it, never "unlisted", so signing, publishing or delivering never changes
 * what verify checks.
 */
export const MANIFEST_COMPANIONS: ReadonlySet<string> = new Set([
  'manifest.signature.json',
  'manifest.public-key.der',
  'publish-receipt.json',
  'deliveries.json',
]);

export interface RenderSettings {
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  tool: { name: string; version: string };
  tenant: string;
  period: { label: string; startUtc: string; endUtc: string; timeZone: string };
  configSha256: string;
  collection: { mode: RunInfo['mode']; startedAt: string; identity?: RunInfo['identity'] };
  /** Where each kind of evidence came from (account export folders, inventory locations). */
  sources: Array<{ kind: string; scope: string; location: string }>;
  /** The options the PDF, workbook and CSV were rendered with, so `verify` can render them again. */
  render: RenderSettings;
  files: Array<{ path: string; sha256: string; size: number }>;
}

/**
 * Hashes every file in the packet folder except the manifest itself. `known`: hashes of files this
 * process wrote (relative paths), taken instead of reading those files back.
 */
export async function buildManifest(
  packetDir: string,
  meta: Omit<Manifest, 'manifestVersion' | 'files'>,
  known?: ReadonlyMap<string, HashedFile>,
): Promise<Manifest> {
  const files = (await hashTree(packetDir, '', known)).filter(
    (f) => f.path !== MANIFEST_FILE && !MANIFEST_COMPANIONS.has(f.path),
  );
  return { manifestVersion: MANIFEST_VERSION, ...meta, files };
}

/** Written in pieces: at 10,000 buckets the manifest lists some 130,000 files. */
export async function writeManifest(packetDir: string, manifest: Manifest): Promise<void> {
  await writeTextAtomic(path.join(packetDir, MANIFEST_FILE), stableJsonPieces(manifest));
}

export async function readManifest(packetDir: string): Promise<Manifest> {
  const file = path.join(packetDir, MANIFEST_FILE);
  return JSON.parse(await readFile(file, 'utf8')) as Manifest;
}

export type FileCheck =
  | { path: string; state: 'ok' }
  /** Its bytes are not the ones listed: another sha256, or the same sha256 beside another size. */
  | { path: string; state: 'changed'; expected: string; actual: string; expectedSize: unknown; actualSize: number }
  | { path: string; state: 'missing' }
  | { path: string; state: 'unlisted' }
  /** A second entry for a path already listed: a manifest lists each file once. */
  | { path: string; state: 'listed_twice' };

/**
 * Recomputes every hash and size; also reports files present in the folder but absent from the
 * manifest, and entries that list a file again. `known`: hashes of files just read whole by the
 * caller (verify's re-derivation), taken for those paths.
 */
export async function checkFiles(
  packetDir: string,
  manifest: Manifest,
  known?: ReadonlyMap<string, HashedFile>,
): Promise<FileCheck[]> {
  const present = new Map((await hashTree(packetDir, '', known)).map((f) => [f.path, f]));
  const listed = new Set<string>();
  const checks: FileCheck[] = [];
  for (const f of manifest.files) {
    if (listed.has(f.path)) {
      checks.push({ path: f.path, state: 'listed_twice' });
      continue;
    }
    listed.add(f.path);
    const actual = present.get(f.path);
    if (!actual) checks.push({ path: f.path, state: 'missing' });
    else if (actual.sha256 !== f.sha256 || actual.size !== f.size)
      checks.push({
        path: f.path,
        state: 'changed',
        expected: f.sha256,
        actual: actual.sha256,
        expectedSize: f.size,
        actualSize: actual.size,
      });
    else checks.push({ path: f.path, state: 'ok' });
    present.delete(f.path);
  }
  present.delete(MANIFEST_FILE);
  for (const c of MANIFEST_COMPANIONS) present.delete(c);
  for (const p of present.keys()) checks.push({ path: p, state: 'unlisted' });
  return checks;
}
