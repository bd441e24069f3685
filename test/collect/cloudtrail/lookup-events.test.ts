/**
 * LookupEvents against the fake endpoint, through liveSources' paced CloudTrail clients: NextToken
 * paging, CloudTrail's limit of 2 requests per second per account and region, a throttling burst the
 * SDK retries, and AccessDenied as a problem. Pacing waits on a virtual clock per account and region,
 * and the fake stamps each arrival with that clock: the times are exact, whatever the machine's load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookedUpKmsEvents } from '../../../src/collect/cloudtrail/lookup-events.js';
import type { PacerClock } from '../../../src/collect/live/request-pacer.js';
import { liveSources } from '../../../src/collect/live/index.js';
import { tenant, testOptions } from '../../support/fake-aws/harness.js';
import {
  startFakeAws,
  type FakeAws,
  type FakeCloudTrailEvent,
  type ReceivedCall,
} from '../../support/fake-aws/index.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const CALLER = '999900000000';
const DENIED = `User: arn:aws:sts::${C}:assumed-role/EvidenceReader/s3-evidence-acme-run1 is not authorized to perform: cloudtrail:LookupEvents`;

/** `n` Decrypt events in `region`, one an hour from 3 Oct 00:00Z, ids <prefix>-01 … */
function decrypts(account: string, region: string, prefix: string, n: number): FakeCloudTrailEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    region,
    record: {
      eventVersion: '1.08',
      eventID: `${prefix}-${String(i + 1).padStart(2, '0')}`,
      eventTime: new Date(Date.UTC(2026, 9, 3, i)).toISOString().replace('.000Z', 'Z'),
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      awsRegion: region,
      recipientAccountId: account,
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${account}:assumed-role/app/i-1`,
        sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/app` } },
      },
      resources: [{ ARN: `arn:aws:kms:${region}:${account}:key/k-1`, accountId: account, type: 'AWS::KMS::Key' }],
    },
  }));
}

const role = { name: 'EvidenceReader', externalId: 'ext-1' };
let fake: FakeAws;
let results: LookedUpKmsEvents[];

/** One virtual clock per account and region: sleeping moves it on at once. */
const clocks = new Map<string, PacerClock>();
function clockFor(account: string, region: string): PacerClock {
  const key = `${account}|${region}`;
  let clock = clocks.get(key);
  if (!clock) {
    let t = 0;
    clock = {
      now: () => t,
      sleep: (ms) => {
        t += ms;
        return Promise.resolve();
      },
    };
    clocks.set(key, clock);
  }
  return clock;
}

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: CALLER, arn: `arn:aws:iam::${CALLER}:user/auditor` },
    lookupPageCap: 2,
    accounts: [
      // 13 events per region: 7 pages of at most 2
      {
        id: A,
        role,
        buckets: [],
        cloudTrailEvents: [...decrypts(A, 'eu-west-1', 'eu', 13), ...decrypts(A, 'us-east-1', 'us', 13)],
      },
      { id: B, role, buckets: [], cloudTrailEvents: decrypts(B, 'eu-west-1', 'b', 2) },
      { id: C, role, buckets: [], cloudTrailEvents: decrypts(C, 'eu-west-1', 'c', 1) },
    ],
    faults: [
      { service: 'cloudtrail', operation: 'LookupEvents', account: B, times: 2, action: { kind: 'throttle' } },
      {
        service: 'cloudtrail',
        operation: 'LookupEvents',
        account: C,
        action: { kind: 'error', status: 400, code: 'AccessDeniedException', message: DENIED },
      },
    ],
  });
  const account = (id: string, regions: string[]) => ({
    id,
    roleArn: `arn:aws:iam::${id}:role/EvidenceReader`,
    externalId: 'ext-1',
    regions,
  });
  const setup = await liveSources(
    tenant({
      id: 'acme',
      accounts: [account(A, ['eu-west-1', 'us-east-1']), account(B, ['eu-west-1']), account(C, ['eu-west-1'])],
    }),
    { ...testOptions(fake), pacerClock: clockFor },
  );
  fake.recorder.arrivedAt = (call) =>
    call.service === 'cloudtrail' && call.account ? clockFor(call.account, call.region).now() : -1;
  try {
    expect(setup.problems).toEqual([]);
    results = await setup.kmsEventLookup.lookup(
      { startUtc: '2026-10-01T00:00:00Z', endUtc: '2026-11-01T00:00:00Z' },
      new Date('2026-11-02T08:00:00Z'),
    );
  } finally {
    setup.close();
  }
}, 20_000);
afterAll(async () => fake?.close());

