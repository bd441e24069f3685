import { readStoredRecord } from './answers.js';
import type { FiledRecord } from './record.js';
import { sha256, type HashedFile } from '../util/hash.js';

type StoredRead = { record: FiledRecord } | { problem: string };

/**
 * What one run's EvidenceWriter put into a packet folder, so the same run analyses and hashes it
 * without reading thousands of small files back: each file's sha256 and size, and its content as
 * reading the file would give it (JSON.parse of the very text written; records also read through
 * readStoredRecord). Anything not written here is read from disk as before.
 */
export class WrittenEvidence {
  private readonly hashes = new Map<string, HashedFile>();
  private readonly values = new Map<string, unknown>();
  private readonly records = new Map<string, StoredRead>();
  /** One copy of each string the kept records repeat (see shareStrings). */
  private strings = new Map<string, string>();
  private kept = true;

  /** Notes a JSON file written with `text` (path relative to the packet folder); returns its parsed value. */
  noteJson(relative: string, text: string): unknown {
    this.noteHash(relative, text);
    const value = JSON.parse(text) as unknown;
    this.records.delete(relative);
    if (this.kept) {
      sharePaths(value, this.hashes);
      this.values.set(relative, value);
    }
    return value;
  }

  /** Notes an evidence record written with `text`; returns it as a later read of the file would. */
  noteRecord(relative: string, text: string): StoredRead {
    this.noteHash(relative, text);
    const value = JSON.parse(text) as unknown;
    if (this.kept) shareStrings(value, this.strings);
    const read = readStoredRecord(value, relative);
    this.values.delete(relative);
    if (this.kept) this.records.set(relative, read);
    return read;
  }

  private noteHash(relative: string, text: string): void {
    this.hashes.set(relative, { path: relative, sha256: sha256(text), size: Buffer.byteLength(text) });
  }

  /** The parsed content of a JSON file written here (not records), or undefined when not kept. */
  json(relative: string): { value: unknown } | undefined {
    return this.values.has(relative) ? { value: this.values.get(relative) } : undefined;
  }

  /** A record written here, as readStoredRecord gave it, or undefined when not kept. */
  record(relative: string): StoredRead | undefined {
    return this.records.get(relative);
  }

  /**
   * Path, sha256 and size of every file written here, by path relative to the packet folder; the
   * lists made from it (the packet's evidence, the manifest's files) share these entries.
   */
  fileHashes(): ReadonlyMap<string, HashedFile> {
    return this.hashes;
  }

  /** Lets go of the contents once analysed (the hashes stay, for the manifest); later writes keep none. */
  dropContents(): void {
    this.kept = false;
    this.values.clear();
    this.records.clear();
    this.strings = new Map();
  }
}

/** Strings longer than this are rarely repeated (policies, messages with names in them): not shared. */
const SHARED_STRING_LENGTH = 100;

/** Fields whose values differ from record to record: never shared (they would only fill the pool). */
const UNIQUE_FIELDS: ReadonlySet<string> = new Set(['collectedAt', 'requestId']);

/**
 * Replaces, in place, each short string in a freshly parsed value by the pool's equal copy. JSON.parse
 * makes a new string for every value: the account id, region, operation, outcome, error codes and
 * messages, dates were kept once per record (~50 MB of a 10,000-bucket run). Equal strings are not
 * told apart by any JavaScript, so the value reads exactly as before. An own `__proto__` key is left
 * as it is: assigning to it would set the prototype.
 */
function shareStrings(value: unknown, pool: Map<string, string>): void {
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (key === '__proto__' || UNIQUE_FIELDS.has(key)) continue;
    const item = node[key];
    if (typeof item === 'string') {
      if (item.length > SHARED_STRING_LENGTH) continue;
      const shared = pool.get(item);
      if (shared === undefined) pool.set(item, item);
      else node[key] = shared;
    } else shareStrings(item, pool);
  }
}

/**
 * Replaces, in place, each string in a freshly parsed value that is the path of a file written here by
 * that path's own copy. evidence/index.json names every record file (some 90,000 paths at 10,000
 * buckets, 9 MB): kept parsed, it held a second copy of each path until the analysis. An own
 * `__proto__` key is left as it is.
 */
function sharePaths(value: unknown, hashes: ReadonlyMap<string, HashedFile>): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = hashes.get(item)?.path ?? item;
      else sharePaths(item, hashes);
    }
    return;
  }
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (key === '__proto__') continue;
    const item = node[key];
    if (typeof item === 'string') {
      const known = hashes.get(item);
      if (known) node[key] = known.path;
    } else sharePaths(item, hashes);
  }
}
