/**
 * Names of delivered access-log objects. Two documented key formats:
 *  simple:      [TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString  (time of delivery)
 *  partitioned: [TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/YYYY-mm-DD-HH-MM-SS-UniqueString
 *               (day of the events, or of delivery, as the bucket's PartitionDateSource says)
 * A `.gz` suffix is accepted for trees that were compressed after delivery.
 */
export interface AccessLogKey {
  layout: 'simple' | 'partitioned';
  /** The time in the file name, ms since the epoch (UTC). */
  fileTimeMs: number;
  sourceAccount?: string;
  sourceRegion?: string;
  sourceBucket?: string;
}

const NAME = /(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9A-Za-z]+(?:\.gz)?$/;

export function parseAccessLogKey(path: string): AccessLogKey | null {
  const m = NAME.exec(path);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const fileTimeMs = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(fileTimeMs) || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const parts = path.split('/');
  if (parts.length >= 7) {
    const [account, region, bucket, yyyy, mm, dd] = parts.slice(-7, -1) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (
      /^\d{12}$/.test(account) &&
      /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) &&
      `${yyyy}-${mm}-${dd}` === `${m[1]}-${m[2]}-${m[3]}`
    ) {
      return { layout: 'partitioned', fileTimeMs, sourceAccount: account, sourceRegion: region, sourceBucket: bucket };
    }
  }
  return { layout: 'simple', fileTimeMs };
}

/**
 * Whether a file named for `fileTimeMs` can hold records of [startMs, endMs): its date must lie
 * within the period widened by `marginDays` on each side (delivery lags the events; an event-time
 * partition starts at 00:00 of the event day).
 */
export function fileMayHoldPeriod(key: AccessLogKey, startMs: number, endMs: number, marginDays: number): boolean {
  const margin = marginDays * 86_400_000;
  return key.fileTimeMs >= startMs - margin && key.fileTimeMs < endMs + margin;
}
