import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeDeniedUploads } from '../../../src/analyze/guardrails/merge-denied-uploads.js';
import { type MergedDeniedUpload } from '../../../src/model/export-rows.js';
import { scanAccessLogs } from '../../../src/collect/access-logs/scan-access-logs.js';
import { type AccessLogScan } from '../../../src/evidence/log-scans.js';
import { scanCloudTrail } from '../../../src/collect/cloudtrail/scan-cloudtrail.js';
import { type CloudTrailScan } from '../../../src/evidence/log-scans.js';
import { localTree } from '../../../src/collect/tree/local.js';
import { periodFor } from '../../../src/config/period.js';
import type { DeniedUploadsCollected } from '../../../src/model/log-sections.js';
import { gzippedCopy } from '../../collect/cloudtrail/gzip-tree.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const period = periodFor('2026-10', 'Europe/Berlin');
const BUCKETS = ['acme-data', 'acme-archive', 'acme-eu-data', 'acme-quiet'];

let ctTree: string;
let accessLogs: AccessLogScan[];
let cloudTrail: CloudTrailScan[];
let section: DeniedUploadsCollected;
let rows: MergedDeniedUpload[];
beforeAll(async () => {
  ctTree = await gzippedCopy(path.join(FIXTURES, 'cloudtrail'));
  accessLogs = [
    await scanAccessLogs(localTree(path.join(FIXTURES, 'access-logs/simple')), { period }),
    await scanAccessLogs(localTree(path.join(FIXTURES, 'access-logs/partitioned')), { period }),
  ];
  cloudTrail = [await scanCloudTrail(localTree(ctTree), { period })];
  const merged = mergeDeniedUploads({ period, accessLogs, cloudTrail, buckets: BUCKETS });
  if (merged.section.state !== 'collected') throw new Error('expected a collected section');
  section = merged.section;
  rows = merged.rows;
});
afterAll(async () => rm(ctTree, { recursive: true, force: true }));

