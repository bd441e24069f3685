import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { TreeNotFoundError, asFolderPrefix, type TreeEntry, type TreeReader } from './tree.js';

/**
 * The SDK's command classes, loaded at the first call: the client itself comes from live collection,
 * so a run that reads local trees only never loads the S3 SDK (a fifth of a second and ~10 MB).
 */
const s3Commands = () => import('@aws-sdk/client-s3');

export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || !m[1]) throw new Error(`"${url}" is not an s3://bucket/prefix/ URL`);
  return { bucket: m[1], prefix: asFolderPrefix(m[2] ?? '') };
}

/** The tree under an S3 prefix: ListObjectsV2 (paginated) to list, GetObject (streamed) to read. */
export function s3Tree(client: S3Client, url: string): TreeReader {
  const { bucket, prefix: root } = parseS3Url(url);
  const locate = (treePath: string): string => `s3://${bucket}/${root}${treePath}`;

  return {
    description: `s3://${bucket}/${root}`,

    async listChildren(prefix: string): Promise<string[]> {
      const { ListObjectsV2Command } = await s3Commands();
      const full = root + asFolderPrefix(prefix);
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: full, Delimiter: '/', ContinuationToken: token }),
        );
        for (const cp of page.CommonPrefixes ?? []) {
          if (cp.Prefix?.startsWith(full)) names.push(cp.Prefix.slice(full.length).replace(/\/$/, ''));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names;
    },

    async *list(prefix: string): AsyncGenerator<TreeEntry> {
      const { ListObjectsV2Command } = await s3Commands();
      const full = root + prefix;
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: full, ContinuationToken: token }),
        );
        for (const obj of page.Contents ?? []) {
          // Keys ending in '/' are console "folder" markers, not delivered files.
          if (!obj.Key || obj.Key.endsWith('/') || !obj.Key.startsWith(root)) continue;
          yield { path: obj.Key.slice(root.length), size: obj.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },

    async open(treePath: string): Promise<NodeJS.ReadableStream> {
      const { GetObjectCommand } = await s3Commands();
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: root + treePath }));
        if (!out.Body) throw new Error(`GetObject ${locate(treePath)} returned no body`);
        return out.Body as Readable;
      } catch (err) {
        if (isNoSuchKey(err)) throw new TreeNotFoundError('NoSuchKey', locate(treePath));
        throw err;
      }
    },

    locate,
  };
}

function isNoSuchKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; Code?: unknown };
  return e.name === 'NoSuchKey' || e.Code === 'NoSuchKey';
}
