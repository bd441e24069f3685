/** Writes S3 Inventory reports into a temporary tree, laid out as AWS delivers them. */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** A CSV-format schema as the example manifest in the AWS docs has it, without versions. */
export const CURRENT_SCHEMA = ['Bucket', 'Key', 'Size', 'LastModifiedDate', 'StorageClass', 'EncryptionStatus'];

/** Every field double-quoted, quotes doubled, as inventory CSV is written. */
export function csvRow(fields: string[]): string {
  return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',') + '\n';
}

/** A CURRENT_SCHEMA row. */
export function row(key: string, size: string, status: string, lastModified = '2026-10-01T00:00:00.000Z'): string {
  return csvRow(['src-bucket', key, size, lastModified, 'STANDARD', status]);
}

interface DataFileSpec {
  name: string;
  /** Uncompressed CSV; gzipped on write. */
  csv?: string;
  /** Exact bytes to deliver instead (e.g. a truncated gzip). */
  bytes?: Buffer;
  /** Listed in the manifest but not written. */
  notDelivered?: boolean;
  /** Overrides the MD5 the manifest lists. */
  manifestMd5?: string;
}

export interface ReportSpec {
  /** The tree root (what the tenant configures as the inventory location). */
  root: string;
  bucket?: string;
  configId?: string;
  /** Report folder, e.g. 2026-10-31T00-00Z. */
  folder: string;
  schema?: string[];
  /** Raw fileSchema string, for ORC/Parquet. */
  fileSchemaText?: string;
  fileFormat?: string;
  /** Destination prefix the manifest keys carry in front of <bucket>/<config>/ (the tree root already includes it). */
  keyPrefix?: string;
  files: DataFileSpec[];
  /** Write manifest.checksum (default) / a wrong one / none. */
  checksum?: 'ok' | 'wrong' | 'none';
  /** Leave manifest.json out (the folder still exists). */
  noManifest?: boolean;
}

export async function writeReport(spec: ReportSpec): Promise<void> {
  const bucket = spec.bucket ?? 'src-bucket';
  const configId = spec.configId ?? 'daily';
  const configDir = path.join(spec.root, bucket, configId);
  await mkdir(path.join(configDir, 'data'), { recursive: true });
  await mkdir(path.join(configDir, spec.folder), { recursive: true });

  const files = [];
  for (const f of spec.files) {
    const bytes = f.bytes ?? gzipSync(Buffer.from(f.csv ?? '', 'utf8'));
    if (!f.notDelivered) await writeFile(path.join(configDir, 'data', f.name), bytes);
    files.push({
      key: `${spec.keyPrefix ?? ''}${bucket}/${configId}/data/${f.name}`,
      size: bytes.length,
      MD5checksum: f.manifestMd5 ?? md5(bytes),
    });
  }
  const manifest = {
    sourceBucket: bucket,
    destinationBucket: 'arn:aws:s3:::inventory-destination',
    version: '2016-11-30',
    creationTimestamp: '1793404800000',
    fileFormat: spec.fileFormat ?? 'CSV',
    fileSchema: spec.fileSchemaText ?? (spec.schema ?? CURRENT_SCHEMA).join(', '),
    files,
  };
  if (spec.noManifest) return;
  const text = JSON.stringify(manifest, null, 2);
  await writeFile(path.join(configDir, spec.folder, 'manifest.json'), text);
  const checksum = spec.checksum ?? 'ok';
  if (checksum !== 'none') {
    await writeFile(
      path.join(configDir, spec.folder, 'manifest.checksum'),
      checksum === 'ok' ? md5(Buffer.from(text)) : '0123456789abcdef0123456789abcdef',
    );
  }
}

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}
