/**
 * Evidence of a tenant's S3 table buckets (S3 Tables): per account and region the ListTableBuckets
 * answer, and per table bucket its encryption, namespaces, tables and each table's encryption.
 */
import type {
  ListNamespacesOutput,
  ListTableBucketsOutput,
  ListTablesOutput,
  TableEncryptionOutput,
} from './aws-shapes.js';
import type { FiledRecord } from './record.js';

export interface TableEvidence {
  namespace: string;
  name: string;
  encryption: FiledRecord<TableEncryptionOutput>;
}

export interface TableBucketEvidence {
  arn: string;
  name: string;
  account: string;
  region: string;
  encryption: FiledRecord<TableEncryptionOutput>;
  namespaces: FiledRecord<ListNamespacesOutput>;
  tables: FiledRecord<ListTablesOutput>;
  /** One per table ListTables named (none when it failed). */
  tableEncryption: TableEvidence[];
}

/** One account and region: the list, and the selected table buckets read there. */
export interface TableBucketRegionEvidence {
  account: string;
  region: string;
  list: FiledRecord<ListTableBucketsOutput>;
  buckets: TableBucketEvidence[];
  /** Listed table buckets the tenant's name patterns leave out (or tag selection cannot decide), with why. */
  excluded: Array<{ name: string; reason: string }>;
}

/** How index.json names the files of table-bucket evidence. */
export interface TableBucketIndex {
  account: string;
  region: string;
  list: string;
  excluded: Array<{ name: string; reason: string }>;
  buckets: Array<{
    arn: string;
    name: string;
    encryption: string;
    namespaces: string;
    tables: string;
    tableEncryption: Array<{ namespace: string; name: string; file: string }>;
  }>;
}

export function tableBucketIndex(regions: TableBucketRegionEvidence[]): TableBucketIndex[] {
  return regions.map((r) => ({
    account: r.account,
    region: r.region,
    list: r.list.file,
    excluded: r.excluded,
    buckets: r.buckets.map((b) => ({
      arn: b.arn,
      name: b.name,
      encryption: b.encryption.file,
      namespaces: b.namespaces.file,
      tables: b.tables.file,
      tableEncryption: b.tableEncryption.map((t) => ({
        namespace: t.namespace,
        name: t.name,
        file: t.encryption.file,
      })),
    })),
  }));
}

/** Table-bucket evidence back from index.json, each record read through `readRecord`. */
export async function readTableBucketIndex(
  index: TableBucketIndex[],
  readRecord: <T>(file: string) => Promise<FiledRecord<T>>,
): Promise<TableBucketRegionEvidence[]> {
  const out: TableBucketRegionEvidence[] = [];
  for (const r of index) {
    const buckets: TableBucketEvidence[] = [];
    for (const b of r.buckets) {
      const tableEncryption: TableEvidence[] = [];
      for (const t of b.tableEncryption) {
        tableEncryption.push({ namespace: t.namespace, name: t.name, encryption: await readRecord(t.file) });
      }
      buckets.push({
        arn: b.arn,
        name: b.name,
        account: r.account,
        region: r.region,
        encryption: await readRecord(b.encryption),
        namespaces: await readRecord(b.namespaces),
        tables: await readRecord(b.tables),
        tableEncryption,
      });
    }
    out.push({ account: r.account, region: r.region, list: await readRecord(r.list), buckets, excluded: r.excluded });
  }
  return out;
}
