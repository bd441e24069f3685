import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeAwsError } from '../../collect/live/aws-call.js';
import { stableJson, writeFileAtomic } from '../../util/atomic-write.js';
import { listFilesRecursive, sha256 } from '../../util/hash.js';
import { MANIFEST_FILE } from '../../workspace/manifest.js';
import { PUBLIC_KEY_FILE, SIGNATURE_FILE } from '../sign/signature-file.js';
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
 * Uploads one packet folder: SSE-KMS with the configured key, a SHA-256 checksum S3 verifies,
 * `If-None-Match: *` so nothing already there is overwritten, optional Object Lock retention.
 * Stops at the first refusal; writes publish-receipt.json beside the manifest either way.
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
    const body = await readFile(path.join(args.packetDir, ...rel.split('/')));
    const checksum = createHash('sha256').update(body).digest('base64');
    const key = `${keyPrefix}${rel}`;
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
