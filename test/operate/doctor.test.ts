/**
 * `doctor` with the real v3 clients against the fake endpoint: one ready tenant, and a finding for
 * each not-ready case (role, reads, inventory, delivery, access logs, trail data events, KMS
 * management events, trail stopped, no trail, AWS Config), each with the exact CLI fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, renderDoctor, type Check, type DoctorReport } from '../../src/operate/doctor/index.js';
import { inventoryReportObjects } from '../support/fake-aws/inventory-report.js';
import { tenant, testOptions } from '../support/fake-aws/harness.js';
import { startFakeAws, type FakeAws, type Scenario } from '../support/fake-aws/index.js';

const OPERATOR = '999900000000';
const A = '111111111111'; // ready
const B = '222222222222'; // gaps in buckets, a partial trail, a stopped recorder
const C = '333333333333'; // no trail at all, a stopped trail elsewhere, no recorder
const D = '444444444444'; // external id mismatch
const NOW = new Date('2026-11-02T08:00:00Z');
const REGION = 'eu-west-1';

const report = (sourceBucket: string, dest: string, folder: string, configId = 'daily') =>
  inventoryReportObjects({
    prefix: 'inv/',
    sourceBucket,
    destinationBucket: dest,
    configId,
    folder,
    rows: [{ key: 'a', size: 1, status: 'SSE-KMS' }],
  });

const ALL_S3_WRITES = {
  Name: 'writes',
  FieldSelectors: [
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
    { Field: 'readOnly', Equals: ['false'] },
  ],
};
const MANAGEMENT = { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] };

function scenario(): Scenario {
  return {
    caller: { accessKeyId: 'AKIDOPERATOR', account: OPERATOR, arn: `arn:aws:iam::${OPERATOR}:role/evidence-runner` },
    accounts: [
      {
        id: A,
        role: { name: 'S3EvidenceReader', externalId: 'ext-a' },
        buckets: [
          {
            name: 'a-data',
            region: REGION,
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:${REGION}:${A}:key/a-1` },
            logging: { targetBucket: 'a-logs', targetPrefix: 'a-data/' },
            inventory: [{ id: 'daily', destinationBucket: 'a-inventory', prefix: 'inv' }],
          },
          {
            name: 'a-inventory',
            region: REGION,
            encryption: { algorithm: 'AES256' },
            logging: { targetBucket: 'a-logs', targetPrefix: 'a-inventory/' },
            inventory: [{ id: 'daily', destinationBucket: 'a-inventory', prefix: 'inv' }],
            objects: {
              ...report('a-data', 'a-inventory', '2026-11-01T00-00Z'),
              ...report('a-inventory', 'a-inventory', '2026-11-01T00-00Z'),
            },
          },
        ],
        keys: [{ id: 'a-1', region: REGION, rotation: { enabled: true } }],
        trails: [
          {
            name: 'org',
            homeRegion: 'us-east-1',
            multiRegion: true,
            s3BucketName: 'a-trail',
            advancedEventSelectors: [MANAGEMENT, ALL_S3_WRITES],
          },
        ],
        configRecorders: [{ region: REGION, recording: true }],
      },
      {
        id: B,
        role: { name: 'S3EvidenceReader', externalId: 'ext-b' },
        buckets: [
          { name: 'b-no-inventory', region: REGION },
          {
            name: 'b-no-status',
            region: REGION,
            logging: { targetBucket: 'b-logs', targetPrefix: 'x/' },
            inventory: [
              { id: 'basic', destinationBucket: 'b-inv', prefix: 'inv', fields: ['Size'], frequency: 'Weekly' },
            ],
          },
          {
            name: 'b-stale',
            region: REGION,
            logging: { targetBucket: 'b-logs', targetPrefix: 'y/' },
            inventory: [{ id: 'daily', destinationBucket: 'b-inv', prefix: 'inv' }],
          },
          {
            name: 'b-inv',
            region: REGION,
            logging: { targetBucket: 'b-logs', targetPrefix: 'z/' },
            objects: report('b-stale', 'b-inv', '2026-10-20T00-00Z'),
          },
        ],
        trails: [
          {
            name: 'regional',
            homeRegion: REGION,
            s3BucketName: 'b-trail',
            eventSelectors: [
              {
                ReadWriteType: 'WriteOnly',
                IncludeManagementEvents: true,
                DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b-stale/'] }],
              },
            ],
          },
        ],
        configRecorders: [
          { region: REGION, recording: false, allSupported: false, resourceTypes: ['AWS::EC2::Instance'] },
        ],
      },
      {
        id: C,
        role: { name: 'S3EvidenceReader' },
        buckets: [
          {
            name: 'c-data',
            region: 'us-west-2',
            logging: { targetBucket: 'c-logs', targetPrefix: '' },
            inventory: [{ id: 'daily', destinationBucket: 'c-data', prefix: 'inv' }],
            objects: report('c-data', 'c-data', '2026-11-01T00-00Z'),
          },
          {
            name: 'c-orc',
            region: 'us-west-2',
            logging: { targetBucket: 'c-logs', targetPrefix: 'orc/' },
            inventory: [{ id: 'columnar', destinationBucket: 'c-data', prefix: 'inv', format: 'ORC' }],
          },
        ],
        trails: [{ name: 'stopped', homeRegion: 'eu-central-1', s3BucketName: 'c-trail', logging: false }],
      },
      { id: D, role: { name: 'S3EvidenceReader', externalId: 'something-else' }, buckets: [] },
    ],
    faults: [
      {
        service: 's3',
        operation: 'GetBucketPolicy',
        bucket: 'b-stale',
        action: { kind: 'error', code: 'AccessDenied', status: 403, message: 'Access Denied' },
      },
      {
        service: 's3express',
        operation: 'ListDirectoryBuckets',
        account: B,
        action: { kind: 'error', code: 'AccessDenied', status: 403, message: 'Access Denied' },
      },
    ],
  };
}

let fake: FakeAws;
let doc: DoctorReport;

const checks = (t: string, acct: string) =>
  doc.tenants.find((x) => x.tenant === t)!.accounts.find((a) => a.account === acct)!.checks;
const find = (t: string, acct: string, area: Check['area'], scope: string) =>
  checks(t, acct).find((c) => c.area === area && c.scope === scope);

beforeAll(async () => {
  fake = await startFakeAws(scenario());
  doc = await runDoctor({
    now: NOW,
    live: testOptions(fake, { defaultRegion: REGION }),
    tenants: [
      tenant({
        id: 'ready',
        accounts: [
          { id: A, roleArn: `arn:aws:iam::${A}:role/S3EvidenceReader`, externalId: 'ext-a', regions: [REGION] },
        ],
        sources: { inventory: ['s3://a-inventory/inv/'] },
      }),
      tenant({
        id: 'gaps',
        accounts: [
          { id: B, roleArn: `arn:aws:iam::${B}:role/S3EvidenceReader`, externalId: 'ext-b', regions: [REGION] },
          { id: C, roleArn: `arn:aws:iam::${C}:role/S3EvidenceReader`, regions: ['us-west-2'] },
        ],
        buckets: { exclude: ['b-inv'] },
        sources: {
          inventory: ['s3://b-inv/inv/'],
          accessLogs: ['s3://b-logs/s3/'],
          cloudTrail: ['s3://b-trail/AWSLogs/'],
        },
      }),
      tenant({
        id: 'norole',
        accounts: [{ id: D, roleArn: `arn:aws:iam::${D}:role/S3EvidenceReader`, externalId: 'ext-d' }],
        sources: { inventory: ['s3://d-inv/x/'] },
      }),
      tenant({ id: 'offline', accounts: [{ id: A, offlineExport: '/tmp/nowhere' }] }),
    ],
  });
});
afterAll(async () => fake?.close());

describe('doctor: a ready tenant', () => {
  it('every check ok: role, reads, inventory with a recent report, access logs, trail data and KMS events, Config', () => {
    const t = doc.tenants.find((x) => x.tenant === 'ready')!;
    expect(checks('ready', A).filter((c) => c.status !== 'ok')).toEqual([]);
    expect(t.ready).toBe(true);
    expect(find('ready', A, 'inventory', 'bucket a-data')!.detail).toBe(
      'inventory "daily" (Daily) with EncryptionStatus; latest report 2026-11-01T00-00Z at s3://a-inventory/inv/a-data/daily/2026-11-01T00-00Z/',
    );
    expect(find('ready', A, 'access-logs', 'bucket a-data')!.detail).toBe('server access logs to s3://a-logs/a-data/');
    expect(find('ready', A, 'trail-s3-data', 'bucket a-data')!.detail).toContain(
      'trail org records S3 data events (writes) for the bucket',
    );
    expect(find('ready', A, 'trail-kms', `region ${REGION}`)!.status).toBe('ok');
    expect(find('ready', A, 'config', `region ${REGION}`)!.detail).toBe(
      'recorder "default" recording all supported types',
    );
  });

  it('lists the read calls made and their outcomes, all answered', () => {
    const calls = doc.tenants[0]!.accounts[0]!.calls;
    expect(calls.filter((c) => c.outcome === 'access_denied' || c.outcome === 'error')).toEqual([]);
    const ops = new Set(calls.map((c) => c.operation));
    for (const op of [
      's3:ListBuckets',
      's3express:ListDirectoryBuckets',
      's3:GetBucketEncryption',
      's3:ListBucketInventoryConfigurations',
      'kms:DescribeKey',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetEventSelectors',
      'cloudtrail:GetTrailStatus',
      'config:DescribeConfigurationRecorders',
    ]) {
      expect(ops, op).toContain(op);
    }
  });

  it('calls no write API', () => {
    expect(fake.recorder.calls.filter((c) => /^(Put|Delete|Create|Update|Start|Stop)/.test(c.operation))).toEqual([]);
    expect(fake.recorder.calls.filter((c) => c.service === 's3' && !['GET', 'HEAD'].includes(c.method))).toEqual([]);
  });
});

describe('doctor: each not-ready case, with its fix', () => {
  it('the tenant is not ready', () => {
    expect(doc.tenants.find((t) => t.tenant === 'gaps')!.ready).toBe(false);
    expect(doc.ready).toBe(false);
  });

  it('no inventory: put-bucket-inventory-configuration to the configured destination, EncryptionStatus included', () => {
    const c = find('gaps', B, 'inventory', 'bucket b-no-inventory')!;
    expect(c).toMatchObject({ status: 'gap', detail: 'no enabled S3 Inventory configuration' });
    expect(c.fix).toEqual([
      `aws s3api put-bucket-inventory-configuration --region eu-west-1 --bucket b-no-inventory --id s3-evidence-encryption --inventory-configuration '{"Destination":{"S3BucketDestination":{"AccountId":"${B}","Bucket":"arn:aws:s3:::b-inv","Format":"CSV","Prefix":"inv"}},"IsEnabled":true,"Id":"s3-evidence-encryption","IncludedObjectVersions":"Current","OptionalFields":["Size","LastModifiedDate","EncryptionStatus","BucketKeyStatus"],"Schedule":{"Frequency":"Daily"}}'`,
    ]);
  });

  it('inventory without EncryptionStatus: the same configuration again, with the field added', () => {
    const c = find('gaps', B, 'inventory', 'bucket b-no-status')!;
    expect(c).toMatchObject({ status: 'gap', detail: 'inventory "basic" does not include the EncryptionStatus field' });
    expect(c.fix![0]).toContain('--id basic');
    expect(c.fix![0]).toContain(
      '"OptionalFields":["Size","LastModifiedDate","EncryptionStatus","BucketKeyStatus"],"Schedule":{"Frequency":"Weekly"}',
    );
  });

  it('inventory configured but its latest report is 13 days old', () => {
    const c = find('gaps', B, 'inventory', 'bucket b-stale')!;
    expect(c.status).toBe('gap');
    expect(c.detail).toContain(
      'inventory "daily" (Daily): latest report 2026-10-20T00-00Z is 13 days old (s3://b-inv/inv/b-stale/daily/2026-10-20T00-00Z/)',
    );
  });

  it('an ORC inventory: named as such, and the same configuration again as CSV', () => {
    const c = find('gaps', C, 'inventory', 'bucket c-orc')!;
    expect(c).toMatchObject({
      status: 'gap',
      detail:
        'inventory "columnar": ORC inventory: read it with `engine: athena`, or switch the inventory to CSV or Parquet',
    });
    expect(c.fix).toEqual([
      `aws s3api put-bucket-inventory-configuration --region us-west-2 --bucket c-orc --id columnar --inventory-configuration '{"Destination":{"S3BucketDestination":{"AccountId":"${C}","Bucket":"arn:aws:s3:::c-data","Format":"CSV","Prefix":"inv"}},"IsEnabled":true,"Id":"columnar","IncludedObjectVersions":"Current","OptionalFields":["Size","LastModifiedDate","EncryptionStatus","BucketKeyStatus"],"Schedule":{"Frequency":"Daily"}}'`,
    ]);
  });

  it('access logging off: put-bucket-logging into the configured log bucket', () => {
    const c = find('gaps', B, 'access-logs', 'bucket b-no-inventory')!;
    expect(c.status).toBe('gap');
    expect(c.fix).toEqual([
      `aws s3api put-bucket-logging --region eu-west-1 --bucket b-no-inventory --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"b-logs","TargetPrefix":"s3/b-no-inventory/"}}'`,
    ]);
  });

  it('a read the role may not make: the AWS error, the IAM action, and the policy to put back', () => {
    const c = find('gaps', B, 'read', 's3:GetBucketPolicy on bucket b-stale')!;
    expect(c).toMatchObject({ status: 'gap', detail: 'AccessDenied: Access Denied (needs s3:GetBucketPolicy)' });
    expect(c.fix).toEqual([
      'aws iam put-role-policy --role-name S3EvidenceReader --policy-name s3-evidence-reader --policy-document file://iam/evidence-reader-policy.json',
    ]);
  });

  it('directory buckets the role may not list: the s3express action named, the policy to put back', () => {
    const c = find('gaps', B, 'read', `s3express:ListDirectoryBuckets on account ${B} ${REGION}`)!;
    expect(c).toMatchObject({
      status: 'gap',
      detail: 'AccessDenied: Access Denied (needs s3express:ListAllMyDirectoryBuckets)',
    });
    expect(c.fix).toEqual([
      'aws iam put-role-policy --role-name S3EvidenceReader --policy-name s3-evidence-reader --policy-document file://iam/evidence-reader-policy.json',
    ]);
  });

  it('trail data events for one bucket only: the others get put-event-selectors keeping the existing selector', () => {
    expect(find('gaps', B, 'trail-s3-data', 'bucket b-stale')!.status).toBe('ok');
    const c = find('gaps', B, 'trail-s3-data', 'bucket b-no-status')!;
    expect(c.status).toBe('gap');
    expect(c.detail).toBe(
      'trail regional does not record S3 data events (writes) for the bucket (no S3 data-event resource names the bucket)',
    );
    expect(c.fix).toEqual([
      `aws cloudtrail put-event-selectors --region eu-west-1 --trail-name arn:aws:cloudtrail:eu-west-1:${B}:trail/regional --event-selectors '[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::b-stale/","arn:aws:s3:::b-no-status/"]}],"ExcludeManagementEventSources":[]}]'`,
    ]);
  });

  it('write-only management events: key changes but not key usage, so KMS events are partial', () => {
    const c = find('gaps', B, 'trail-kms', 'region eu-west-1')!;
    expect(c.status).toBe('gap');
    expect(c.detail).toContain('records KMS management events only partly: write management events only');
    expect(c.fix![0]).toContain('"ReadWriteType":"All","IncludeManagementEvents":true');
  });

  it('AWS Config not recording and not recording buckets: put-configuration-recorder then start it', () => {
    const c = find('gaps', B, 'config', 'region eu-west-1')!;
    expect(c).toMatchObject({
      status: 'gap',
      detail: 'recorder "default" not recording, does not record AWS::S3::Bucket',
    });
    expect(c.fix).toHaveLength(2);
    expect(c.fix![0]).toContain('"resourceTypes":["AWS::EC2::Instance","AWS::S3::Bucket","AWS::KMS::Key"]');
    expect(c.fix![1]).toBe(
      'aws configservice start-configuration-recorder --region eu-west-1 --configuration-recorder-name default',
    );
  });

  it('no trail covers the region (the only one is single-region elsewhere): create-trail, selectors, start-logging', () => {
    const c = find('gaps', C, 'trail-s3-data', 'bucket c-data')!;
    expect(c).toMatchObject({ status: 'gap', detail: 'no trail covers us-west-2' });
    expect(c.fix![0]).toBe(
      'aws cloudtrail create-trail --region us-west-2 --name s3-evidence --s3-bucket-name b-trail --is-multi-region-trail --enable-log-file-validation',
    );
    expect(c.fix![2]).toBe('aws cloudtrail start-logging --region us-west-2 --name s3-evidence');
  });

  it('no Config recorder: create, deliver, start', () => {
    const c = find('gaps', C, 'config', 'region us-west-2')!;
    expect(c).toMatchObject({ status: 'gap', detail: 'no AWS Config configuration recorder' });
    expect(c.fix!.map((f) => f.split(' ').slice(0, 3).join(' '))).toEqual([
      'aws configservice put-configuration-recorder',
      'aws configservice put-delivery-channel',
      'aws configservice start-configuration-recorder',
    ]);
  });

  it('a role that cannot be assumed: the STS error and the CloudFormation deploy that creates it', () => {
    const t = doc.tenants.find((x) => x.tenant === 'norole')!;
    expect(t.ready).toBe(false);
    const c = t.accounts[0]!.checks[0]!;
    expect(c.area).toBe('role');
    expect(c.detail).toContain(
      `cannot assume arn:aws:iam::${D}:role/S3EvidenceReader as arn:aws:iam::${OPERATOR}:role/evidence-runner: AccessDenied (HTTP 403)`,
    );
    expect(c.fix).toEqual([
      `aws cloudformation deploy --region us-east-1 --stack-name s3-evidence-reader --template-file iam/reader-role.cfn.yaml --capabilities CAPABILITY_NAMED_IAM --parameter-overrides OperatorAccountId=${OPERATOR} ExternalId=ext-d 'DeliveryBucketArns=arn:aws:s3:::d-inv,arn:aws:s3:::d-inv/*'`,
    ]);
  });

  it('an offline-export account given no configuration is not checked, and never counted as ready', () => {
    const t = doc.tenants.find((x) => x.tenant === 'offline')!;
    expect(t.accounts[0]!.checks.map((c) => c.status)).toEqual(['skipped']);
    expect(t.ready).toBe(false);
    expect(renderDoctor(doc)).toContain('offline: NOT CHECKED');
    expect(renderDoctor(doc)).toContain(
      'Not checked (offline exports): offline; not counted as ready. Check them with s3-evidence doctor --config <file>.',
    );
  });

  it("the table names every tenant's state and prints each gap's commands", () => {
    const text = renderDoctor(doc);
    expect(text).toContain('ready: READY');
    expect(text).toContain('gaps: NOT READY');
    expect(text).toContain('    aws s3api put-bucket-logging --region eu-west-1 --bucket b-no-inventory');
    expect(text).toContain('Not ready: gaps, norole.');
  });
});

describe('doctor: a stopped trail', () => {
  it('start-logging on the trail, then its selectors', async () => {
    fake.scenario.accounts[2]!.trails = [
      { name: 'stopped', homeRegion: 'us-west-2', s3BucketName: 'c-trail', logging: false },
    ];
    const again = await runDoctor({
      now: NOW,
      live: testOptions(fake, { defaultRegion: REGION }),
      tenants: [
        tenant({
          id: 'c',
          accounts: [{ id: C, roleArn: `arn:aws:iam::${C}:role/S3EvidenceReader`, regions: ['us-west-2'] }],
        }),
      ],
    });
    const c = again.tenants[0]!.accounts[0]!.checks.find((x) => x.area === 'trail-s3-data')!;
    expect(c.detail).toBe('trail stopped is not logging and does not record S3 data events (writes) for the bucket');
    expect(c.fix![0]).toBe(
      `aws cloudtrail start-logging --region us-west-2 --name arn:aws:cloudtrail:us-west-2:${C}:trail/stopped`,
    );
    expect(c.fix![1]).toContain('put-event-selectors');
  });
});

describe('doctor: no working credentials', () => {
  it('is a gap whose fix names the SSO profile to set up and how to use it', async () => {
    const rep = await runDoctor({
      now: NOW,
      // Port 9 refuses: sts:GetCallerIdentity cannot answer, as with no or expired credentials.
      live: {
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
        timeoutMs: 2000,
        defaultRegion: REGION,
        credentials: async () => ({ accessKeyId: 'AKIDEXPIRED', secretAccessKey: 'x' }),
      },
      tenants: [tenant({ id: 'nocreds', accounts: [{ id: A, regions: [REGION] }] })],
    });
    expect(rep.ready).toBe(false);
    const c = rep.tenants[0]!.accounts[0]!.checks[0]!;
    expect(c).toMatchObject({ area: 'role', status: 'gap' });
    expect(c.detail).toMatch(/^the caller's credentials do not work \(sts:GetCallerIdentity: /);
    expect(c.fix).toEqual([
      'aws configure sso --profile s3-evidence   # once: SSO start URL, the operator account, a permission set with sts:AssumeRole on the reader roles',
      'aws sso login --profile s3-evidence',
      's3-evidence doctor --profile s3-evidence   # or export AWS_PROFILE=s3-evidence; on EC2, ECS or Lambda give the instance or task role sts:AssumeRole on arn:aws:iam::*:role/S3EvidenceReader instead',
    ]);
    expect(renderDoctor(rep)).toContain('    aws sso login --profile s3-evidence');
  });
});
