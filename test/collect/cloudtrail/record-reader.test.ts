import { describe, expect, it } from 'vitest';
import { CloudTrailRecordReader } from '../../../src/collect/cloudtrail/record-reader.js';
import { emptyCloudTrailScan } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { SkippedLines } from '../../../src/collect/access-logs/skipped-lines.js';
import { periodFor } from '../../../src/config/period.js';

const period = periodFor('2026-10', 'UTC');
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
const ROLE = 'arn:aws:iam::111122223333:role/app';

function decrypt(eventID: string, eventTime: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    eventID,
    awsRegion: 'eu-west-1',
    recipientAccountId: '111122223333',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/app/i-1',
      sessionContext: { sessionIssuer: { arn: ROLE } },
      invokedBy: 's3.amazonaws.com',
    },
    requestParameters: { keyId: KEY, encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::data-bucket/x' } },
    resources: [{ type: 'AWS::KMS::Key', ARN: KEY }],
    ...extra,
  };
}

/** One worker's reading of one file: its finds, unchecked. */
function readFile(file: string, records: unknown[]) {
  const reader = new CloudTrailRecordReader(period, new SkippedLines(), emptyCloudTrailScan('t'));
  reader.readRecords(file, records);
  return reader.takeFound();
}

function merge(...parts: ReturnType<typeof readFile>[]) {
  const scan = emptyCloudTrailScan('t');
  const watch = { eventIds: new Set(['ev-2']), seen: new Set<string>() };
  const reader = new CloudTrailRecordReader(period, new SkippedLines(), scan, { watch });
  for (const p of parts) reader.addFound(p);
  reader.finish();
  return { kmsEvents: scan.kmsEvents, tallies: scan.kmsTallies, seen: [...watch.seen] };
}

describe('CloudTrailRecordReader: KMS events read apart and added up in file order', () => {
  // ev-2 is delivered in both files; the second copy says it failed (a copy that differs shows
  // which one was counted).
  const fileA = [
    decrypt('ev-1', '2026-10-05T10:00:00Z'),
    decrypt('ev-2', '2026-10-05T11:00:00Z'),
    decrypt('ev-1', '2026-10-05T10:00:00Z'),
  ];
  const fileB = [
    decrypt('ev-2', '2026-10-05T11:00:00Z', { errorCode: 'AccessDeniedException' }),
    decrypt('ev-3', '2026-10-06T09:30:00Z'),
    decrypt('', '2026-10-05T12:00:00Z'),
    decrypt('', '2026-10-05T12:00:00Z'),
  ];

  it('counts an event delivered in two files once, its first copy in file order', () => {
    const a = readFile('a.json', fileA);
    const b = readFile('b.json', fileB);
    // each file's reader keeps every event it read: the check is the merge's
    expect(a.kms.ids).toEqual(['ev-1', 'ev-2', 'ev-1']);
    expect(b.kms.ids).toEqual(['ev-2', 'ev-3', '', '']);
    const merged = merge(a, b);
    // ev-1, ev-2, ev-3 and the two events without an id (never taken for one another)
    expect(merged.kmsEvents).toBe(5);
    expect(merged.seen).toEqual(['ev-2']);
    expect(merged.tallies).toEqual([
      {
        keyArn: KEY,
        principal: ROLE,
        kind: 'role',
        operation: 'Decrypt',
        day: '2026-10-05',
        bucket: 'data-bucket',
        calls: 4,
        failures: 0,
        errorCodes: {},
        via: ['s3.amazonaws.com'],
        firstSeen: '2026-10-05T10:00:00.000Z',
        lastSeen: '2026-10-05T12:00:00.000Z',
      },
      {
        keyArn: KEY,
        principal: ROLE,
        kind: 'role',
        operation: 'Decrypt',
        day: '2026-10-06',
        bucket: 'data-bucket',
        calls: 1,
        failures: 0,
        errorCodes: {},
        via: ['s3.amazonaws.com'],
        firstSeen: '2026-10-06T09:30:00.000Z',
        lastSeen: '2026-10-06T09:30:00.000Z',
      },
    ]);
    // the other file first: its copy of ev-2 (failed) is the one counted
    const reversed = merge(readFile('b.json', fileB), readFile('a.json', fileA));
    expect(reversed.kmsEvents).toBe(5);
    expect(reversed.tallies[0]).toMatchObject({ calls: 4, failures: 1, errorCodes: { AccessDeniedException: 1 } });
  });

  it('gives the tallies of one reader reading both files whether the files are read together or apart', () => {
    const together = new CloudTrailRecordReader(period, new SkippedLines(), emptyCloudTrailScan('t'));
    together.readRecords('a.json', fileA);
    together.readRecords('b.json', fileB);
    expect(merge(together.takeFound())).toEqual(merge(readFile('a.json', fileA), readFile('b.json', fileB)));
  });
});
