import type { CoverageStatement, LogSourceId } from '../../model/log-sections.js';

const WHAT: Record<LogSourceId, string> = {
  access_logs: 'access-log records',
  cloudtrail: 'CloudTrail data events',
};

/**
 * Which days of the period a source has records for a bucket. A source with records on some days
 * only is not proof that logging was off on the others (a quiet bucket logs nothing), so the
 * statement says what was seen, never why.
 */
export function coverageStatement(
  source: LogSourceId,
  bucket: string,
  periodDays: readonly string[],
  daysSeen: Readonly<Record<string, number>> | undefined,
): CoverageStatement {
  const without = periodDays.filter((d) => !daysSeen?.[d]);
  const withRecords = periodDays.length - without.length;
  const base = { source, bucket, daysWithRecords: withRecords, daysInPeriod: periodDays.length };
  if (withRecords === 0) {
    return {
      ...base,
      state: 'no_records',
      daysWithout: [],
      text: `no ${WHAT[source]} for bucket ${bucket} in the period`,
    };
  }
  if (without.length === 0) {
    return {
      ...base,
      state: 'records_every_day',
      daysWithout: [],
      text: `${WHAT[source]} for bucket ${bucket} on every day of the period`,
    };
  }
  const shown = without.slice(0, 10);
  const more = without.length > shown.length ? `, and ${without.length - shown.length} more` : '';
  return {
    ...base,
    state: 'records_some_days',
    daysWithout: shown,
    text: `${WHAT[source]} for bucket ${bucket} on ${withRecords} of ${periodDays.length} days (none on ${shown.join(', ')}${more})`,
  };
}

/** Adds each scan's per-bucket day counts into one map. */
export function unionBucketDays(
  parts: Array<Record<string, Record<string, number>>>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const part of parts) {
    for (const [bucket, days] of Object.entries(part)) {
      const into = (out[bucket] ??= {});
      for (const [day, n] of Object.entries(days)) into[day] = (into[day] ?? 0) + n;
    }
  }
  return out;
}
