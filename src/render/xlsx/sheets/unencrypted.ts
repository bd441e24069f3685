import type { Workbook } from 'exceljs';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { setCell } from '../cells.js';
import { columnsFor, startTable } from '../table.js';

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

export interface UnencryptedSource {
  /** The full list, streamed; when absent, the packet's largest-unencrypted samples are shown. */
  rows?: AsyncIterable<UnencryptedRow>;
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

const NOTE_ROW = 1;
const HEADER_ROW = 2;

/**
 * At most `cap` rows; the stream is read to its end so the note can say how many exist in all.
 * Row 1 holds the note "showing N of M — full list: <csv>", the table starts on row 2.
 */
export async function addUnencryptedSheet(
  wb: Workbook,
  w: Wording,
  p: Packet,
  source: UnencryptedSource,
): Promise<void> {
  const sheet = wb.addWorksheet(w.t('xlsx.sheets.unencrypted'));
  const columns = columnsFor<UnencryptedRow>(w, 'unencrypted', [
    { id: 'bucket', value: (r) => r.bucket },
    { id: 'key', value: (r) => r.key },
    { id: 'versionId', value: (r) => r.version_id || undefined },
    { id: 'isLatest', value: (r) => r.is_latest || undefined },
    { id: 'size', format: 'bytes', value: (r) => r.size },
    { id: 'lastModified', value: (r) => r.last_modified_date || undefined },
    { id: 'storageClass', value: (r) => r.storage_class || undefined },
    { id: 'encryptionStatus', value: (r) => r.encryption_status || undefined },
  ]);
  const table = startTable(sheet, columns, HEADER_ROW);
  let shown = 0;
  let total = 0;
  const take = (row: UnencryptedRow) => {
    total += 1;
    if (shown < source.cap) {
      table.add(row);
      shown += 1;
    }
  };
  if (source.rows) {
    for await (const row of source.rows) take(row);
  } else {
    for (const row of packetSamples(p)) take(row);
    total = Math.max(total, exportedRows(p));
  }
  table.finish();

  const noteKey = source.rows ? 'xlsx.unencrypted.note' : 'xlsx.unencrypted.noteSamples';
  const note = sheet.getCell(NOTE_ROW, 1);
  setCell(
    note,
    w.t(noteKey, {
      shown,
      total,
      csv: source.csv,
      measured: p.coverage.measuredBuckets,
      buckets: p.coverage.totalBuckets,
    }),
  );
  note.font = { bold: true };
}
