/**
 * Collected denied-uploads and key-usage sections for the sample packet (`samplePacket({ logs: true })`),
 * written by hand so renderer tests do not depend on the log analysis. The figures add up:
 * 17 denied = 10 no SSE header + 4 plain HTTP + 3 undetermined = acme-prod-data 13 + acme-denied 4;
 * 1,234 KMS calls = 1,200 (app-writer) + 30 (contractor, unexpected) + 4 (s3.amazonaws.com).
 */
import type { CoverageStatement, DeniedUploadsCollected, KeyUsageCollected } from '../../src/model/log-sections.js';

export const SAMPLE_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const CONTRACTOR = 'arn:aws:iam::111122223333:user/contractor-jdoe';
export const HOSTILE_DETAIL = '=HYPERLINK("http://evil","description")';

const period = { startUtc: '2026-10-01T04:00:00Z', endUtc: '2026-11-01T04:00:00Z', timeZone: 'America/New_York' };
const days = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
/** Denied uploads per day: 3 on the 3rd, 5 on the 14th, 9 on the 20th (17 in all). */
const DENIED_PER_DAY: Record<string, number> = { '2026-10-03': 3, '2026-10-14': 5, '2026-10-20': 9 };

function everyDay(source: CoverageStatement['source'], bucket: string): CoverageStatement {
  const what = source === 'access_logs' ? 'access-log records' : 'CloudTrail data events';
  return {
    source,
    bucket,
    state: 'records_every_day',
    daysWithRecords: 31,
    daysInPeriod: 31,
    daysWithout: [],
    text: `${what} for bucket ${bucket} on every day of the period`,
  };
}

function noRecords(source: CoverageStatement['source'], bucket: string): CoverageStatement {
  const what = source === 'access_logs' ? 'access-log records' : 'CloudTrail data events';
  return {
    source,
    bucket,
    state: 'no_records',
    daysWithRecords: 0,
    daysInPeriod: 31,
    daysWithout: [],
    text: `no ${what} for bucket ${bucket} in the period`,
  };
}

/** `extraBuckets`: the sample's many-bucket names; logged every day by access logs, never by CloudTrail. */
export function sampleDeniedUploads(extraBuckets: string[] = []): DeniedUploadsCollected {
  return {
    state: 'collected',
    period,
    total: 17,
    bySource: { accessLogs: 15, cloudTrail: 14, both: 12, accessLogsOnly: 3, cloudTrailOnly: 2 },
    byReason: { sse_header_missing: 10, sse_value_not_allowed: 0, plain_http: 4, other: 0, undetermined: 3 },
    byBucket: [
      {
        bucket: 'acme-prod-data',
        count: 13,
        byReason: { sse_header_missing: 8, sse_value_not_allowed: 0, plain_http: 4, other: 0, undetermined: 1 },
      },
      {
        bucket: 'acme-denied',
        count: 4,
        byReason: { sse_header_missing: 2, sse_value_not_allowed: 0, plain_http: 0, other: 0, undetermined: 2 },
      },
    ],
    topPrincipals: {
      top: [
        { name: 'arn:aws:iam::111122223333:role/app-writer', count: 12 },
        { name: CONTRACTOR, count: 5 },
      ],
      others: 0,
      distinct: 2,
    },
    topSourceIps: {
      top: [
        { name: '10.0.0.5', count: 12 },
        { name: '198.51.100.7', count: 4 },
      ],
      others: 1,
      distinct: 3,
    },
    perDay: days.map((day) => ({ day, count: DENIED_PER_DAY[day] ?? 0 })),
    sources: {
      accessLogs: {
        state: 'read',
        locations: ['s3://acme-logs/access/'],
        filesRead: 744,
        filesOutsidePeriod: 3,
        recordsInPeriod: 52_000,
      },
      cloudTrail: {
        state: 'read',
        locations: ['s3://acme-trail/AWSLogs/'],
        filesRead: 2_976,
        filesOutsidePeriod: 0,
        recordsInPeriod: 81_000,
      },
    },
    coverage: [
      everyDay('access_logs', 'acme-prod-data'),
      everyDay('cloudtrail', 'acme-prod-data'),
      {
        source: 'access_logs',
        bucket: 'acme-denied',
        state: 'records_some_days',
        daysWithRecords: 20,
        daysInPeriod: 31,
        daysWithout: days.slice(20, 30),
        text: 'access-log records for bucket acme-denied on 20 of 31 days of the period',
      },
      noRecords('cloudtrail', 'acme-denied'),
      ...extraBuckets.flatMap((b) => [everyDay('access_logs', b), noRecords('cloudtrail', b)]),
    ],
    skipped: {
      count: 2,
      samples: [
        {
          file: 's3://acme-logs/access/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B',
          line: 7,
          message: 'unterminated quoted field',
        },
        { file: 's3://acme-logs/access/2026-10-09-01-00-00-FFEE', line: 1, message: 'not an access-log record' },
      ],
    },
    problems: [
      {
        file: 's3://acme-trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/07/broken.json.gz',
        message: 'not gzip',
      },
    ],
  };
}

export function sampleKeyUsage(): KeyUsageCollected {
  return {
    state: 'collected',
    period,
    source: {
      state: 'read',
      locations: ['s3://acme-trail/AWSLogs/'],
      filesRead: 2_976,
      filesOutsidePeriod: 0,
      recordsInPeriod: 81_000,
    },
    keys: [
      {
        keyArn: SAMPLE_KEY_ARN,
        calls: 1234,
        byOperation: [
          { name: 'Decrypt', count: 800 },
          { name: 'GenerateDataKey', count: 434 },
        ],
        byPrincipal: [
          {
            principal: 'arn:aws:iam::111122223333:role/app-writer',
            kind: 'role',
            calls: 1200,
            failures: 0,
            via: ['s3.amazonaws.com'],
            expected: true,
          },
          { principal: CONTRACTOR, kind: 'user', calls: 30, failures: 2, via: [], expected: false },
          { principal: 's3.amazonaws.com', kind: 'aws_service', calls: 4, failures: 0, via: [], expected: true },
        ],
        byBucket: [{ name: 'acme-prod-data', count: 1204 }],
        failures: { total: 2, byErrorCode: [{ name: 'AccessDeniedException', count: 2 }] },
        unexpectedPrincipals: [
          {
            principal: CONTRACTOR,
            kind: 'user',
            calls: 30,
            operations: ['Decrypt'],
            firstSeen: '2026-10-20T02:11:45.000Z',
            lastSeen: '2026-10-21T03:11:15.000Z',
          },
        ],
        expectationConfigured: true,
        managementEvents: [
          {
            time: '2026-10-12T16:14:40.000Z',
            eventName: 'DisableKeyRotation',
            principal: 'arn:aws:iam::111122223333:role/platform-admin',
            kind: 'role',
            sourceIp: '203.0.113.40',
            requestId: 'c0ff3296-18ab-4564-8fbf-763edfa5de92',
            eventId: '952408e9-db74-48ff-9a3b-a00f68695b95',
          },
          {
            time: '2026-10-20T03:00:00.000Z',
            eventName: 'UpdateKeyDescription',
            principal: CONTRACTOR,
            kind: 'user',
            sourceIp: '198.51.100.7',
            errorCode: 'AccessDeniedException',
            detail: HOSTILE_DETAIL,
            eventId: '0a1b2c3d-0000-4000-8000-000000000001',
          },
        ],
      },
    ],
    totals: { calls: 1234, failures: 2, unexpectedPrincipals: 1, managementEvents: 2 },
    skipped: { count: 0, samples: [] },
    problems: [],
  };
}
