import type { Book } from '../book.js';
import type { Packet } from '../../../model/packet.js';
import type { MaintenanceKeyAccess, TableEncryption } from '../../../model/table-buckets.js';
import type { Wording } from '../../../wording/wording.js';
import { evidenceLink, lines } from '../labels.js';
import { columnsFor, writeTable } from '../table.js';

/** One row: a table, a table bucket whose tables could not be listed, or a region whose table buckets could not be. */
interface Row {
  account: string;
  region: string;
  tableBucket?: string;
  namespace?: string;
  table?: string;
  encryption: string;
  key?: string;
  maintenance?: string;
  bucketDefault?: string;
  evidence: string[];
}

function encryptionText(w: Wording, e: TableEncryption): string {
  return e.state === 'read'
    ? w.t(`xlsx.tableBuckets.mode.${e.mode}`)
    : w.t('xlsx.tableBuckets.unreadable', { errorCode: e.errorCode });
}

function maintenanceText(w: Wording, m: MaintenanceKeyAccess | undefined): string | undefined {
  if (!m) return undefined;
  switch (m.state) {
    case 'allowed':
      return w.t('xlsx.tableBuckets.maintenance.allowed', { statements: m.statements.join(', ') });
    case 'not_allowed':
      return w.t('xlsx.tableBuckets.maintenance.not_allowed', { actions: m.actions.join(', ') });
    case 'denied':
      return w.t('xlsx.tableBuckets.maintenance.denied', { statement: m.statement, action: m.action });
    case 'unknown':
      return w.t('xlsx.tableBuckets.maintenance.unknown', { reason: m.reason });
  }
}

function rowsOf(w: Wording, p: Packet): Row[] {
  const section = p.tableBuckets!;
  const rows: Row[] = [];
  for (const r of section.regions.filter((x) => !x.listed)) {
    rows.push({
      account: r.account,
      region: r.region,
      encryption: w.t('xlsx.tableBuckets.notListed', { reason: r.reason ?? '' }),
      evidence: [r.evidence],
    });
  }
  for (const b of section.buckets) {
    const base = {
      account: b.account,
      region: b.region,
      tableBucket: b.name,
      bucketDefault: encryptionText(w, b.encryption),
    };
    if (!b.tables) {
      rows.push({
        ...base,
        encryption: w.t('xlsx.tableBuckets.tablesNotListed', { reason: b.tablesError ?? '' }),
        evidence: b.evidence,
      });
      continue;
    }
    if (b.tables.length === 0)
      rows.push({ ...base, encryption: w.t('xlsx.tableBuckets.noTables'), evidence: b.evidence });
    for (const t of b.tables) {
      rows.push({
        ...base,
        namespace: t.namespace,
        table: t.name,
        encryption: encryptionText(w, t.encryption),
        ...(t.encryption.state === 'read' && t.encryption.kmsKeyArn
          ? { key: t.keyAlias ? `${t.keyAlias} (${t.encryption.kmsKeyArn})` : t.encryption.kmsKeyArn }
          : {}),
        ...(t.maintenance ? { maintenance: maintenanceText(w, t.maintenance) } : {}),
        evidence: t.evidence,
      });
    }
  }
  return rows;
}

/** Table buckets (S3 Tables): one row per table, with its encryption, key and whether maintenance may use the key. */
export async function addTableBucketsSheet(book: Book, w: Wording, p: Packet): Promise<void> {
  if (!p.tableBuckets) return;
  const columns = columnsFor<Row>(w, 'tableBuckets', [
    { id: 'account', value: (r) => r.account },
    { id: 'region', value: (r) => r.region },
    { id: 'tableBucket', value: (r) => r.tableBucket },
    { id: 'namespace', value: (r) => r.namespace },
    { id: 'table', value: (r) => r.table },
    { id: 'encryption', wrap: true, value: (r) => r.encryption },
    { id: 'key', wrap: true, value: (r) => r.key },
    { id: 'maintenance', wrap: true, value: (r) => r.maintenance },
    { id: 'bucketDefault', value: (r) => r.bucketDefault },
    { id: 'evidence', wrap: true, value: (r) => lines(r.evidence), link: (r) => evidenceLink(r.evidence) },
  ]);
  const listed = p.tableBuckets.regions.filter((r) => r.listed).length;
  const note = w.t('xlsx.tableBuckets.note', {
    buckets: p.tableBuckets.buckets.length,
    tables: p.tableBuckets.buckets.reduce((n, b) => n + (b.tables?.length ?? 0), 0),
    listed,
    regions: p.tableBuckets.regions.length,
  });
  await writeTable(book, w.t('xlsx.sheets.tableBuckets'), columns, rowsOf(w, p), note);
}
