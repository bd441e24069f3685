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
  private kept = true;

  /** Notes a JSON file written with `text` (path relative to the packet folder); returns its parsed value. */
  noteJson(relative: string, text: string): unknown {
    this.noteHash(relative, text);
    const value = JSON.parse(text) as unknown;
    this.records.delete(relative);
    if (this.kept) this.values.set(relative, value);
    return value;
  }

  /** Notes an evidence record written with `text`; returns it as a later read of the file would. */
  noteRecord(relative: string, text: string): StoredRead {
    this.noteHash(relative, text);
    const read = readStoredRecord(JSON.parse(text) as unknown, relative);
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
  }
}