const lookups = (account: string, region: string): ReceivedCall[] =>
  fake.recorder.find(
    (c) => c.service === 'cloudtrail' && c.operation === 'LookupEvents' && c.account === account && c.region === region,
  );
const result = (account: string, region: string) => results.find((r) => r.account === account && r.region === region)!;

describe('LookupEvents for KMS events', () => {
  it('follows NextToken through 7 pages: 13 events, newest first, each CloudTrailEvent parsed', () => {
    const eu = result(A, 'eu-west-1');
    expect(eu.location).toBe(`cloudtrail:LookupEvents ${A}/eu-west-1`);
    expect(eu.pages).toBe(7);
    expect(eu.problems).toEqual([]);
    expect(eu.events.map((e) => e.eventId)).toEqual(
      ['13', '12', '11', '10', '09', '08', '07', '06', '05', '04', '03', '02', '01'].map((n) => `eu-${n}`),
    );
    expect(eu.events.map((e) => [e.page, e.index]).slice(0, 3)).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
    ]);
    expect((eu.events[12]!.record as { eventTime: string }).eventTime).toBe('2026-10-03T00:00:00Z');
    expect(lookups(A, 'eu-west-1').map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
  });

  it('sends at most 2 requests per rolling second per account and region: 7 requests 500 ms apart', () => {
    for (const region of ['eu-west-1', 'us-east-1']) {
      const at = lookups(A, region).map((c) => c.at!);
      expect(at, region).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
    }
  });

  it('paces each account and region on its own: the two regions of one account run side by side', () => {
    // Each region's clock saw only its own 7 requests (one pacer for both would have spaced 14).
    expect(clocks.get(`${A}|eu-west-1`)!.now()).toBe(3000);
    expect(clocks.get(`${A}|us-east-1`)!.now()).toBe(3000);
    // Side by side: both regions' first requests arrived before either region's second.
    const order = fake.recorder.calls.filter((c) => c.service === 'cloudtrail' && c.account === A);
    const second = Math.min(
      ...['eu-west-1', 'us-east-1'].map((r) => order.filter((c) => c.region === r)[1]).map((c) => order.indexOf(c!)),
    );
    expect(
      order
        .slice(0, second)
        .map((c) => c.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('retries a ThrottlingException burst (SDK retry), each retry paced too, and succeeds', () => {
    const calls = lookups(B, 'eu-west-1');
    expect(calls.map((c) => c.status)).toEqual([400, 400, 200]);
    expect(calls.map((c) => c.at!)).toEqual([0, 500, 1000]);
    const b = result(B, 'eu-west-1');
    expect([b.pages, b.events.map((e) => e.eventId), b.problems]).toEqual([1, ['b-02', 'b-01'], []]);
  });

  it('records AccessDenied as a problem with the AWS error code and request id, without retrying', () => {
    const calls = lookups(C, 'eu-west-1');
    expect(calls).toHaveLength(1);
    const c = result(C, 'eu-west-1');
    expect([c.pages, c.events]).toEqual([0, []]);
    expect(c.problems).toEqual([
      {
        file: `cloudtrail:LookupEvents ${C}/eu-west-1`,
        message: `LookupEvents page 1 failed: AccessDeniedException (HTTP 400): ${DENIED} [request id ${calls[0]!.requestId}]`,
      },
    ]);
  });
});
