import pLimit from 'p-limit';
import type { TenantConfig } from '../config/schema.js';
import type {
  ListNamespacesOutput,
  ListTableBucketsOutput,
  ListTablesOutput,
  TableEncryptionOutput,
} from '../evidence/aws-shapes.js';
import { evidencePaths, safeSegment, type EvidenceWriter } from '../evidence/evidence-store.js';
import type { FiledRecord } from '../evidence/record.js';
import type { TableBucketEvidence, TableBucketRegionEvidence, TableEvidence } from '../evidence/table-buckets.js';
import type { KeyReads } from './key-reads.js';
import { selectByName } from './select-buckets.js';
import type { AccountSource, TablesOperation, TablesParameters } from './source.js';

const FILE: Record<TablesOperation, string> = {
  ListTableBuckets: 'list-table-buckets.json',
  GetTableBucketEncryption: 'get-table-bucket-encryption.json',
  ListNamespaces: 'list-namespaces.json',
  ListTables: 'list-tables.json',
  GetTableEncryption: 'get-table-encryption.json',
};

/** Tables whose encryption is read at once per table bucket. */
const TABLES_AT_ONCE = 8;

interface Args {
  tenant: TenantConfig;
  sources: AccountSource[];
  writer: EvidenceWriter;
  /** Keys the table buckets and tables name are read with the others, once each. */
  keyReads: KeyReads;
}

/**
 * Every table bucket of the tenant's accounts in their configured regions: ListTableBuckets per
 * region (every page), then per selected table bucket its encryption, namespaces and tables, and each
 * table's encryption. A failed list is kept as evidence: the region's table buckets are then unknown.
 */
export async function collectTableBuckets(args: Args): Promise<TableBucketRegionEvidence[]> {
  const perAccount = await Promise.all(
    args.sources.map(async (source) => {
      const regions = [...new Set(args.tenant.accounts.find((a) => a.id === source.account)?.regions ?? [])].sort();
      return Promise.all(regions.map((region) => collectRegion(source, region, args)));
    }),
  );
  return perAccount.flat();
}

function writeOf(source: AccountSource, region: string, writer: EvidenceWriter) {
  const base = `${evidencePaths.account(source.account)}/s3tables/${safeSegment(region)}`;
  return async <T>(op: TablesOperation, parameters: TablesParameters, folder: string[] = []) =>
    (await writer.writeRecord(
      [base, ...folder.map(safeSegment), FILE[op]].join('/'),
      await source.tablesCall(op, parameters, region),
    )) as FiledRecord<T>;
}

async function collectRegion(source: AccountSource, region: string, args: Args): Promise<TableBucketRegionEvidence> {
  const read = writeOf(source, region, args.writer);
  const list = await read<ListTableBucketsOutput>('ListTableBuckets', {});
  const out: TableBucketRegionEvidence = { account: source.account, region, list, buckets: [], excluded: [] };
  if (list.outcome !== 'ok') return out;
  const listed = (list.response.tableBuckets ?? [])
    .filter((b): b is { arn: string; name: string } => typeof b.arn === 'string' && typeof b.name === 'string')
    .sort((a, b) => a.name.localeCompare(b.name));
  const selection = args.tenant.buckets;
  for (const b of listed) {
    const byName = selectByName(b.name, selection);
    if (!byName.selected) {
      out.excluded.push({ name: b.name, reason: byName.reason });
      continue;
    }
    if (selection.tags.length > 0) {
      // Table bucket tags are not read: membership by tags cannot be decided, so it is not assumed.
      out.excluded.push({
        name: b.name,
        reason: 'scope undetermined: the tenant selects buckets by tags, and table bucket tags are not read',
      });
      continue;
    }
    out.buckets.push(await collectTableBucket(b.arn, b.name, source, region, args));
  }
  return out;
}

async function collectTableBucket(
  arn: string,
  name: string,
  source: AccountSource,
  region: string,
  args: Args,
): Promise<TableBucketEvidence> {
  const read = writeOf(source, region, args.writer);
  const p = { tableBucketARN: arn };
  const [encryption, namespaces, tables] = await Promise.all([
    read<TableEncryptionOutput>('GetTableBucketEncryption', p, [name]),
    read<ListNamespacesOutput>('ListNamespaces', p, [name]),
    read<ListTablesOutput>('ListTables', p, [name]),
  ]);
  wantKey(encryption, args.keyReads, source.account, region, name);
  const named =
    tables.outcome === 'ok'
      ? (tables.response.tables ?? [])
          .map((t) => ({ namespace: t.namespace?.[0], name: t.name }))
          .filter((t): t is { namespace: string; name: string } => !!t.namespace && !!t.name)
          .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
      : [];
  const limit = pLimit(TABLES_AT_ONCE);
  const tableEncryption: TableEvidence[] = await Promise.all(
    named.map((t) =>
      limit(async () => {
        const enc = await read<TableEncryptionOutput>('GetTableEncryption', { ...p, ...t }, [
          name,
          t.namespace,
          t.name,
        ]);
        wantKey(enc, args.keyReads, source.account, region, `${name}/${t.namespace}/${t.name}`);
        return { ...t, encryption: enc };
      }),
    ),
  );
  return { arn, name, account: source.account, region, encryption, namespaces, tables, tableEncryption };
}

function wantKey(
  enc: FiledRecord<TableEncryptionOutput>,
  keyReads: KeyReads,
  account: string,
  region: string,
  by: string,
): void {
  if (enc.outcome !== 'ok') return;
  const c = enc.response.encryptionConfiguration;
  if (c?.sseAlgorithm === 'aws:kms' && c.kmsKeyArn) keyReads.want(c.kmsKeyArn, account, region, by);
}
