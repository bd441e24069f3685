import type { Book } from '../book.js';
import type { ObjectTally, TallyByStatus } from '../../../model/packet.js';
import type { Packet } from '../../../model/packet.js';
import type { Wording } from '../../../wording/wording.js';
import { columnsFor, startTable, tableLayout, type Column } from '../table.js';

/** Per bucket × EncryptionStatus objects and bytes; a tenant total row under the filtered range. */
interface Row {
  account?: string;
  region?: string;
  bucket: string;
  state: string;
  note?: string;
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
    ]),
    ...perStatus,
    ...columnsFor<Row>(w, 'coverage', [
      { id: 'totalObjects', format: 'count', value: (r) => r.total?.objects },
      { id: 'totalBytes', format: 'bytes', value: (r) => r.total?.bytes },
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
      state: w.t(`xlsx.buckets.coverageState.${c.state}`),
    };
    if (c.state === 'measured') await table.add({ ...base, tally: c.tally, total: c.total });
    else await table.add({ ...base, note: c.reason });
  }
  // Nothing measured: the total stays blank rather than a row of zeros.
  const anyMeasured = p.coverage.measuredBuckets > 0;
  await table.addFooter({
    bucket: w.t('xlsx.coverage.tenantTotal', { tenant: p.tenant.displayName }),
    state: w.t('xlsx.coverage.measuredOf', { measured: p.coverage.measuredBuckets, total: p.coverage.totalBuckets }),
    tally: anyMeasured ? p.coverage.tally : undefined,
    total: anyMeasured ? p.coverage.total : undefined,
  });
  table.finish();
  await sheet.finish();
}