describe('mergeDeniedUploads', () => {
  it('counts one request once: 6 from access logs + 6 from CloudTrail, 2 seen by both = 10', () => {
    expect(section.bySource).toEqual({ accessLogs: 6, cloudTrail: 6, both: 2, accessLogsOnly: 4, cloudTrailOnly: 4 });
    expect(section.total).toBe(10);
    expect(rows.filter((r) => r.seenIn === 'both').map((r) => r.requestId)).toEqual(['DENY0001', 'DENY0002']);
  });

  it('attributes reasons: header missing, value not allowed, plain HTTP (from either source), other, undetermined', () => {
    expect(section.byReason).toEqual({
      sse_header_missing: 3,
      sse_value_not_allowed: 1,
      plain_http: 2,
      other: 1,
      undetermined: 3,
    });
    const reason = Object.fromEntries(rows.map((r) => [r.requestId, r.reason]));
    expect(reason).toEqual({
      DENY0001: 'sse_header_missing',
      DENY0002: 'plain_http',
      DENY0003: 'undetermined',
      DENY0004: 'undetermined',
      DENY0005: 'plain_http',
      DENY0006: 'undetermined',
      DENY0010: 'sse_value_not_allowed',
      DENY0011: 'sse_header_missing',
      DENY0012: 'other',
      DENY0013: 'sse_header_missing',
    });
  });

  it('groups by bucket and by day of the tenant zone, zero-filling the month', () => {
    expect(section.byBucket.map((b) => [b.bucket, b.count])).toEqual([
      ['acme-data', 7],
      ['acme-archive', 2],
      ['acme-eu-data', 1],
    ]);
    expect(section.byBucket[1]!.byReason).toEqual({
      sse_header_missing: 1,
      sse_value_not_allowed: 0,
      plain_http: 1,
      other: 0,
      undetermined: 0,
    });
    expect(section.perDay).toHaveLength(31);
    expect(section.perDay.filter((d) => d.count > 0)).toEqual([
      { day: '2026-10-01', count: 2 },
      { day: '2026-10-05', count: 4 },
      { day: '2026-10-06', count: 1 },
      { day: '2026-10-07', count: 1 },
      { day: '2026-10-20', count: 1 },
      { day: '2026-10-31', count: 1 },
    ]);
  });

  it('ranks principals (CloudTrail names the role with its path) and source IPs', () => {
    expect(section.topPrincipals.top.slice(0, 3)).toEqual([
      { name: 'arn:aws:iam::111122223333:role/apps/app-writer', count: 3 },
      { name: 'arn:aws:iam::111122223333:user/legacy-uploader', count: 2 },
      { name: 'anonymous', count: 1 },
    ]);
    expect(section.topPrincipals.distinct).toBe(7);
    expect(section.topSourceIps).toEqual({
      top: [
        { name: '192.0.2.44', count: 3 },
        { name: '198.51.100.7', count: 3 },
        { name: '203.0.113.9', count: 2 },
        { name: '198.51.100.200', count: 1 },
        { name: '203.0.113.250', count: 1 },
      ],
      others: 0,
      distinct: 5,
    });
    const short = mergeDeniedUploads({ period, accessLogs, cloudTrail, buckets: BUCKETS, topN: 2 });
    if (short.section.state !== 'collected') throw new Error('collected');
    expect(short.section.topSourceIps.others).toBe(4);
  });

  it('keeps the evidence of every sighting, including the access log line delivered twice', () => {
    const first = rows.find((r) => r.requestId === 'DENY0001')!;
    const simple = path.join(FIXTURES, 'access-logs/simple');
    expect(first.evidence).toEqual([
      `${simple}/logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B:2`,
      `${simple}/logs/2026-10-05-10-15-22-1A2B3C4D5E6F7A8B:9`,
      `${ctTree}/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/10/05/111122223333_CloudTrail_eu-west-1_20261005T0920Z_Qm9vZ2xlMTIzNDU2.json.gz#1`,
    ]);
    expect([first.principal, first.sseHeader, first.operation]).toEqual([
      'arn:aws:iam::111122223333:role/apps/app-writer',
      null,
      'PutObject',
    ]);
  });

  it('states which source covered which bucket on which days', () => {
    expect(section.coverage.map((c) => c.text)).toEqual([
      'access-log records for bucket acme-archive on 1 of 31 days (none on 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07, 2026-10-08, 2026-10-09, 2026-10-10, 2026-10-11, and 20 more)',
      'CloudTrail data events for bucket acme-archive on 1 of 31 days (none on 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07, 2026-10-08, 2026-10-09, 2026-10-10, 2026-10-11, and 20 more)',
      'access-log records for bucket acme-data on 4 of 31 days (none on 2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-08, 2026-10-09, 2026-10-10, 2026-10-11, 2026-10-12, 2026-10-13, and 17 more)',
      'CloudTrail data events for bucket acme-data on 1 of 31 days (none on 2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-06, 2026-10-07, 2026-10-08, 2026-10-09, 2026-10-10, 2026-10-11, and 20 more)',
      'no access-log records for bucket acme-eu-data in the period',
      'CloudTrail data events for bucket acme-eu-data on 1 of 31 days (none on 2026-10-01, 2026-10-02, 2026-10-03, 2026-10-04, 2026-10-05, 2026-10-06, 2026-10-07, 2026-10-08, 2026-10-09, 2026-10-10, and 20 more)',
      'no access-log records for bucket acme-quiet in the period',
      'no CloudTrail data events for bucket acme-quiet in the period',
    ]);
  });

  it('carries skipped lines from both sources with absolute file names', () => {
    expect(section.skipped.count).toBe(3);
    expect(section.skipped.samples.map((s) => [path.basename(s.file), s.line])).toEqual([
      ['2026-10-05-10-15-22-1A2B3C4D5E6F7A8B', 8],
      ['stray-file', 1],
      ['111122223333_CloudTrail_eu-west-1_20261005T0920Z_Qm9vZ2xlMTIzNDU2.json.gz', 14],
    ]);
    expect(section.sources.accessLogs).toMatchObject({
      state: 'read',
      filesRead: 4,
      filesOutsidePeriod: 2,
      recordsInPeriod: 11,
    });
  });

  it('is not collected when no source is configured, and says so per source when one is', () => {
    expect(mergeDeniedUploads({ period, accessLogs: null, cloudTrail: null, buckets: BUCKETS }).section).toEqual({
      state: 'not_collected',
      reason: 'no access-log or CloudTrail location is configured for this tenant',
    });
    const ctOnly = mergeDeniedUploads({ period, accessLogs: null, cloudTrail, buckets: ['acme-quiet'] }).section;
    if (ctOnly.state !== 'collected') throw new Error('collected');
    expect(ctOnly.total).toBe(0);
    expect(ctOnly.sources.accessLogs.state).toBe('not_configured');
    expect(ctOnly.coverage.map((c) => c.source)).toEqual(['cloudtrail']);
  });
});

describe('mergeDeniedUploads past the itemising limit', () => {
  it('names each location that counted refused uploads past its limit and totals them apart from the figures', () => {
    const merged = mergeDeniedUploads({
      period,
      accessLogs: [{ ...accessLogs[0]!, deniedPastLimit: { limit: 3, count: 1234 } }, accessLogs[1]!],
      cloudTrail: [{ ...cloudTrail[0]!, deniedPastLimit: { limit: 3, count: 5 } }],
      buckets: BUCKETS,
    });
    if (merged.section.state !== 'collected') throw new Error('expected a collected section');
    expect(merged.section.notItemised).toBe(1239);
    // The itemised figures are those of the scans' lists, as without a limit.
    expect(merged.section.total).toBe(section.total);
    expect(merged.section.problems.slice(-2)).toEqual([
      {
        file: accessLogs[0]!.location,
        message:
          "1,234 more denied uploads past the first 3 were counted, not itemised (the limit is sources.maxDeniedUploads): the refused uploads' figures by reason, bucket, principal and day leave them out",
        pastLimit: true,
      },
      {
        file: cloudTrail[0]!.location,
        message:
          "5 more denied upload records past the first 3 were counted, not itemised (the limit is sources.maxDeniedUploads): the refused uploads' figures by reason, bucket, principal and day leave them out",
        pastLimit: true,
      },
    ]);
    expect(section.notItemised).toBeUndefined();
  });
});
