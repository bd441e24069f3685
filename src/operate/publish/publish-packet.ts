import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeAwsError } from '../../collect/live/aws-call.js';
import { stableJson, writeFileAtomic } from '../../util/atomic-write.js';
import { listFilesRecursive, sha256 } from '../../util/hash.js';
import { MANIFEST_FILE } from '../../workspace/manifest.js';
import { PUBLIC_KEY_FILE, SIGNATURE_FILE } from '../../workspace/signature-file.js';
import { RECEIPT_FILE, type PublishedObject, type PublishReceipt } from './receipt.js';
import { packetKeyPrefix, type PublishTarget } from './target.js';

export interface PublishSettings {
  kmsKeyId: string;
  objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.der': 'application/pkix-spki',
};

/** Packet files first, then manifest.json, then its signature: whoever sees the manifest finds every file it lists. */
export function uploadOrder(files: string[]): string[] {
  const last = [MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE];
  const rest = files.filter((f) => !last.includes(f) && f !== RECEIPT_FILE);
  return [...rest, ...last.filter((f) => files.includes(f))];
}

/**
 * S3 refused to overwrite `key`: is what is there the same bytes? HeadObject with checksum mode
 * returns the SHA-256 S3 verified when the object was written (needs s3:GetObject, no download and
 * no kms:Decrypt). An object without that checksum cannot be shown equal, so it counts as different.
 */
async function existingObjectDiffers(
  s3: S3Client,
  bucket: string,
  key: string,
  checksum: string,
): Promise<string | undefined> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  if (!head.ChecksumSHA256)
    return `s3://${bucket}/${key} already exists without a SHA-256 checksum, so it cannot be shown to hold the same bytes`;
  if (head.ChecksumSHA256 !== checksum)
    return `s3://${bucket}/${key} already exists with different bytes (sha256 ${head.ChecksumSHA256}, this packet's ${checksum})`;
  return undefined;
}

/**
 * Uploads one packet folder: SSE-KMS with the configured key, a SHA-256 checksum S3 verifies,
 * `If-None-Match: *` so nothing already there is overwritten, optional Object Lock retention.
 * Idempotent: an object S3 refuses to overwrite that holds the same bytes (same SHA-256) counts as
 * published (`alreadyThere`), so publishing a packet again, or after a failed upload, completes it;
 * one with different bytes stops the upload, named. Writes publish-receipt.json either way.
 */
export async function publishPacket(args: {
  s3: S3Client;
  packetDir: string;
  target: PublishTarget;
  period: string;
  tenant: string;
  settings: PublishSettings;
  now?: () => Date;
}): Promise<PublishReceipt> {
  const now = args.now ?? (() => new Date());
  const startedAt = now();
  const keyPrefix = packetKeyPrefix(args.target, args.period, args.tenant);
  const lock = args.settings.objectLock;
  const retainUntil = lock ? new Date(startedAt.getTime() + lock.days * 86_400_000) : undefined;
  const manifestText = await readFile(path.join(args.packetDir, MANIFEST_FILE));
  const uploaded: PublishedObject[] = [];
  let failure: PublishReceipt['failure'];

  for (const rel of uploadOrder(await listFilesRecursive(args.packetDir))) {
    const key = `${keyPrefix}${rel}`;
    let body: Buffer;
    try {
      body = await readFile(path.join(args.packetDir, ...rel.split('/')));
    } catch (err) {
      // Read whole for its checksum and a body the SDK can send again on a retry: a file past Node's
      // 2 GiB read limit (an unencrypted-object list of some 15 million objects) is named here, in the receipt.
      const e = err as NodeJS.ErrnoException;
      failure = {
        path: rel,
        key,
        code: e.code ?? 'ReadFailed',
        message: `${rel} could not be read to upload: ${e.message}`,
      };
      break;
    }
    const checksum = createHash('sha256').update(body).digest('base64');
    try {
      const out = await args.s3.send(
        new PutObjectCommand({
          Bucket: args.target.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: CONTENT_TYPES[path.extname(rel)] ?? 'application/octet-stream',
          ChecksumSHA256: checksum,
          IfNoneMatch: '*',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: args.settings.kmsKeyId,
          BucketKeyEnabled: true,
          ...(lock && retainUntil ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: retainUntil } : {}),
        }),
      );
      if (out.ChecksumSHA256 && out.ChecksumSHA256 !== checksum) {
        failure = {
          path: rel,
          key,
          code: 'ChecksumMismatch',
          message: `S3 answered checksum ${out.ChecksumSHA256}, sent ${checksum}`,
        };
        break;
      }
      uploaded.push({
        path: rel,
        key,
        size: body.length,
        checksumSha256: checksum,
        ...(out.ETag ? { etag: out.ETag } : {}),
        ...(out.VersionId ? { versionId: out.VersionId } : {}),
        ...(out.$metadata.requestId ? { requestId: out.$metadata.requestId } : {}),
      });
    } catch (err) {
      const { error, requestId } = describeAwsError(err);
      if (error.code === 'PreconditionFailed' || error.httpStatus === 412) {
        let differs: string | undefined;
        try {
          differs = await existingObjectDiffers(args.s3, args.target.bucket, key, checksum);
        } catch (headErr) {
          const head = describeAwsError(headErr);
          differs = `s3://${args.target.bucket}/${key} already exists and could not be compared (HeadObject ${head.error.code}: ${head.error.message})`;
        }
        if (!differs) {
          uploaded.push({ path: rel, key, size: body.length, checksumSha256: checksum, alreadyThere: true });
          continue;
        }
        failure = { path: rel, key, code: 'PreconditionFailed', message: differs, httpStatus: 412 };
        break;
      }
      failure = {
        path: rel,
        key,
        code: error.code,
        message: error.message,
        ...(error.httpStatus ? { httpStatus: error.httpStatus } : {}),
        ...(requestId ? { requestId } : {}),
      };
      break;
    }
  }
  const refused = failure && (failure.code === 'PreconditionFailed' || failure.httpStatus === 412);
  const receipt: PublishReceipt = {
    receiptVersion: 1,
    state: failure ? (refused ? 'refused_existing' : 'failed') : 'published',
    bucket: args.target.bucket,
    keyPrefix,
    manifestSha256: sha256(manifestText),
    sse: { algorithm: 'aws:kms', kmsKeyId: args.settings.kmsKeyId },
    ...(lock && retainUntil ? { objectLock: { mode: lock.mode, retainUntil: retainUntil.toISOString() } } : {}),
    ifNoneMatch: '*',
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    uploaded,
    ...(failure ? { failure } : {}),
  };
  await writeFileAtomic(path.join(args.packetDir, RECEIPT_FILE), stableJson(receipt));
  return receipt;
}
