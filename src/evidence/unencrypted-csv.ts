import { csvRecord } from '../format/csv.js';

export interface UnencryptedRow {
  bucket: string;
  /** Decoded object key. */
  key: string;
  versionId?: string;
  isLatest?: boolean;
  size: number;
  lastModified?: string;
  storageClass?: string;
  encryptionStatus: string;
}

/** One record of an evidence copy: the keys exactly as the inventory holds them (no formula quoting). */
export function unencryptedCsvLine(row: UnencryptedRow): string {
  return csvRecord(
    [
      row.bucket,
      row.key,
      row.versionId ?? '',
      row.isLatest === undefined ? '' : row.isLatest,
      row.size,
      row.lastModified ?? '',
      row.storageClass ?? '',
      row.encryptionStatus,
    ],
    { exact: true },
  );
}
