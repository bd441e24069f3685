/** An S3 Inventory report as S3 delivers it (manifest.json, manifest.checksum, gzipped CSV data), as fake objects. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export function inventoryReportObjects(args: {
  prefix: string;
  sourceBucket: string;
  destinationBucket: string;
  configId: string;
  /** e.g. "2026-10-31T00-00Z" */
  folder: string;
  rows: Array<{ key: string; size: number; status: string }>;
}): Record<string, Buffer> {
  const { prefix, sourceBucket, configId, folder } = args;
  const csv = args.rows
    .map((r) => `"${sourceBucket}","${encodeURIComponent(r.key)}","${r.size}","${r.status}"\n`)
    .join('');
  const data = gzipSync(Buffer.from(csv, 'utf8'));
  const dataKey = `${prefix}${sourceBucket}/${configId}/data/0f1e2d3c-report.csv.gz`;
  const manifest = Buffer.from(
    JSON.stringify({
      sourceBucket,
      destinationBucket: `arn:aws:s3:::${args.destinationBucket}`,
      version: '2016-11-30',
      creationTimestamp: '1761868800000',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, Size, EncryptionStatus',
      files: [{ key: dataKey, size: data.length, MD5checksum: createHash('md5').update(data).digest('hex') }],
    }),
    'utf8',
  );
  const base = `${prefix}${sourceBucket}/${configId}/${folder}/`;
  return {
    [`${base}manifest.json`]: manifest,
    [`${base}manifest.checksum`]: Buffer.from(createHash('md5').update(manifest).digest('hex'), 'utf8'),
    [dataKey]: data,
  };
}
