import {
  ENCRYPTION_STATUSES,
  emptyTally,
  type InventoryProblem,
  type ObjectTally,
  type TallyByStatus,
  type UnencryptedObjectSample,
} from '../../evidence/inventory.js';
import type { RowSink } from './csv-scanner.js';
import type { ExportFile } from './export-file.js';
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
const STATUS_BYTES = ENCRYPTION_STATUSES.map((s) => Buffer.from(s, 'latin1'));
const EMPTY_STATUS = -1;
const UNKNOWN_STATUS = -2;

/** Counts across every data file of one report. */
export class InventoryTotals {
  readonly objects = new Float64Array(ENCRYPTION_STATUSES.length);
  readonly bytes = new Float64Array(ENCRYPTION_STATUSES.length);
  readonly unknownStatus: ObjectTally = { objects: 0, bytes: 0 };
  deleteMarkers = 0;
  oldestUnencrypted: string | undefined;
  readonly largest: LargestN;

  constructor(
    readonly unencrypted: ExportFile,
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

  tally(): TallyByStatus {
    const t = emptyTally();
    ENCRYPTION_STATUSES.forEach((s, i) => {
      t[s] = { objects: this.objects[i]!, bytes: this.bytes[i]! };
    });
    return t;
  }
}

/** Turns the scanner's rows of one data file into counts; rows it cannot read become problems. */
export class DataFileRows implements RowSink {
  rows = 0;
  readonly problems: InventoryProblem[] = [];
  /** Problems beyond `maxProblems` are counted, not listed. */
  unlistedProblems = 0;

  constructor(
    private readonly file: string,
    private readonly layout: ColumnLayout,
    private readonly totals: InventoryTotals,
    private readonly maxProblems: number,
    bucket: string,
  ) {
    this.bucket = Buffer.from(bucket, 'utf8');
  }

  private readonly bucket: Buffer;

  get problemCount(): number {
    return this.problems.length + this.unlistedProblems;
  }

  error(line: number, message: string): void {
    this.rows++;
    this.problem(line, message);
  }

  row(buf: Buffer, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, line: number): void {
    this.rows++;
    const L = this.layout;
    if (L.bucket >= 0 && this.bucket.compare(buf, starts[L.bucket], ends[L.bucket]) !== 0) {
      this.problem(
        line,
        `Bucket "${text(buf, starts[L.bucket]!, ends[L.bucket]!, escaped[L.bucket]!)}" is not ${this.bucket.toString('utf8')}: a row of another bucket is not counted`,
      );
      return;
    }
    if (L.isDeleteMarker >= 0 && isTrue(buf, starts[L.isDeleteMarker]!, ends[L.isDeleteMarker]!)) {
      this.totals.deleteMarkers++;
      return;
    }
    const size = escaped[L.size] ? -1 : parseSize(buf, starts[L.size]!, ends[L.size]!);
    if (size < 0) {
      this.problem(line, `Size "${text(buf, starts[L.size]!, ends[L.size]!, escaped[L.size]!)}" is not a byte count`);
      return;
    }
    const s = starts[L.encryptionStatus]!;
    const e = ends[L.encryptionStatus]!;
    const status = statusIndex(buf, s, e);
    if (status >= 0) {
      this.totals.objects[status]! += 1;
      this.totals.bytes[status]! += size;
      if (status === NOT_SSE) this.unencrypted(buf, starts, ends, escaped, line, size);
    } else if (status === EMPTY_STATUS) {
      this.totals.unknownStatus.objects++;
      this.totals.unknownStatus.bytes += size;
    } else {
      this.problem(line, `unknown EncryptionStatus "${text(buf, s, e, escaped[L.encryptionStatus]!)}"`);
    }
  }

  private unencrypted(
    buf: Buffer,
    starts: Int32Array,
    ends: Int32Array,
    escaped: Uint8Array,
    line: number,
    size: number,
  ): void {
    const L = this.layout;
    const field = (i: number): string => (i < 0 ? '' : text(buf, starts[i]!, ends[i]!, escaped[i]!));
    const rawKey = field(L.key);
    let key: string;
    try {
      key = decodeInventoryKey(rawKey);
    } catch {
      this.problem(line, `Key "${rawKey}" is not valid URL encoding`);
      return;
    }
    const versionId = field(L.versionId);
    const isLatest = field(L.isLatest).toLowerCase();
    const lastModified = field(L.lastModified);
    const storageClass = field(L.storageClass);
    this.totals.addUnencrypted({
      bucket: field(L.bucket),
      key,
      ...(versionId ? { versionId } : {}),
      ...(isLatest === 'true' || isLatest === 'false' ? { isLatest: isLatest === 'true' } : {}),
      size,
      ...(lastModified ? { lastModified } : {}),
      ...(storageClass ? { storageClass } : {}),
      encryptionStatus: 'NOT-SSE',
    });
  }

  private problem(line: number, message: string): void {
    if (this.problems.length < this.maxProblems) this.problems.push({ file: this.file, line, message });
    else this.unlistedProblems++;
  }
}

/** Inventory CSV keys are URL-encoded with spaces as '+' (a literal '+' arrives as %2B). */
function decodeInventoryKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

function text(buf: Buffer, s: number, e: number, escaped: number): string {
  const v = buf.toString('utf8', s, e);
  return escaped ? v.replace(/""/g, '"') : v;
}

/** Digits only; -1 for empty or anything else. */
function parseSize(buf: Buffer, s: number, e: number): number {
  if (s >= e) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isTrue(buf: Buffer, s: number, e: number): boolean {
  return (
    e - s === 4 &&
    (buf[s]! | 0x20) === 0x74 &&
    (buf[s + 1]! | 0x20) === 0x72 &&
    (buf[s + 2]! | 0x20) === 0x75 &&
    (buf[s + 3]! | 0x20) === 0x65
  );
}

function statusIndex(buf: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 0) return EMPTY_STATUS;
  for (let i = 0; i < STATUS_BYTES.length; i++) {
    const p = STATUS_BYTES[i]!;
    if (p.length !== len) continue;
    let j = 0;
    while (j < len && buf[s + j] === p[j]) j++;
    if (j === len) return i;
  }
  return UNKNOWN_STATUS;
}
