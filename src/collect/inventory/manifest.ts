import type { z } from 'zod';
import { INVENTORY_MANIFEST, shapeProblem } from '../../evidence/answers.js';
import { readJson } from '../../format/json-keys.js';

export type InventoryManifest = z.infer<typeof INVENTORY_MANIFEST>;
export type ManifestFile = InventoryManifest['files'][number];

export function parseManifest(text: string): { manifest: InventoryManifest } | { error: string } {
  const read = readJson(text);
  if ('invalid' in read) return { error: `not valid JSON: ${read.invalid}` };
  // S3 never writes a key twice; a manifest that does lists one set of files to one reader, another to the next.
  if ('twice' in read) return { error: `not an S3 Inventory manifest as S3 writes it: it ${read.twice}` };
  const json = read.value;
  const problem = shapeProblem(INVENTORY_MANIFEST, json);
  if (problem !== undefined) return { error: `not an S3 Inventory manifest: ${problem}` };
  return { manifest: json as InventoryManifest };
}

/** CSV fileSchema: "Bucket, Key, Size" → ['Bucket', 'Key', 'Size']. */
export function parseCsvFileSchema(fileSchema: string): string[] {
  return fileSchema.split(',').map((c) => c.trim());
}

export function isCsvFormat(fileFormat: string): boolean {
  return fileFormat.toUpperCase() === 'CSV';
}

export function isParquetFormat(fileFormat: string): boolean {
  return fileFormat.toUpperCase() === 'PARQUET';
}

export function isOrcFormat(fileFormat: string): boolean {
  return fileFormat.toUpperCase() === 'ORC';
}

/** What an operator is told wherever an ORC inventory is met: no maintained JavaScript reader exists. */
export const ORC_INVENTORY = 'ORC inventory: read it with `engine: athena`, or switch the inventory to CSV or Parquet';

/**
 * The column names of a Parquet or ORC fileSchema, e.g. "message s3.inventory { required binary
 * bucket (UTF8); optional int64 size; }" → ['bucket', 'size'] (ORC's "struct<bucket:string,size:bigint>"
 * → the same); undefined when it is neither.
 */
export function parseTypedFileSchema(fileSchema: string): string[] | undefined {
  const message = /^\s*message\s+[\w.]+\s*\{(.*)\}\s*$/s.exec(fileSchema);
  if (message) {
    const names = message[1]!
      .split(';')
      .map((f) => f.trim())
      .filter((f) => f !== '')
      .map((f) => /^(?:required|optional|repeated)\s+\w+\s+(\w+)/.exec(f)?.[1]);
    return names.every((n) => n !== undefined) ? names : undefined;
  }
  const struct = /^\s*struct<(.*)>\s*$/s.exec(fileSchema);
  if (struct) {
    const names = struct[1]!.split(',').map((f) => /^\s*(\w+)\s*:/.exec(f)?.[1]);
    return names.every((n) => n !== undefined) ? names : undefined;
  }
  return undefined;
}

/** CSV schemas name the column EncryptionStatus; ORC and Parquet schemas call it encryption_status. */
export function schemaHasEncryptionStatus(manifest: InventoryManifest): boolean {
  if (isCsvFormat(manifest.fileFormat)) return parseCsvFileSchema(manifest.fileSchema).includes('EncryptionStatus');
  return /\bencryption_status\b/.test(manifest.fileSchema);
}

/** Report folder name, e.g. "2016-11-06T21-32Z": the time the report generation began scanning. */
const REPORT_FOLDER = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z$/;

/** "2016-11-06T21-32Z" → "2016-11-06T21:32:00Z"; undefined for any other folder name. */
export function reportFolderDate(folder: string): string | undefined {
  const m = REPORT_FOLDER.exec(folder);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.toISOString() !== `${iso.slice(0, -1)}.000Z` ? undefined : iso;
}

/**
 * Where a manifest's data file lies relative to the tree root. The key is the full key in the
 * destination bucket, which may carry a destination prefix the tree root already includes, so the
 * path starts at "<source-bucket>/<config-id>/".
 */
export function dataFileTreePath(key: string, sourceBucket: string, configId: string): string {
  const marker = `${sourceBucket}/${configId}/`;
  const inData = key.lastIndexOf(`${marker}data/`);
  if (inData >= 0) return key.slice(inData);
  const anywhere = key.indexOf(marker);
  return anywhere >= 0 ? key.slice(anywhere) : key;
}
