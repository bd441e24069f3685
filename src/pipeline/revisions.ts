import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { sha256, sha256File } from '../util/hash.js';
import { MANIFEST_FILE, writeManifest, type Manifest } from '../workspace/manifest.js';
import { readOwnFile } from '../workspace/own-file.js';

/** Earlier packets of a period live in `<out>/<period>/.revisions/<tenant>-<UTC time>/`. */
const REVISIONS_DIR = '.revisions';
/** Written into a packet that replaced a different earlier one, so its manifest lists (and hashes) the fact. */
export const REVISION_NOTE = 'revision.json';

interface SupersededPacket {
  /** Relative to the period folder, e.g. ".revisions/acme-20261102T080000Z". */
  movedTo: string;
  supersededAt: string;
  /** sha256 of the earlier packet's manifest.json; absent when it had none. */
  manifestSha256?: string;
  /** The earlier packet's collection.startedAt. */
  collectedAt?: string;
}

export interface RevisionNote {
  supersedes: SupersededPacket;
  /** What the earlier packet itself superseded, newest first. */
  earlier: SupersededPacket[];
}

export type RevisionOutcome =
  /** No packet for the tenant and period yet. */
  | { state: 'new' }
  /** The existing packet has exactly the same content (same manifest): it stays, the new build is dropped. */
  | { state: 'unchanged' }
  /** The existing packet differs: it was moved into .revisions/ and the new one names it in revision.json. */
  | { state: 'revised'; movedTo: string; note: RevisionNote };

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

function compactUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A folder's manifest text, or undefined when it has none it can be read by: the earlier packet in the
 * output folder is read as verify reads it (readOwnFile), so a link out of the folder is not followed
 * and a file past the limit is not read whole; such a packet counts as a different one, kept aside.
 */
async function readManifestText(dir: string): Promise<string | undefined> {
  return readOwnFile(dir, MANIFEST_FILE).then(
    (bytes) => bytes.toString('utf8'),
    () => undefined,
  );
}

/** The manifest without its revision note: what the packet's content is, whatever it superseded. */
function contentOf(text: string): string {
  const m = JSON.parse(text) as Manifest;
  return JSON.stringify({ ...m, files: m.files.filter((f) => f.path !== REVISION_NOTE) });
}

async function revisionName(periodDir: string, tenant: string, now: Date): Promise<string> {
  const base = `${tenant}-${compactUtc(now)}`;
  let name = base;
  for (let n = 2; await exists(path.join(periodDir, REVISIONS_DIR, name)); n++) name = `${base}-${n}`;
  return name;
}

/** Adds one file of the folder to its manifest (hash and size), in the order buildManifest lists files. */
async function addToManifest(dir: string, rel: string): Promise<void> {
  const manifest = JSON.parse((await readManifestText(dir))!) as Manifest;
  const { sha256: h, size } = await sha256File(path.join(dir, rel));
  const files = [...manifest.files.filter((f) => f.path !== rel), { path: rel, sha256: h, size }].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  await writeManifest(dir, { ...manifest, files });
}

/**
 * Decides what happens to the packet already at `finalDir` once the new one is built in `staging`
 * (manifest included): nothing to keep, identical (keep it as is), or different (keep it as a
 * revision and record that in the new packet's revision.json, listed in its manifest). Never deletes.
 */
export async function settleRevision(args: { staging: string; finalDir: string; now: Date }): Promise<RevisionOutcome> {
  const { staging, finalDir, now } = args;
  if (!(await exists(finalDir))) return { state: 'new' };
  const previous = await readManifestText(finalDir);
  const current = await readManifestText(staging);
  if (previous !== undefined && current !== undefined) {
    try {
      if (contentOf(previous) === contentOf(current)) return { state: 'unchanged' };
    } catch {
      // an unparsable earlier manifest is a different packet: kept below
    }
  }
  const periodDir = path.dirname(finalDir);
  const movedTo = `${REVISIONS_DIR}/${await revisionName(periodDir, path.basename(finalDir), now)}`;
  const supersedes: SupersededPacket = { movedTo, supersededAt: now.toISOString() };
  if (previous !== undefined) {
    supersedes.manifestSha256 = sha256(previous);
    try {
      const startedAt = (JSON.parse(previous) as Partial<Manifest>).collection?.startedAt;
      if (startedAt) supersedes.collectedAt = startedAt;
    } catch {
      // described by its hash only
    }
  }
  let earlier: SupersededPacket[] = [];
  try {
    const old = JSON.parse(await readFile(path.join(finalDir, REVISION_NOTE), 'utf8')) as RevisionNote;
    earlier = [old.supersedes, ...(old.earlier ?? [])];
  } catch {
    // the earlier packet was the first of its period
  }
  const note: RevisionNote = { supersedes, earlier };
  await writeFileAtomic(path.join(staging, REVISION_NOTE), stableJson(note));
  await addToManifest(staging, REVISION_NOTE);
  const target = path.join(periodDir, ...movedTo.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  await rename(finalDir, target);
  return { state: 'revised', movedTo, note };
}
