import type { Book } from '../book.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { columnsFor } from '../table.js';
import { openNotedTable } from './log-sheet.js';

/** One row of the full unencrypted-objects export (the CSV's columns). */
export interface UnencryptedRow {
  bucket: string;
  key: string;
  version_id: string;
  is_latest: string;
  size: number;
  last_modified_date: string;
  storage_class: string;
  encryption_status: string;
}

/** Consecutive rows of the full list: each batch is counted, and its rows made only while the sheet still shows rows. */
export interface UnencryptedBatch {
  readonly count: number;
  rows(): readonly UnencryptedRow[];
}

export interface UnencryptedSource {
  /** The full list, streamed in batches; when absent, the packet's largest-unencrypted samples are shown. */
  rows?: AsyncIterable<UnencryptedBatch>;
  cap: number;
  /** Relative path of the full CSV, named in the note. */
  csv: string;
}

/** The packet's per-bucket samples, shaped like export rows (what the packet does not hold stays blank). */
function* packetSamples(p: Packet): Generator<UnencryptedRow> {
  for (const b of p.buckets) {
    if (b.coverage.state !== 'measured') continue;
    for (const s of b.coverage.largestUnencrypted) {
      yield {
        bucket: b.name,
        key: s.key,
        version_id: s.versionId ?? '',
        is_latest: '',
        size: s.size,
        last_modified_date: s.lastModified ?? '',
        storage_class: '',
        encryption_status: 'NOT-SSE',
      };
    }
  }
}

function exportedRows(p: Packet): number {
  let rows = 0;
  for (const b of p.buckets) if (b.coverage.state === 'measured') rows += b.coverage.unencryptedExport.rows;
  return rows;
}

/** Widths for a list that is streamed (too long to measure first). */
const WIDTHS = {
  bucket: 40,
  key: 64,
  versionId: 34,
  isLatest: 9,
  size: 14,
  lastModified: 20,
  storageClass: 18,
  encryptionStatus: 12,
};

/**
 * At most `cap` rows. Row 1 holds the note "showing N of M — full list: <csv>", the table starts on
 * row 2. The note is written first, so M is the packet's count of exported rows; the stream is read
 * to its end and must give as many rows, or the sheet would not be the head of the CSV beside it.
 */
export async function addUnencryptedSheet(book: Book, w: Wording, p: Packet, source: UnencryptedSource): Promise<void> {
  const columns = columnsFor<UnencryptedRow>(w, 'unencrypted', [
    { id: 'bucket', width: WIDTHS.bucket, value: (r) => r.bucket },
    { id: 'key', width: WIDTHS.key, value: (r) => r.key },
    { id: 'versionId', width: WIDTHS.versionId, value: (r) => r.version_id || undefined },
    { id: 'isLatest', width: WIDTHS.isLatest, value: (r) => r.is_latest || undefined },
    { id: 'size', width: WIDTHS.size, format: 'bytes', value: (r) => r.size },
    {
      id: 'lastModified',
      width: WIDTHS.lastModified,
      when: { zone: p.period.timeZone, kind: 'datetime' },
      value: (r) => r.last_modified_date || undefined,
    },
    { id: 'storageClass', width: WIDTHS.storageClass, value: (r) => r.storage_class || undefined },
    { id: 'encryptionStatus', width: WIDTHS.encryptionStatus, value: (r) => r.encryption_status || undefined },
  ]);
  const exported = exportedRows(p);
  const samples = source.rows ? [] : [...packetSamples(p)];
  const total = source.rows ? exported : Math.max(samples.length, exported);
  const shown = Math.min(source.cap, source.rows ? exported : samples.length);
  const noteKey = source.rows ? 'xlsx.unencrypted.note' : 'xlsx.unencrypted.noteSamples';
  const note = w.t(noteKey, {
    shown,
    total,
    csv: source.csv,
    measured: p.coverage.measuredBuckets,
    buckets: p.coverage.totalBuckets,
  });
  const { sheet, table } = await openNotedTable(book, w.t('xlsx.sheets.unencrypted'), columns, note);
  let seen = 0;
  // Past the cap the rows are only counted.
  for await (const batch of source.rows ?? [{ count: samples.length, rows: () => samples }]) {
    if (seen < source.cap) {
      const rows = batch.rows();
      for (let i = 0; i < rows.length && seen + i < source.cap; i++) await table.add(rows[i]!);
    }
    seen += batch.count;
  }
  if (source.rows && seen !== exported)
    throw new Error(`unencrypted objects: the export rows give ${seen} objects, packet.json says ${exported}`);
  table.finish();
  await sheet.finish();
}
