import {
  ENCRYPTION_STATUSES,
  emptyTally,
  type InventoryProblem,
  type ObjectTally,
  type TallyByStatus,
  type UnencryptedObjectSample,
} from '../../evidence/inventory.js';
import { unencryptedCsvLine, type UnencryptedRow } from '../../evidence/unencrypted-csv.js';

/** Where the columns this collector reads sit in the fileSchema; -1 when the report lacks one. */
export interface ColumnLayout {
  count: number;
  bucket: number;
  key: number;
  versionId: number;
  isLatest: number;
  isDeleteMarker: number;
  size: number;
  lastModified: number;
  storageClass: number;
  encryptionStatus: number;
}

export function columnLayout(schema: string[]): ColumnLayout {
  const at = (name: string): number => schema.indexOf(name);
  return {
    count: schema.length,
    bucket: at('Bucket'),
    key: at('Key'),
    versionId: at('VersionId'),
    isLatest: at('IsLatest'),
    isDeleteMarker: at('IsDeleteMarker'),
    size: at('Size'),
    lastModified: at('LastModifiedDate'),
    storageClass: at('StorageClass'),
    encryptionStatus: at('EncryptionStatus'),
  };
}

/** Keeps the N largest samples, largest first; ties broken by key then version so the result is stable. */
export class LargestN {
  private readonly items: UnencryptedObjectSample[] = [];
  constructor(private readonly n: number) {}

  /** Cheap pre-check so most rows never build a sample. */
  wants(size: number): boolean {
    if (this.n <= 0) return false;
    const last = this.items[this.n - 1];
    return last === undefined || size >= last.size;
  }

  offer(sample: UnencryptedObjectSample): void {
    if (!this.wants(sample.size)) return;
    let i = this.items.length;
    while (i > 0 && before(sample, this.items[i - 1]!)) i--;
    if (i >= this.n) return;
    this.items.splice(i, 0, sample);
    if (this.items.length > this.n) this.items.pop();
  }

  get list(): UnencryptedObjectSample[] {
    return this.items.slice();
  }
}

function before(a: UnencryptedObjectSample, b: UnencryptedObjectSample): boolean {
  if (a.size !== b.size) return a.size > b.size;
  if (a.key !== b.key) return a.key < b.key;
  return (a.versionId ?? '') < (b.versionId ?? '');
}

const NOT_SSE = ENCRYPTION_STATUSES.indexOf('NOT-SSE');
/** A row's EncryptionStatus as an index into ENCRYPTION_STATUSES, or one of these. */
export const STATUS_EMPTY = -1;
export const STATUS_UNKNOWN = -2;

/** Where the NOT-SSE rows go, as CSV lines; the collector's export file, or a part of it. */
export interface UnencryptedSink {
  add(line: string): void;
  readonly needsFlush: boolean;
  flush(): Promise<void>;
}

export interface TotalsPart {
  objects: number[];
  bytes: number[];
  unknownStatus: ObjectTally;
  deleteMarkers: number;
  oldestUnencrypted?: string;
  largest: UnencryptedObjectSample[];
}

/** Counts across every data file of one report (or, in a worker, of one data file). */
export class InventoryTotals {
  readonly objects = new Float64Array(ENCRYPTION_STATUSES.length);
  readonly bytes = new Float64Array(ENCRYPTION_STATUSES.length);
  readonly unknownStatus: ObjectTally = { objects: 0, bytes: 0 };
  deleteMarkers = 0;
  oldestUnencrypted: string | undefined;
  readonly largest: LargestN;

  constructor(
    readonly unencrypted: UnencryptedSink,
    largestN: number,
  ) {
    this.largest = new LargestN(largestN);
  }

  addUnencrypted(row: UnencryptedRow): void {
    this.unencrypted.add(unencryptedCsvLine(row));
    if (this.largest.wants(row.size)) {
      this.largest.offer({
        key: row.key,
        size: row.size,
        ...(row.versionId ? { versionId: row.versionId } : {}),
        ...(row.lastModified ? { lastModified: row.lastModified } : {}),
      });
    }
    if (row.lastModified && (this.oldestUnencrypted === undefined || row.lastModified < this.oldestUnencrypted)) {
      this.oldestUnencrypted = row.lastModified;
    }
  }

  /** What this hold of counts adds to another: plain data, so it can cross from a worker thread. */
  part(): TotalsPart {
    return {
      objects: [...this.objects],
      bytes: [...this.bytes],
      unknownStatus: { ...this.unknownStatus },
      deleteMarkers: this.deleteMarkers,
      ...(this.oldestUnencrypted !== undefined ? { oldestUnencrypted: this.oldestUnencrypted } : {}),
      largest: this.largest.list,
    };
  }

