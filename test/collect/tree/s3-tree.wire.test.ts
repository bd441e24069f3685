/** s3Tree with the real S3 client against the fake endpoint: pagination, delimiters, streaming, errors, redirects. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { treeS3Client } from '../../../src/collect/live/index.js';
import { isTreeNotFound, s3Tree, type TreeEntry } from '../../../src/collect/tree/index.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/index.js';

const A = '111111111111';
const big = Buffer.alloc(3 * 1024 * 1024, 7);
let fake: FakeAws;
let client: S3Client;

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDCALLER', account: A, arn: `arn:aws:iam::${A}:user/auditor` },
    maxKeysCap: 2, // every listing below spans several pages
    accounts: [
      {
        id: A,
        buckets: [
          {
            name: 'dest',
            region: 'us-east-1',
            objects: {
              'root/a/1.txt': 'one',
              'root/a/2.txt': 'two!',
              'root/a/sub/3.txt': 'three',
              'root/b/': '',
              'root/b/x y+z%.txt': 'special',
              'root/c/é.txt': 'accent',
              'root/d/big.bin': big,
              'root/top.txt': 'top',
              'other/zz.txt': 'not in the tree',
            },
          },
          { name: 'far', region: 'ap-northeast-1', objects: { 'p/q.txt': 'far away' } },
        ],
      },
    ],
    // Armed by the AccessDenied test (times: 0 means "not yet").
    faults: [
      {
        service: 's3',
        operation: 'ListObjectsV2',
        bucket: 'dest',
        action: { kind: 'error', code: 'AccessDenied', status: 403 },
        times: 0,
      },
    ],
  });
  client = treeS3Client({
    endpoint: fake.endpoint,
    credentials: fake.callerCredentials,
    maxAttempts: 2,
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  client?.destroy();
  await fake?.close();
});

async function collect(it: AsyncIterable<TreeEntry>): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function text(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('s3Tree over the wire', () => {
  const tree = () => s3Tree(client, 's3://dest/root/');

  it('lists immediate children through every page of delimited listings', async () => {
    fake.recorder.reset();
    expect(await tree().listChildren('')).toEqual(['a', 'b', 'c', 'd']);
    const pages = fake.recorder.find((c) => c.operation === 'ListObjectsV2');
    expect(pages.length).toBe(3); // 4 prefixes + top.txt = 5 entries, 2 per page
    expect(await tree().listChildren('a/')).toEqual(['sub']);
  });

  it('lists every object recursively, in byte order, without folder markers, with sizes', async () => {
    expect(await collect(tree().list(''))).toEqual([
      { path: 'a/1.txt', size: 3 },
      { path: 'a/2.txt', size: 4 },
      { path: 'a/sub/3.txt', size: 5 },
      { path: 'b/x y+z%.txt', size: 7 },
      { path: 'c/é.txt', size: 6 },
      { path: 'd/big.bin', size: big.length },
      { path: 'top.txt', size: 3 },
    ]);
    expect(await collect(tree().list('a/'))).toEqual([
      { path: 'a/1.txt', size: 3 },
      { path: 'a/2.txt', size: 4 },
      { path: 'a/sub/3.txt', size: 5 },
    ]);
  });

  it('streams objects, including keys that need URL encoding and a 3 MiB one', async () => {
    expect((await text(await tree().open('b/x y+z%.txt'))).toString()).toBe('special');
    expect((await text(await tree().open('c/é.txt'))).toString()).toBe('accent');
    const got = await text(await tree().open('d/big.bin'));
    expect(got.length).toBe(big.length);
    expect(got.equals(big)).toBe(true);
    expect(fake.recorder.find((c) => c.operation === 'GetObject').map((c) => c.key)).toContain('root/b/x y+z%.txt');
  });

  it('a missing object rejects with TreeNotFoundError (NoSuchKey) naming its s3:// location', async () => {
    const err = await tree()
      .open('nope.txt')
      .catch((e: unknown) => e);
    expect(isTreeNotFound(err)).toBe(true);
    expect(err).toMatchObject({ code: 'NoSuchKey', location: 's3://dest/root/nope.txt' });
  });

  it('AccessDenied on listing is thrown, not taken for an empty tree', async () => {
    fake.scenario.faults![0]!.times = 1;
    const err = await tree()
      .listChildren('')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });

  it('reads a bucket in another region through the redirect-following client', async () => {
    fake.recorder.reset();
    const far = s3Tree(client, 's3://far/p/');
    expect(await collect(far.list(''))).toEqual([{ path: 'q.txt', size: 8 }]);
    expect((await text(await far.open('q.txt'))).toString()).toBe('far away');
    // The SDK's redirect handling does not remember the region: each command is redirected once.
    expect(fake.recorder.calls.map((c) => `${c.operation} ${c.region} ${c.status}`)).toEqual([
      'ListObjectsV2 us-east-1 301',
      'ListObjectsV2 ap-northeast-1 200',
      'GetObject us-east-1 301',
      'GetObject ap-northeast-1 200',
    ]);
  });
});
