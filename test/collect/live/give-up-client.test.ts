/**
 * Clients whose calls do not go through CallLimiter.run obey the run's give-up all the same: the
 * tree reader's S3 client (which follows region redirects itself) and CloudTrail LookupEvents. A
 * region that did not answer is not asked again; counted by the calls the endpoint received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveUpWithLimiter, signedRegion } from '../../../src/collect/live/give-up-client.js';
import { s3ClientFor } from '../../../src/collect/live/clients.js';
import { KmsEventLookup } from '../../../src/collect/live/kms-lookup.js';
import { CallLimiter } from '../../../src/collect/live/limiter.js';
import { DEFAULT_LIMITS, resolveLiveOptions } from '../../../src/collect/live/options.js';
import { s3Tree } from '../../../src/collect/tree/s3.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';
import { responsiveLoop } from '../../support/responsive-loop.js';

const A = '111111111111';
const HUNG = 'eu-west-1';
const TIMEOUT_MS = 300;
const ATTEMPTS = 2;
let fake: FakeAws;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          { name: 'logs-hung', region: HUNG },
          { name: 'logs-ok', region: 'us-east-1' },
        ],
      },
    ],
    faults: [{ region: HUNG, action: { kind: 'hang' } }],
  });
});
afterAll(async () => fake?.close());

const options = () => resolveLiveOptions({ endpoint: fake.endpoint, timeoutMs: TIMEOUT_MS, maxAttempts: ATTEMPTS });
const credentials = () => Promise.resolve(fake.callerCredentials);
const callsTo = (region: string, service: string) =>
  fake.recorder.calls.filter((c) => c.region === region && c.service === service).length;
const errorOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (err: unknown) => (err as { name?: string }).name,
  );

describe('signedRegion', () => {
  it('reads the region of the SigV4 credential scope', () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKID/20261102/ap-southeast-2/s3/aws4_request, SignedHeaders=host, Signature=ab';
    expect(signedRegion({ headers: { authorization } })).toBe('ap-southeast-2');
    expect(signedRegion({ headers: {} })).toBeUndefined();
  });
});

describe('the tree reader S3 client', () => {
  it('gives the region up after one call timed out there (after its redirect), and sends nothing there again', async () => {
    fake.recorder.reset();
    const limiter = new CallLimiter(DEFAULT_LIMITS, new Map(), { timeoutMs: TIMEOUT_MS, stalls: responsiveLoop });
    const client = giveUpWithLimiter(
      s3ClientFor(options(), 'us-east-1', credentials, { followRegionRedirects: true }),
      limiter,
      's3',
    );
    try {
      const tree = s3Tree(client, 's3://logs-hung/AWSLogs/');
      expect(await errorOf(tree.listChildren(''))).toBe('TimeoutError');
      // us-east-1 redirected it; each attempt to the hung region waited for its timeout.
      expect(callsTo(HUNG, 's3')).toBe(ATTEMPTS);
      expect(limiter.regionsGivenUp().map((g) => g.region)).toEqual([HUNG]);

      expect(await errorOf(tree.listChildren('2026/'))).toBe('NotAttempted');
      expect(await errorOf(s3Tree(client, 's3://logs-hung/other/').open('x.gz'))).toBe('NotAttempted');
      expect(callsTo(HUNG, 's3')).toBe(ATTEMPTS);
      // Another region is read as before.
      expect(await s3Tree(client, 's3://logs-ok/AWSLogs/').listChildren('')).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});

describe('CloudTrail LookupEvents', () => {
  it('is not asked in a region given up, and says why; a region that hangs is given up by the lookup itself', async () => {
    fake.recorder.reset();
    const limiter = new CallLimiter(DEFAULT_LIMITS, new Map(), { timeoutMs: TIMEOUT_MS, stalls: responsiveLoop });
    const lookup = new KmsEventLookup(options(), [{ account: A, regions: ['us-east-1', HUNG], credentials }], limiter);
    const period = { startUtc: '2026-10-01T00:00:00Z', endUtc: '2026-11-01T00:00:00Z' };
    try {
      const first = await lookup.lookup(period, new Date('2026-11-02T00:00:00Z'));
      const hung = first.find((r) => r.region === HUNG)!;
      expect(hung.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/^LookupEvents page 1 failed: TimeoutError/),
      ]);
      expect(first.find((r) => r.region === 'us-east-1')!.problems).toEqual([]);
      expect(callsTo(HUNG, 'cloudtrail')).toBe(ATTEMPTS);

      const again = await lookup.lookup(period, new Date('2026-11-02T00:00:00Z'));
      expect(again.find((r) => r.region === HUNG)!.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^LookupEvents page 1 failed: NotAttempted: not attempted: cloudtrail in eu-west-1 did not answer \(TimeoutError/,
        ),
      ]);
      expect(callsTo(HUNG, 'cloudtrail')).toBe(ATTEMPTS);
    } finally {
      lookup.destroy();
    }
  });
});