  /** Adds a part (sums, the older oldest, the larger largest): the result does not depend on the order parts come in. */
  add(part: TotalsPart): void {
    part.objects.forEach((n, i) => (this.objects[i]! += n));
    part.bytes.forEach((n, i) => (this.bytes[i]! += n));
    this.unknownStatus.objects += part.unknownStatus.objects;
    this.unknownStatus.bytes += part.unknownStatus.bytes;
    this.deleteMarkers += part.deleteMarkers;
    const oldest = part.oldestUnencrypted;
    if (oldest !== undefined && (this.oldestUnencrypted === undefined || oldest < this.oldestUnencrypted))
      this.oldestUnencrypted = oldest;
    for (const sample of part.largest) this.largest.offer(sample);
  }

  tally(): TallyByStatus {
    const t = emptyTally();
    ENCRYPTION_STATUSES.forEach((s, i) => {
      t[s] = { objects: this.objects[i]!, bytes: this.bytes[i]! };
    });
    return t;
  }
}

/**
 * One inventory row as a format's reader decoded it. The counting needs only the flags and numbers;
 * texts are asked for when a row becomes a problem or a listed unencrypted object.
 */
export interface RowDetails {
  text(field: 'Bucket' | 'Size' | 'EncryptionStatus'): string;
  /** The NOT-SSE row to list, or why it cannot be listed. */
  unencrypted(size: number): UnencryptedRow | { problem: string };
}

/**
 * Counts the rows of one data file into the report's totals, whatever the file's format; rows it
 * cannot count become problems (the first `maxProblems` listed, the rest counted).
 */
export class DataFileRows {
  rows = 0;
  readonly problems: InventoryProblem[] = [];
  unlistedProblems = 0;

  constructor(
    private readonly file: string,
    private readonly totals: InventoryTotals,
    private readonly maxProblems: number,
    readonly bucket: string,
  ) {}

  get problemCount(): number {
    return this.problems.length + this.unlistedProblems;
  }

  /** A row the format's reader could not split into fields. */
  error(line: number, message: string): void {
    this.rows++;
    this.problem(line, message);
  }

  /**
   * One row. `size` is the byte count, or negative when the field is not one; `status` an index
   * into ENCRYPTION_STATUSES, STATUS_EMPTY or STATUS_UNKNOWN.
   */
  count(
    line: number,
    otherBucket: boolean,
    deleteMarker: boolean,
    size: number,
    status: number,
    row: RowDetails,
  ): void {
    this.rows++;
    if (otherBucket) {
      this.problem(
        line,
        `Bucket "${row.text('Bucket')}" is not ${this.bucket}: a row of another bucket is not counted`,
      );
      return;
    }
    if (deleteMarker) {
      this.totals.deleteMarkers++;
      return;
    }
    if (size < 0) {
      this.problem(line, `Size "${row.text('Size')}" is not a byte count`);
      return;
    }
    const totals = this.totals;
    if (status >= 0) {
      totals.objects[status]! += 1;
      totals.bytes[status]! += size;
      if (status === NOT_SSE) {
        const listed = row.unencrypted(size);
        if ('problem' in listed) this.problem(line, listed.problem);
        else totals.addUnencrypted(listed);
      }
    } else if (status === STATUS_EMPTY) {
      totals.unknownStatus.objects++;
      totals.unknownStatus.bytes += size;
    } else {
      this.problem(line, `unknown EncryptionStatus "${row.text('EncryptionStatus')}"`);
    }
  }

  /**
   * Rows that need nothing but adding up (no listing, no problem), counted by the format's reader in
   * bulk: `objects` and `bytes` per ENCRYPTION_STATUSES index, `unknown` for an empty status.
   */
  addPlain(
    rows: number,
    deleteMarkers: number,
    objects: ArrayLike<number>,
    bytes: ArrayLike<number>,
    unknown: ObjectTally,
  ): void {
    this.rows += rows;
    const totals = this.totals;
    totals.deleteMarkers += deleteMarkers;
    for (let s = 0; s < ENCRYPTION_STATUSES.length; s++) {
      totals.objects[s]! += objects[s]!;
      totals.bytes[s]! += bytes[s]!;
    }
    totals.unknownStatus.objects += unknown.objects;
    totals.unknownStatus.bytes += unknown.bytes;
  }

  problem(line: number | undefined, message: string): void {
    if (this.problems.length < this.maxProblems)
      this.problems.push({ file: this.file, ...(line !== undefined ? { line } : {}), message });
    else this.unlistedProblems++;
  }
}

/** The index of a status text, STATUS_EMPTY for none (an older report's empty field), else STATUS_UNKNOWN. */
export function statusIndexOf(value: string | null | undefined): number {
  if (value === null || value === undefined || value === '') return STATUS_EMPTY;
  const i = (ENCRYPTION_STATUSES as readonly string[]).indexOf(value);
  return i >= 0 ? i : STATUS_UNKNOWN;
}
