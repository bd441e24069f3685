import { ENCRYPTION_STATUSES } from '../../evidence/inventory.js';
import type { UnencryptedRow } from '../../evidence/unencrypted-csv.js';
import type { RowSink } from './csv-scanner.js';
import { STATUS_EMPTY, STATUS_UNKNOWN, type ColumnLayout, type DataFileRows, type RowDetails } from './tally.js';

const STATUS_BYTES = ENCRYPTION_STATUSES.map((s) => Buffer.from(s, 'latin1'));

/**
 * Reads the fields of the scanner's CSV rows straight from its bytes and hands each row to the
 * shared counting; strings are only made for problems and unencrypted objects.
 */
export class CsvRows implements RowSink, RowDetails {
  private readonly bucket: Buffer;
  private buf: Buffer = Buffer.alloc(0);
  private bounds: Int32Array = new Int32Array(0);
  private at = 0;
  private escaped: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly layout: ColumnLayout,
    readonly counter: DataFileRows,
  ) {
    this.bucket = Buffer.from(counter.bucket, 'utf8');
  }

  error(line: number, message: string): void {
    this.counter.error(line, message);
  }

  row(buf: Buffer, bounds: Int32Array, at: number, escaped: Uint8Array, line: number): void {
    this.buf = buf;
    this.bounds = bounds;
    this.at = at;
    this.escaped = escaped;
    const L = this.layout;
    const bucket = at + 2 * L.bucket;
    const marker = at + 2 * L.isDeleteMarker;
    const size = at + 2 * L.size;
    const status = at + 2 * L.encryptionStatus;
    const otherBucket = L.bucket >= 0 && !sameBytes(this.bucket, buf, bounds[bucket]!, bounds[bucket + 1]!);
    const deleteMarker = L.isDeleteMarker >= 0 && isTrue(buf, bounds[marker]!, bounds[marker + 1]!);
    const bytes = escaped[L.size] ? -1 : parseSize(buf, bounds[size]!, bounds[size + 1]!);
    const statusAt = statusIndex(buf, bounds[status]!, bounds[status + 1]!);
    this.counter.count(line, otherBucket, deleteMarker, bytes, statusAt, this);
  }

  text(field: 'Bucket' | 'Size' | 'EncryptionStatus'): string {
    const L = this.layout;
    return this.field(field === 'Bucket' ? L.bucket : field === 'Size' ? L.size : L.encryptionStatus);
  }

  unencrypted(size: number): UnencryptedRow | { problem: string } {
    const L = this.layout;
    const rawKey = this.field(L.key);
    let key: string;
    try {
      key = decodeInventoryKey(rawKey);
    } catch {
      return { problem: `Key "${rawKey}" is not valid URL encoding` };
    }
    const versionId = this.field(L.versionId);
    const isLatest = this.field(L.isLatest).toLowerCase();
    const lastModified = this.field(L.lastModified);
    const storageClass = this.field(L.storageClass);
    return {
      bucket: this.field(L.bucket),
      key,
      ...(versionId ? { versionId } : {}),
      ...(isLatest === 'true' || isLatest === 'false' ? { isLatest: isLatest === 'true' } : {}),
      size,
      ...(lastModified ? { lastModified } : {}),
      ...(storageClass ? { storageClass } : {}),
      encryptionStatus: 'NOT-SSE',
    };
  }

  private field(i: number): string {
    if (i < 0) return '';
    const at = this.at + 2 * i;
    const v = this.buf.toString('utf8', this.bounds[at], this.bounds[at + 1]);
    return this.escaped[i] ? v.replace(/""/g, '"') : v;
  }
}

/** Inventory CSV keys are URL-encoded with spaces as '+' (a literal '+' arrives as %2B). */
export function decodeInventoryKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

/** Whether buf[s, e) holds exactly `want`'s bytes; a loop, as Buffer.compare's call costs more than a short name. */
function sameBytes(want: Buffer, buf: Buffer, s: number, e: number): boolean {
  const len = want.length;
  if (e - s !== len) return false;
  for (let i = 0; i < len; i++) if (buf[s + i] !== want[i]) return false;
  return true;
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
  if (len === 0) return STATUS_EMPTY;
  for (let i = 0; i < STATUS_BYTES.length; i++) {
    const p = STATUS_BYTES[i]!;
    if (p.length !== len) continue;
    let j = 0;
    while (j < len && buf[s + j] === p[j]) j++;
    if (j === len) return i;
  }
  return STATUS_UNKNOWN;
}
