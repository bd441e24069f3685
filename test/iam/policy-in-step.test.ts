/**
 * The shipped IAM policy lists exactly the actions a full live collection uses. Every operation the
 * fake endpoint receives is mapped to its IAM action; an action missing from the policy, or listed
 * but never used, fails. sts:AssumeRole is the caller's permission (not the role's) and
 * sts:GetCallerIdentity needs none; both are checked to come only from where they belong.
 * `doctor` runs against the same accounts afterwards, so its CloudTrail and Config reads count too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectInventory } from '../../src/collect/inventory/index.js';
import { reportWindow } from '../../src/collect/inventory/report-window.js';
import { periodFor } from '../../src/config/period.js';
import { DIRECTORY_IAM_ACTION, IAM_ACTION } from '../../src/collect/source.js';
import { s3Tree } from '../../src/collect/tree/index.js';
import { collectLive, tenant, type LiveRun } from '../support/fake-aws/harness.js';
import { inventoryReportObjects } from '../support/fake-aws/inventory-report.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { projectRoot } from '../../src/project-root.js';
import { DOCTOR_IAM_ACTION, runDoctor } from '../../src/operate/doctor/index.js';
import { CONFIG_IAM_ACTION } from '../../src/collect/aws-config/index.js';
import { testOptions } from '../support/fake-aws/harness.js';
import { LOOKUP_IAM_ACTION } from '../../src/collect/cloudtrail/lookup-events.js';

const ACTION: Record<string, string> = { ...IAM_ACTION, ...DOCTOR_IAM_ACTION, ...CONFIG_IAM_ACTION, ...LOOKUP_IAM_ACTION };

const A = '111111111111';
const B = '222222222222';
const CALLER = '999900000000';
let fake: FakeAws;
let run: LiveRun;
let tablesRun: LiveRun | undefined;
let doctorReady: boolean | undefined;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: CALLER, arn: `arn:aws:iam::${CALLER}:user/auditor` },
    maxKeysCap: 2,
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader', externalId: 'ext-1' },
        buckets: [
          {
            name: 'acme-data',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/acme-data', bucketKeyEnabled: true },
            policy: '{"Version":"2012-10-17","Statement":[]}',
            publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
            logging: { targetBucket: 'acme-inventory', targetPrefix: 'logs/' },
            inventory: [{ id: 'daily', destinationBucket: 'acme-inventory', prefix: 'inv' }],
            versioning: 'Enabled',
            objectLock: { mode: 'COMPLIANCE', days: 7 },
            tags: { tenant: 'acme' },
          },
          {
            name: 'acme-inventory',
            region: 'us-east-2',
            // An older ListBuckets answer without BucketRegion: the collection asks GetBucketLocation.
            listedRegion: null,
            tags: { tenant: 'acme' },
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-east-2:${B}:key/central-1` },
            objects: inventoryReportObjects({
              prefix: 'inv/',
              sourceBucket: 'acme-data',
              destinationBucket: 'acme-inventory',
              configId: 'daily',
              folder: '2026-11-01T00-00Z',
              rows: [
                { key: 'docs/a.txt', size: 100, status: 'SSE-KMS' },
                { key: 'docs/b c.txt', size: 50, status: 'NOT-SSE' },
                { key: 'img/x.png', size: 7, status: 'SSE-KMS' },
              ],
            }),
          },
        ],
        keys: [{ id: 'k-data', region: 'eu-west-1', aliases: ['alias/acme-data'], rotation: { enabled: true }, tags: { team: 'data' } }],
        tableBuckets: [{ name: 'acme-lake', region: 'eu-west-1', namespaces: [{ name: 'sales', tables: [{ name: 'orders' }] }] }],
        directoryBuckets: [{ name: 'acme-hot--euw1-az1--x-s3', region: 'eu-west-1', policy: '{"Version":"2012-10-17","Statement":[]}' }],
        trails: [{ name: 'main', homeRegion: 'us-east-1', multiRegion: true, s3BucketName: 'acme-inventory' }],
        configRecorders: [{ region: 'eu-west-1', recording: true }],
        configRules: [{ region: 'eu-west-1', name: 'sse', sourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', results: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'acme-data', compliance: 'COMPLIANT' }] }],
        configHistory: [{ region: 'eu-west-1', resourceType: 'AWS::S3::Bucket', resourceId: 'acme-data', captureTime: '2026-10-02T00:00:00Z' }],
        cloudTrailEvents: [
          {
            region: 'eu-west-1',
            record: { eventID: 'ev-rot-1', eventTime: '2026-10-12T09:14:00Z', eventName: 'DisableKeyRotation', eventSource: 'kms.amazonaws.com', requestParameters: { keyId: `arn:aws:kms:eu-west-1:${A}:key/k-data` } },
          },
        ],
      },
      { id: B, buckets: [], keys: [{ id: 'central-1', region: 'us-east-2', grantedTo: [A] }] },
    ],
  });
  run = await collectLive(
    fake,
    tenant({
      id: 'acme',
      accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, externalId: 'ext-1', regions: ['eu-west-1'] }],
      buckets: { tags: [{ key: 'tenant', value: 'acme' }] },
    }),
    {
      listBucketsPageSize: 1,
      awsConfig: true,
      kmsLookup: true,
      readInventory: (setup) => (a) =>
        collectInventory({ trees: [s3Tree(setup.treeS3, 's3://acme-inventory/inv/')], window: reportWindow(periodFor('2026-10', 'UTC'), { maxDaysAfterPeriod: 7 }), ...a }),
    },
  );
  // Table and directory buckets are judged only where names select them (their tags are not read): a name-selected tenant.
  tablesRun = await collectLive(
    fake,
    tenant({ id: 'acme-lake', accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, externalId: 'ext-1', regions: ['eu-west-1'] }], buckets: { include: ['acme-lake', 'acme-hot--*'] } }),
  );
  const acme = tenant({
    id: 'acme',
    accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, externalId: 'ext-1', regions: ['eu-west-1'] }],
    buckets: { tags: [{ key: 'tenant', value: 'acme' }] },
  });
  doctorReady = (await runDoctor({ tenants: [acme], live: testOptions(fake), now: new Date('2026-11-01T12:00:00Z') })).ready;
});
afterAll(async () => {
  await run?.cleanup();
  await tablesRun?.cleanup();
  await fake?.close();
});

async function policyActions(): Promise<string[]> {
  const doc = JSON.parse(await readFile(path.join(projectRoot(), 'iam', 'evidence-reader-policy.json'), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string | string[] }>;
  };
  return doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

it('the collection exercised every read: buckets, keys, aliases, inventory listing and streaming', () => {
  const inv = run.evidence.buckets.find((b) => b.name === 'acme-data')!.inventory;
  expect(inv.status).toBe('ok');
  expect(inv.status === 'ok' && inv.tally['SSE-KMS']).toEqual({ objects: 2, bytes: 107 });
  expect(inv.status === 'ok' && inv.tally['NOT-SSE']).toEqual({ objects: 1, bytes: 50 });
  const ops = new Set(fake.recorder.operations());
  for (const op of Object.keys(IAM_ACTION)) expect(ops, op).toContain(op);
  const express = new Set(fake.recorder.operations('s3express'));
  for (const op of Object.keys(DIRECTORY_IAM_ACTION)) expect(express, op).toContain(op);
});

it('the AWS Config collection exercised every Config read', () => {
  const eu = run.awsConfig!.accounts[0]!.regions[0]!;
  expect([eu.recorders.outcome, eu.recorderStatus.outcome, eu.rules?.outcome, eu.compliance.map((c) => c.record.outcome), eu.history[0]?.record.outcome]).toEqual(['ok', 'ok', 'ok', ['ok'], 'ok']);
  const ops = new Set(fake.recorder.operations());
  for (const op of Object.keys(CONFIG_IAM_ACTION)) expect(ops, op).toContain(op);
});

it('the KMS event lookup exercised CloudTrail LookupEvents', () => {
  expect(run.kmsEvents!.map((l) => [l.account, l.region, l.events.map((e) => e.eventId), l.problems])).toEqual([[A, 'eu-west-1', ['ev-rot-1'], []]]);
  expect(fake.recorder.operations('cloudtrail')).toContain('LookupEvents');
});

it('doctor exercised its CloudTrail and Config reads', () => {
  expect(doctorReady).toBeTypeOf('boolean');
  const ops = new Set(fake.recorder.operations());
  for (const op of Object.keys(DOCTOR_IAM_ACTION)) expect(ops, op).toContain(op);
});

it('every S3, KMS, CloudTrail and Config operation sent maps to an action in the policy, and every policy action was used', async () => {
  const awsCalls = fake.recorder.calls.filter((c) => c.service !== 'sts');
  // Directory-bucket reads share S3's operation names but are s3express actions.
  const actionOf = (c: (typeof awsCalls)[number]) =>
    c.service === 's3express' ? DIRECTORY_IAM_ACTION[c.operation as keyof typeof DIRECTORY_IAM_ACTION] : ACTION[c.operation];
  const unmapped = [...new Set(awsCalls.filter((c) => actionOf(c) === undefined).map((c) => c.operation))];
  expect(unmapped).toEqual([]);
  const used = [...new Set(awsCalls.map((c) => actionOf(c)!))].sort();
  const listed = [...new Set(await policyActions())].sort();
  expect(used.filter((a) => !listed.includes(a)), 'used but missing from the policy').toEqual([]);
  expect(listed.filter((a) => !used.includes(a)), 'in the policy but never used').toEqual([]);
  expect(listed).toHaveLength((await policyActions()).length); // no action listed twice
});

it('STS: AssumeRole only as the caller (the caller\'s permission), GetCallerIdentity (no permission needed), nothing else', () => {
  const sts = fake.recorder.calls.filter((c) => c.service === 'sts');
  expect([...new Set(sts.map((c) => c.operation))].sort()).toEqual(['AssumeRole', 'GetCallerIdentity']);
  // one AssumeRole per collection (tag-selected and name-selected tenant), one for doctor; all signed by the caller
  expect(sts.filter((c) => c.operation === 'AssumeRole').map((c) => c.account)).toEqual([CALLER, CALLER, CALLER]);
});

it('sends no write operation', () => {
  const calls = fake.recorder.calls;
  expect(calls.filter((c) => /^(Put|Delete|Create|Update)/.test(c.operation))).toEqual([]);
  expect(calls.filter((c) => c.service === 's3' && !['GET', 'HEAD'].includes(c.method))).toEqual([]);
  // S3 Tables is REST-JSON: its reads are GETs, like S3's.
  expect(calls.filter((c) => c.service === 's3tables' && c.method !== 'GET')).toEqual([]);
  // Directory-bucket reads at s3express-control are GETs too.
  expect(calls.filter((c) => c.service === 's3express' && c.method !== 'GET')).toEqual([]);
  expect(calls.filter((c) => !['s3', 's3tables', 's3express'].includes(c.service) && c.method !== 'POST')).toEqual([]);
});
