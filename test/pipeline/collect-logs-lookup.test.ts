/**
 * `sources.cloudTrailLookup`: KMS events from LookupEvents (fake endpoint) join the trail files'
 * in the key-usage section; an event in both is counted once (eventID).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseKeyUsage } from '../../src/analyze/guardrails/key-usage.js';
import { liveSources } from '../../src/collect/live/index.js';
import { periodFor } from '../../src/config/period.js';
import type { TenantConfig } from '../../src/config/schema.js';
import { collectLogs } from '../../src/pipeline/collect-logs.js';
import type { LogEvidence } from '../../src/evidence/log-evidence.js';
import { tenant, testOptions } from '../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';

const A = '111111111111';
const CALLER = '999900000000';
const KEY = `arn:aws:kms:eu-west-1:${A}:key/0b1c2d3e-0000-4000-8000-000000000001`;
const APP = `arn:aws:iam::${A}:role/app`;
const CONTRACTOR = `arn:aws:iam::${A}:role/contractor`;
const ADMIN = `arn:aws:iam::${A}:user/admin`;
const period = periodFor('2026-10', 'UTC');

function assumed(roleName: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${A}:assumed-role/${roleName}/s1`,
    accountId: A,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${A}:role/${roleName}` } },
    ...extra,
  };
}

function kmsRecord(
  eventID: string,
  eventTime: string,
  eventName: string,
  userIdentity: Record<string, unknown>,
  requestParameters: Record<string, unknown> = {},
) {
  return {
    eventVersion: '1.08',
    eventID,
    eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    recipientAccountId: A,
    requestID: `req-${eventID}`,
    sourceIPAddress: '198.51.100.7',
    userIdentity,
    requestParameters,
    resources: [{ ARN: KEY, accountId: A, type: 'AWS::KMS::Key' }],
  };
}

// In the trail file and in the event history.
const SHARED = kmsRecord('e0000001-0000-4000-8000-000000000001', '2026-10-05T09:00:00Z', 'Decrypt', assumed('app'));
// Trail file only: S3 asking for a data key on the app role's behalf.
const TRAIL_ONLY = kmsRecord(
  'e0000002-0000-4000-8000-000000000002',
  '2026-10-05T09:05:00Z',
  'GenerateDataKey',
  assumed('app', { invokedBy: 's3.amazonaws.com' }),
  {
    encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::acme-data' },
  },
);
// Event history only.
const CONTRACTOR_1 = kmsRecord(
  'e0000003-0000-4000-8000-000000000003',
  '2026-10-07T14:00:00Z',
  'Decrypt',
  assumed('contractor'),
);
const CONTRACTOR_2 = kmsRecord(
  'e0000004-0000-4000-8000-000000000004',
  '2026-10-08T14:00:00Z',
  'Decrypt',
  assumed('contractor'),
);
const ROTATION_OFF = kmsRecord(
  'e0000005-0000-4000-8000-000000000005',
  '2026-10-12T09:14:00Z',
  'DisableKeyRotation',
  { type: 'IAMUser', arn: ADMIN, accountId: A, userName: 'admin' },
  { keyId: KEY },
);

let fake: FakeAws;
let trailDir: string;

beforeAll(async () => {
  trailDir = await mkdtemp(path.join(os.tmpdir(), 'ct-lookup-'));
  const day = path.join(trailDir, 'AWSLogs', A, 'CloudTrail', 'eu-west-1', '2026', '10', '05');
  await mkdir(day, { recursive: true });
  await writeFile(
    path.join(day, `${A}_CloudTrail_eu-west-1_20261005T0910Z_TGtUcmFpbA.json.gz`),
    gzipSync(JSON.stringify({ Records: [SHARED, TRAIL_ONLY] })),
  );
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: CALLER, arn: `arn:aws:iam::${CALLER}:user/auditor` },
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader' },
        buckets: [],
        cloudTrailEvents: [SHARED, CONTRACTOR_1, CONTRACTOR_2, ROTATION_OFF].map((record) => ({
          region: 'eu-west-1',
          record,
        })),
      },
    ],
  });
});
afterAll(async () => {
  await fake?.close();
  await rm(trailDir, { recursive: true, force: true });
});

function acme(cloudTrailLookup: boolean | undefined): TenantConfig {
  return tenant({
    id: 'acme',
    accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, regions: ['eu-west-1'] }],
    sources: { cloudTrail: [trailDir], ...(cloudTrailLookup === undefined ? {} : { cloudTrailLookup }) },
  });
}

async function collect(config: TenantConfig, live: boolean): Promise<{ logs: LogEvidence; lookups: number }> {
  const before = fake.recorder.find((c) => c.operation === 'LookupEvents').length;
  const setup = await liveSources(config, testOptions(fake));
  try {
    const logs = await collectLogs({
      tenant: config,
      period,
      buckets: ['acme-data'],
      ...(live
        ? {
            lookupKmsEvents: (p: { startUtc: string; endUtc: string }) =>
              setup.kmsEventLookup.lookup(p, new Date('2026-11-02T08:00:00Z')),
          }
        : {}),
    });
    return { logs, lookups: fake.recorder.find((c) => c.operation === 'LookupEvents').length - before };
  } finally {
    setup.close();
  }
}

describe('collectLogs with sources.cloudTrailLookup', () => {
  it('adds a LookupEvents scan per account and region; the event also in the trail file is left out of it', async () => {
    const { logs, lookups } = await collect(acme(true), true);
    expect(lookups).toBe(1);
    const [trail, lookup] = logs.cloudTrail!;
    expect(logs.cloudTrail).toHaveLength(2);
    expect(trail!.location).toBe(trailDir);
    expect(lookup!.location).toBe(`cloudtrail:LookupEvents ${A}/eu-west-1`);
    // 4 events returned: 1 already in the trail file, 3 read (2 Decrypt, 1 DisableKeyRotation)
    expect([
      lookup!.recordsRead,
      lookup!.duplicatesLeftOut,
      lookup!.recordsInPeriod,
      lookup!.kmsEvents,
      lookup!.problems,
    ]).toEqual([4, 1, 3, 3, []]);
  });

  it('the key-usage section counts each event once: calls by principal and operation, and the DisableKeyRotation event', async () => {
    const { logs } = await collect(acme(true), true);
    const { section } = summariseKeyUsage({ period, cloudTrail: logs.cloudTrail, keys: [KEY] });
    if (section.state !== 'collected') throw new Error(section.state);
    const key = section.keys[0]!;
    // trail: SHARED (app Decrypt) + TRAIL_ONLY (app GenerateDataKey via S3); lookup: 2 contractor Decrypts; SHARED not again
    expect(key.calls).toBe(4);
    expect(key.byOperation).toEqual([
      { name: 'Decrypt', count: 3 },
      { name: 'GenerateDataKey', count: 1 },
    ]);
    expect(key.byPrincipal).toEqual([
      { principal: APP, kind: 'role', calls: 2, failures: 0, via: ['s3.amazonaws.com'], expected: null },
      { principal: CONTRACTOR, kind: 'role', calls: 2, failures: 0, via: [], expected: null },
    ]);
    expect(key.byBucket).toEqual([{ name: 'acme-data', count: 1 }]);
    expect(key.managementEvents).toEqual([
      {
        time: '2026-10-12T09:14:00.000Z',
        eventName: 'DisableKeyRotation',
        principal: ADMIN,
        kind: 'user',
        sourceIp: '198.51.100.7',
        requestId: 'req-e0000005-0000-4000-8000-000000000005',
        eventId: 'e0000005-0000-4000-8000-000000000005',
      },
    ]);
    expect(section.totals).toEqual({ calls: 4, failures: 0, unexpectedPrincipals: 0, managementEvents: 1 });
  });

  it('without the flag, or without live collection (offline), only the trail files are read', async () => {
    for (const [flag, live] of [
      [undefined, true],
      [false, true],
      [true, false],
    ] as const) {
      const { logs, lookups } = await collect(acme(flag), live);
      expect(lookups, `${String(flag)} ${String(live)}`).toBe(0);
      expect(logs.cloudTrail!.map((s) => s.location)).toEqual([trailDir]);
      const { section } = summariseKeyUsage({ period, cloudTrail: logs.cloudTrail, keys: [KEY] });
      expect(section.state === 'collected' && section.keys[0]!.calls).toBe(2);
    }
  });
});
