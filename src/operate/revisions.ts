import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic, stableJson } from '../workspace/atomic-write.js';
import { sha256 } from '../workspace/hash.js';
import { MANIFEST_FILE } from '../workspace/manifest.js';

/** Earlier packets of a period live in `<out>/<period>/.revisions/<tenant>-<UTC time>/`. */
export const REVISIONS_DIR = '.revisions';
/** Written into a packet that replaced an earlier one, so its manifest lists (and hashes) the fact. */
export const REVISION_NOTE = 'revision.json';

export interface SupersededPacket {
  /** Relative to the period folder, e.g. ".revisions/acme-20261102T080000Z". */
  movedTo: string;
  supersededAt: string;
  /** sha256 of the earlier packet's manifest.json; absent when it had none. */
  manifestSha256?: string;
  generatedAt?: string;
}

export interface RevisionNote {
  supersedes: SupersededPacket;
  /** What the earlier packet itself superseded, newest first. */
  earlier: SupersededPacket[];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

function compactUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** If `packetDir` holds a packet, where it will be kept and what identifies it; undefined otherwise. */
export async function planRevision(packetDir: string, now: Date): Promise<SupersededPacket | undefined> {
  if (!(await exists(packetDir))) return undefined;
  const periodDir = path.dirname(packetDir);
  const base = `${path.basename(packetDir)}-${compactUtc(now)}`;
  let name = base;
  for (let n = 2; await exists(path.join(periodDir, REVISIONS_DIR, name)); n++) name = `${base}-${n}`;
  const plan: SupersededPacket = { movedTo: `${REVISIONS_DIR}/${name}`, supersededAt: now.toISOString() };
  try {
    const text = await readFile(path.join(packetDir, MANIFEST_FILE), 'utf8');
    plan.manifestSha256 = sha256(text);
    const startedAt = (JSON.parse(text) as { collection?: { startedAt?: string } }).collection?.startedAt;
    if (startedAt) plan.generatedAt = startedAt;
  } catch {
    // a folder without a readable manifest is still kept, only less well described
  }
  return plan;
}

/** Writes revision.json into the new packet (before its manifest is built). */
export async function writeRevisionNote(newPacketDir: string, previousDir: string, superseded: SupersededPacket): Promise<RevisionNote> {
  let earlier: SupersededPacket[] = [];
  try {
    const old = JSON.parse(await readFile(path.join(previousDir, REVISION_NOTE), 'utf8')) as RevisionNote;
    earlier = [old.supersedes, ...(old.earlier ?? [])];
  } catch {
    // the earlier packet was the first of its period
  }
  const note: RevisionNote = { supersedes: superseded, earlier };
  await writeFileAtomic(path.join(newPacketDir, REVISION_NOTE), stableJson(note));
  return note;
}

/** Moves the earlier packet into .revisions/ (never deletes it). */
export async function keepRevision(packetDir: string, superseded: SupersededPacket): Promise<string> {
  const target = path.join(path.dirname(packetDir), ...superseded.movedTo.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  await rename(packetDir, target);
  return target;
}
