import type { Book } from '../book.js';
import type { ObjectTally, TallyByStatus } from '../../../model/packet.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { coverageStateLabel, objectVersionsLabel } from '../labels.js';
import { columnsFor, startTable, tableLayout, type Column } from '../table.js';

/**
 * Per bucket × EncryptionStatus objects and bytes; a tenant total row under the filtered range. Each row
 * says which versions its counts include (current only, or noncurrent too) and how many delete markers its
 * report listed apart (they are not objects: no data, no encryption status); a bucket not measured says
 * why (not configured, not delivered, only stale reports, no EncryptionStatus field, or report unreadable).
 */
interface Row {
  account?: string;
  region?: string;
  bucket: string;
  state: string;
  note?: string;
  versions?: string;
  deleteMarkers?: number;
  /** Undefined when not measured: cells stay blank, never zero. */
  tally?: TallyByStatus;
  total?: ObjectTally;
}

export async function addCoverageSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  const perStatus: Array<Column<Row>> = p.encryptionStatuses.flatMap((status): Array<Column<Row>> => [
    {
      header: w.t('xlsx.columns.coverage.statusObjects', { status }),
      format: 'count',
      value: (r) => r.tally?.[status].objects,
    },
    {
      header: w.t('xlsx.columns.coverage.statusBytes', { status }),
      format: 'bytes',
      value: (r) => r.tally?.[status].bytes,
    },
  ]);
  const columns: Array<Column<Row>> = [
    ...columnsFor<Row>(w, 'coverage', [
      { id: 'account', value: (r) => r.account },
      { id: 'region', value: (r) => r.region },
      { id: 'bucket', value: (r) => r.bucket },
      { id: 'state', value: (r) => r.state },
      { id: 'note', wrap: true, value: (r) => r.note },
      { id: 'versions', value: (r) => r.versions },
    ]),
    ...perStatus,
    ...columnsFor<Row>(w, 'coverage', [
      { id: 'totalObjects', format: 'count', value: (r) => r.total?.objects },
      { id: 'totalBytes', format: 'bytes', value: (r) => r.total?.bytes },
      { id: 'deleteMarkers', format: 'count', value: (r) => r.deleteMarkers },
    ]),
  ];

  const sheet = book.addSheet(w.t('xlsx.sheets.coverage'), tableLayout(columns, 1));
  const table = await startTable(sheet, columns);
  for (const b of p.buckets) {
    const c = b.coverage;
    const base = {
      account: b.account,
      region: b.region,
      bucket: b.name,
      state: coverageStateLabel(w, c),
    };
    if (c.state === 'measured')
      await table.add({
        ...base,
        versions: objectVersionsLabel(w, c.objectVersions),
        tally: c.tally,
        total: c.total,
        deleteMarkers: c.deleteMarkers,
      });
    else await table.add({ ...base, note: c.reason });
  }
  // Nothing measured: the total stays blank rather than a row of zeros.
  const anyMeasured = p.coverage.measuredBuckets > 0;
  await table.addFooter({
    bucket: w.t('xlsx.coverage.tenantTotal', { tenant: p.tenant.displayName }),
    state: w.t('xlsx.coverage.measuredOf', { measured: p.coverage.measuredBuckets, total: p.coverage.totalBuckets }),
    note: notMeasuredNote(w, p),
    versions: anyMeasured ? objectVersionsLabel(w, p.coverage.objectVersions) : undefined,
    tally: anyMeasured ? p.coverage.tally : undefined,
    total: anyMeasured ? p.coverage.total : undefined,
    deleteMarkers: anyMeasured ? p.coverage.deleteMarkers : undefined,
  });
  table.finish();
  await sheet.finish();
}

/** The total row's note: how many buckets were not measured, by why ("1 report unreadable; 1 no report delivered"). */
function notMeasuredNote(w: Wording, p: Packet): string | undefined {
  const counts = new Map<string, number>();
  for (const b of p.buckets) {
    if (b.coverage.state === 'measured') continue;
    const label = coverageStateLabel(w, b.coverage);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  return [...counts].map(([label, n]) => w.t('xlsx.coverage.notMeasuredItem', { n, label })).join('; ');
}
