/**
 * oneSignerPerClient: the SDK's signer function runs once per client, and every request is signed
 * exactly as the SDK's own per-call signer signs it (same Authorization header at the same clock),
 * including a call S3 redirects to another region and a JSON service (KMS). Wire-level: the fake
 * endpoint answers by the region of each request's credential scope.
 */
import { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import type { AuthScheme, FinalizeRequestMiddleware, MiddlewareStack, RequestSigner } from '@aws-sdk/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { oneSignerPerClient } from '../../../src/collect/live/clients.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
let fake: FakeAws;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    accounts: [
      {
        id: A,
        buckets: [
          { name: 'east', region: 'us-east-1', encryption: { algorithm: 'AES256' } },
          { name: 'west', region: 'eu-west-1', encryption: { algorithm: 'AES256' } },
        ],
        keys: [{ id: '1234abcd-12ab-34cd-56ef-1234567890ab', region: 'us-east-1', aliases: ['alias/app'] }],
      },
    ],
  });
});
afterAll(async () => fake?.close());
afterEach(() => vi.useRealTimers());

type Client = S3Client | KMSClient;

/** A client's middleware stack, taken as one whatever the service's input and output types. */
const stackOf = (client: Client) => client.middlewareStack as unknown as MiddlewareStack<object, object>;

/**
 * Every Authorization header the client sends, as signed (read right after the signing step). The
 * request's invocation id (a random UUID the SDK signs) is made the same fixed one for every request,
 * so that two clients making the same calls at the same clock sign the same bytes.
 */
function authorizations(client: Client): string[] {
  const seen: string[] = [];
  const fixId: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    (args.request as { headers: Record<string, string> }).headers['amz-sdk-invocation-id'] = 'fixed-for-the-test';
    return next(args);
  };
  const see: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    seen.push((args.request as { headers: Record<string, string> }).headers.authorization ?? '');
    return next(args);
  };
  stackOf(client).addRelativeTo(fixId, {
    relation: 'before',
    toMiddleware: 'httpSigningMiddleware',
    name: 'fixInvocationId',
  });
  stackOf(client).addRelativeTo(see, {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'seeAuthorization',
  });
  return seen;
}

/** Counts the SDK's own signer function's runs. */
function countSignerRuns(client: Client): { runs: number } {
  const count = { runs: 0 };
  const sdk = client.config.signer;
  client.config.signer = (authScheme) => {
    count.runs++;
    return sdk(authScheme);
  };
  return count;
}

const common = () => ({
  endpoint: fake.endpoint,
  credentials: () => Promise.resolve(fake.callerCredentials),
  maxAttempts: 1,
});
const s3 = () =>
  new S3Client({
    ...common(),
    region: 'us-east-1',
    forcePathStyle: true,
    followRegionRedirects: true,
    cacheMiddleware: false,
  });
const kms = () => new KMSClient({ ...common(), region: 'us-east-1', cacheMiddleware: true });

/** The same calls through a client: an S3 read, one S3 redirects to eu-west-1, the first again; a KMS list. */
async function calls(s3Client: S3Client, kmsClient: KMSClient): Promise<void> {
  await s3Client.send(new GetBucketEncryptionCommand({ Bucket: 'east' }));
  await s3Client.send(new GetBucketEncryptionCommand({ Bucket: 'west' }));
  await s3Client.send(new GetBucketEncryptionCommand({ Bucket: 'east' }));
  await kmsClient.send(new ListAliasesCommand({}));
  await kmsClient.send(new ListAliasesCommand({}));
}

describe('oneSignerPerClient', () => {
  it("runs the SDK's signer function once per client, and signs each request as the SDK's per-call signer does", async () => {
    // One clock for both clients' requests (signatures name the second), near the endpoint's own so
    // that the SDK corrects no clock skew from its answers.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date());
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const sdkS3 = s3();
    const sdkKms = kms();
    const oneS3 = s3();
    const oneKms = kms();
    const asSdk = [authorizations(sdkS3), authorizations(sdkKms)];
    const asOne = [authorizations(oneS3), authorizations(oneKms)];
    const sdkRuns = [countSignerRuns(sdkS3), countSignerRuns(sdkKms)];
    const oneRuns = [countSignerRuns(oneS3), countSignerRuns(oneKms)];
    oneSignerPerClient(oneS3);
    oneSignerPerClient(oneKms);
    try {
      await calls(sdkS3, sdkKms);
      fake.recorder.reset();
      await calls(oneS3, oneKms);
    } finally {
      for (const c of [sdkS3, sdkKms, oneS3, oneKms]) c.destroy();
    }
    // S3: the redirected call was sent twice (us-east-1, then eu-west-1), so 4 requests; KMS 2.
    expect(asSdk.map((a) => a.length)).toEqual([4, 2]);
    expect(asOne).toEqual(asSdk);
    expect(asOne[0]!.map((a) => new RegExp(`Credential=AKIDCALLER/${day}/([\\w-]+)/s3/`).exec(a)?.[1])).toEqual([
      'us-east-1',
      'us-east-1',
      'eu-west-1',
      'us-east-1',
    ]);
    expect(fake.recorder.calls.map((c) => `${c.service} ${c.region} ${c.status}`)).toEqual([
      's3 us-east-1 200',
      's3 us-east-1 301',
      's3 eu-west-1 200',
      's3 us-east-1 200',
      'kms us-east-1 200',
      'kms us-east-1 200',
    ]);
    // The SDK's own function ran for every request (each attempt) before; once per client now.
    expect(sdkRuns.map((r) => r.runs)).toEqual([4, 2]);
    expect(oneRuns.map((r) => r.runs)).toEqual([1, 1]);
  });

  it('asks again after a first signer that failed, then keeps the one made', async () => {
    const signer = { sign: (r: unknown) => Promise.resolve(r) } as RequestSigner;
    const make = vi
      .fn<(a?: AuthScheme) => Promise<RequestSigner>>()
      .mockRejectedValueOnce(new Error('no region'))
      .mockResolvedValue(signer);
    const client = oneSignerPerClient({ config: { signer: make } });
    await expect(client.config.signer()).rejects.toThrow('no region');
    expect(await client.config.signer()).toBe(signer);
    expect(await client.config.signer()).toBe(signer);
    expect(make).toHaveBeenCalledTimes(2);
  });
});
