import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { TreeNotFoundError, localTree, parseS3Url, s3Tree, treeFor } from '../../../src/collect/tree/index.js';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1' });

beforeEach(() => {
  s3.reset();
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('parseS3Url', () => {
  it.each([
    ['s3://dest', { bucket: 'dest', prefix: '' }],
    ['s3://dest/', { bucket: 'dest', prefix: '' }],
    ['s3://dest/inventory', { bucket: 'dest', prefix: 'inventory/' }],
    ['s3://dest/a/b/', { bucket: 'dest', prefix: 'a/b/' }],
  ])('%s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it('rejects anything else', () => {
    expect(() => parseS3Url('https://dest/x')).toThrow('is not an s3://bucket/prefix/ URL');
  });
});

describe('s3Tree', () => {
  it('describes and locates under its prefix', () => {
    const tree = s3Tree(client, 's3://dest/inventory');
    expect(tree.description).toBe('s3://dest/inventory/');
    expect(tree.locate('b/c/data/x.csv.gz')).toBe('s3://dest/inventory/b/c/data/x.csv.gz');
  });

  it('lists every page, paths relative to the root, folder markers skipped', async () => {
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; ContinuationToken?: string; Bucket?: string }) => {
      expect(input.Bucket).toBe('dest');
      expect(input.Prefix).toBe('inventory/b/c/');
      if (!input.ContinuationToken) {
        return {
          IsTruncated: true,
          NextContinuationToken: 'page-2',
          Contents: [
            { Key: 'inventory/b/c/', Size: 0 },
            { Key: 'inventory/b/c/2026-10-31T00-00Z/manifest.json', Size: 900 },
          ],
        };
      }
      expect(input.ContinuationToken).toBe('page-2');
      return { IsTruncated: false, Contents: [{ Key: 'inventory/b/c/data/x.csv.gz', Size: 12 }] };
    });
    const entries = await collect(s3Tree(client, 's3://dest/inventory/').list('b/c/'));
    expect(entries).toEqual([
      { path: 'b/c/2026-10-31T00-00Z/manifest.json', size: 900 },
      { path: 'b/c/data/x.csv.gz', size: 12 },
    ]);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2);
  });

  it('lists folder names from CommonPrefixes across pages', async () => {
    s3.on(ListObjectsV2Command).callsFake(
      (input: { Prefix?: string; Delimiter?: string; ContinuationToken?: string }) => {
        expect(input.Prefix).toBe('inventory/b/');
        expect(input.Delimiter).toBe('/');
        return input.ContinuationToken
          ? { IsTruncated: false, CommonPrefixes: [{ Prefix: 'inventory/b/weekly/' }] }
          : { IsTruncated: true, NextContinuationToken: 't', CommonPrefixes: [{ Prefix: 'inventory/b/daily/' }] };
      },
    );
    expect(await s3Tree(client, 's3://dest/inventory/').listChildren('b')).toEqual(['daily', 'weekly']);
  });

  it('opens an object as a stream', async () => {
    s3.on(GetObjectCommand, { Bucket: 'dest', Key: 'inventory/b/c/m.json' }).resolves({
      // In Node the SDK hands back the HTTP response stream; the tree only needs it to be readable.
      Body: Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]) as unknown as GetObjectCommandOutput['Body'],
    });
    const stream = await s3Tree(client, 's3://dest/inventory/').open('b/c/m.json');
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    expect(text).toBe('{"a":1}');
  });

  it('NoSuchKey becomes a TreeNotFoundError naming the s3:// location', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    const err = await s3Tree(client, 's3://dest/inventory/')
      .open('b/gone.csv.gz')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TreeNotFoundError);
    expect((err as TreeNotFoundError).code).toBe('NoSuchKey');
    expect((err as Error).message).toBe('NoSuchKey: s3://dest/inventory/b/gone.csv.gz does not exist');
  });

  it('other errors pass through', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    s3.on(GetObjectCommand).rejects(denied);
    await expect(s3Tree(client, 's3://dest/').open('x')).rejects.toThrow('Access Denied');
  });
});

describe('treeFor', () => {
  it('picks S3 for s3:// and a local folder otherwise', () => {
    expect(treeFor('s3://dest/inv/', client).description).toBe('s3://dest/inv/');
    expect(treeFor('/tmp/some-folder').description).toBe(localTree('/tmp/some-folder').description);
  });

  it('an s3:// location without a client is an error', () => {
    expect(() => treeFor('s3://dest/inv/')).toThrow('needs an S3 client');
  });
});
