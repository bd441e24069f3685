/** The full list of NOT-SSE objects, one row per object (version), as the collector writes it. */
export const UNENCRYPTED_CSV_HEADER = [
  'bucket',
  'key',
  'version_id',
  'is_latest',
  'size',
  'last_modified_date',
  'storage_class',
  'encryption_status',
] as const;

/** The full list of unencrypted objects, beside the workbook that shows its head. */
export const UNENCRYPTED_EXPORT = 'exports/unencrypted-objects.csv';
