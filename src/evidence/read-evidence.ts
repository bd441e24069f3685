import { AsyncLocalStorage } from 'node:async_hooks';
import type { z } from 'zod';
import path from 'node:path';
import { isRefusedRead, readConfinedFile } from '../util/confined-read.js';
import { sha256, type HashedFile } from '../util/hash.js';
import type { WrittenEvidence } from './written-evidence.js';

/**
 * Every read of a packet folder's evidence files goes through here: confined to the folder (an index
 * names the files, and a folder from elsewhere must not point it at /etc/passwd or through a link),
 * and, inside `hashingReads`, hashed as read, so `verify` proves each file from the very bytes it
 * analysed instead of reading 112,000 files twice at 10,000 buckets.
 */

export class EvidenceReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceReadError';
  }
}

interface ReadJournal {
  root: string;
  read: Map<string, HashedFile>;
}

const hashes = new AsyncLocalStorage<ReadJournal>();

/**
 * Runs `work`, noting the sha256 and size of every evidence file it reads under `packetDir`, by its
 * path relative to the folder as the index names it (forward slashes). Reads of other folders, and a
 * file read through a name the folder's listing does not give (`a/../b`), are not matched later: those
 * files are hashed from disk like any other.
 */
export async function hashingReads<T>(
  packetDir: string,
  work: () => Promise<T>,
): Promise<{ result: T; read: Map<string, HashedFile> }> {
  const journal: ReadJournal = { root: path.resolve(packetDir), read: new Map() };
  const result = await hashes.run(journal, work);
  return { result, read: journal.read };
}

/** The journal of the `hashingReads` this call runs in, if it is of `packetDir`. */
function journalOf(packetDir: string): ReadJournal | undefined {
  const journal = hashes.getStore();
  return journal?.root === path.resolve(packetDir) ? journal : undefined;
}

/** Hashes of `packetDir`'s files taken so far in this `hashingReads`; undefined outside one. */
export function hashesTaken(packetDir: string): ReadonlyMap<string, HashedFile> | undefined {
  return journalOf(packetDir)?.read;
}

/** Notes hashes taken from disk (the evidence list's), for the checks later in this `hashingReads`. */
export function noteHashes(packetDir: string, files: readonly HashedFile[]): void {
  const journal = journalOf(packetDir);
  if (journal) for (const f of files) journal.read.set(f.path, f);
}

/**
 * The bytes of one evidence file, or undefined when it is not there. Refusals (outside the folder,
 * a link leading out, not a regular file) and other read failures are EvidenceReadErrors.
 */
async function readEvidenceBytes(packetDir: string, relative: string): Promise<Buffer | undefined> {
  const file = path.join(packetDir, ...relative.split('/'));
  let bytes: Buffer | undefined;
  try {
    bytes = await readConfinedFile(packetDir, file);
  } catch (err) {
    if (isRefusedRead(err)) throw new EvidenceReadError(err.message);
    throw new EvidenceReadError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const journal = journalOf(packetDir);
  if (bytes !== undefined && journal)
    journal.read.set(relative, { path: relative, sha256: sha256(bytes), size: bytes.length });
  return bytes;
}

function parsed(packetDir: string, relative: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    const file = path.join(packetDir, ...relative.split('/'));
    throw new EvidenceReadError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * The outline of a file this tool writes (an index, run.json, governance.json): a file that is there
 * but not of that outline (`{}`, `[]`, `null`) is unreadable evidence, never "not collected".
 */
export type EvidenceShape = z.ZodType;

function shaped(packetDir: string, relative: string, value: unknown, shape: EvidenceShape | undefined): unknown {
  if (!shape) return value;
  const checked = shape.safeParse(value);
  if (checked.success) return value;
  const issue = checked.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'the file';
  throw new EvidenceReadError(
    `${path.join(packetDir, ...relative.split('/'))}: not the shape this tool writes (${where}: ${issue?.message ?? 'invalid'})`,
  );
}

/**
 * A JSON file of the folder's evidence, or undefined when it is not there (packets collected before
 * a source existed lack its index). `written`: what this run wrote, taken from memory instead.
 * `shape`: the outline the file must have when it is there.
 */
export async function readOptionalEvidenceJson<T>(
  packetDir: string,
  relative: string,
  written?: WrittenEvidence,
  shape?: EvidenceShape,
): Promise<T | undefined> {
  const kept = written?.json(relative);
  if (kept) return kept.value as T;
  const bytes = await readEvidenceBytes(packetDir, relative);
  return bytes === undefined
    ? undefined
    : (shaped(packetDir, relative, parsed(packetDir, relative, bytes), shape) as T);
}

/** A JSON file of the folder's evidence that must be there (an index names it). */
export async function readEvidenceJson<T>(
  packetDir: string,
  relative: string,
  written?: WrittenEvidence,
  shape?: EvidenceShape,
): Promise<T> {
  const value = await readOptionalEvidenceJson<T>(packetDir, relative, written, shape);
  if (value === undefined)
    throw new EvidenceReadError(`${path.join(packetDir, ...relative.split('/'))}: cannot read (ENOENT)`);
  return value;
}
