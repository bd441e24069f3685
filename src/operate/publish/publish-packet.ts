import { HeadObjectCommand, PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeAwsError } from '../../collect/live/aws-call.js';
import { stableJson, writeFileAtomic } from '../../util/atomic-write.js';
import { listFilesRecursive, sha256 } from '../../util/hash.js';
import { MANIFEST_FILE } from '../../workspace/manifest.js';
import { PUBLIC_KEY_FILE, SIGNATURE_FILE } from '../../workspace/signature-file.js';
import { RECEIPT_FILE, type PublishedObject, type PublishReceipt } from './receipt.js';
import { packetKeyPrefix, type PublishTarget } from './target.js';
import {
  ChecksumMismatch,
  FileReadError,
  fileChecksum,
  partBytesFor,
  partsChecksum,
  readingFile,
  uploadInParts,
  WHOLE_UPLOAD_BYTES,
} from './upload-parts.js';

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

/** A packet file that could not be read to upload, named in the receipt. */
function unreadable(rel: string, key: string, e: NodeJS.ErrnoException): NonNullable<PublishReceipt['failure']> {
  return { path: rel, key, code: e.code ?? 'ReadFailed', message: `${rel} could not be read to upload: ${e.message}` };
}

/**
 * S3 refused to overwrite `key`: is what is there the same bytes? HeadObject with checksum mode
 * returns the SHA-256 S3 verified when the object was written (needs s3:GetObject, no download and
 * no kms:Decrypt). An object without that checksum cannot be shown equal, so it counts as different.
 * `ours` gives this file's checksum in the form of the one there: of the whole object, or of its
 * parts (`-N`), as an earlier publish may have uploaded it either way.
 */
async function existingObject(
  s3: S3Client,
  bucket: string,
  key: string,
  ours: (there: string) => Promise<string>,
): Promise<{ same: string } | { differs: string }> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  const there = head.ChecksumSHA256;
  if (!there)
    return {
      differs: `s3://${bucket}/${key} already exists without a SHA-256 checksum, so it cannot be shown to hold the same bytes`,
    };
  const checksum = await ours(there);
  if (there !== checksum)
    return {
      differs: `s3://${bucket}/${key} already exists with different bytes (sha256 ${there}, this packet's ${checksum})`,
    };
  return { same: checksum };
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
  /** Files larger than this go up in parts of this size (default WHOLE_UPLOAD_BYTES; at least S3's 5 MiB). */
  partBytes?: number;
}): Promise<PublishReceipt> {
  const now = args.now ?? (() => new Date());
  const startedAt = now();
  const keyPrefix = packetKeyPrefix(args.target, args.period, args.tenant);
  const lock = args.settings.objectLock;
  const retainUntil = lock ? new Date(startedAt.getTime() + lock.days * 86_400_000) : undefined;
  const manifestText = await readFile(path.join(args.packetDir, MANIFEST_FILE));
  const uploaded: PublishedObject[] = [];
  let failure: PublishReceipt['failure'];

  const put = (rel: string): Omit<PutObjectCommandInput, 'Body' | 'Key' | 'Bucket'> => ({
    ContentType: CONTENT_TYPES[path.extname(rel)] ?? 'application/octet-stream',
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: args.settings.kmsKeyId,
    BucketKeyEnabled: true,
    ...(lock && retainUntil ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: retainUntil } : {}),
  });

  for (const rel of uploadOrder(await listFilesRecursive(args.packetDir))) {
    const key = `${keyPrefix}${rel}`;
    const file = path.join(args.packetDir, ...rel.split('/'));
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      failure = unreadable(rel, key, err as NodeJS.ErrnoException);
      break;
    }
    const partBytes = size > (args.partBytes ?? WHOLE_UPLOAD_BYTES) ? partBytesFor(size, args.partBytes) : undefined;
    let checksum: string | undefined;
    try {
      let sent: Omit<PublishedObject, 'path' | 'key'>;
      if (partBytes === undefined) {
        const body = await readingFile(readFile(file));
        checksum = createHash('sha256').update(body).digest('base64');
        const out = await args.s3.send(
          new PutObjectCommand({
            ...put(rel),
            Bucket: args.target.bucket,
            Key: key,
            Body: body,
            ContentLength: body.length,
            ChecksumSHA256: checksum,
            IfNoneMatch: '*',
          }),
        );
        if (out.ChecksumSHA256 && out.ChecksumSHA256 !== checksum)
          throw new ChecksumMismatch(`S3 answered checksum ${out.ChecksumSHA256}, sent ${checksum}`);
        sent = {
          size: body.length,
          checksumSha256: checksum,
          ...(out.ETag ? { etag: out.ETag } : {}),
          ...(out.VersionId ? { versionId: out.VersionId } : {}),
          ...(out.$metadata.requestId ? { requestId: out.$metadata.requestId } : {}),
        };
      } else {
        sent = await uploadInParts({ s3: args.s3, bucket: args.target.bucket, key, file, partBytes, create: put(rel) });
      }
      uploaded.push({ path: rel, key, ...sent });
    } catch (err) {
      if (err instanceof FileReadError) {
        failure = unreadable(rel, key, err.cause);
        break;
      }
      if (err instanceof ChecksumMismatch) {
        failure = { path: rel, key, code: 'ChecksumMismatch', message: err.message };
        break;
      }
      const { error, requestId } = describeAwsError(err);
      if (error.code === 'PreconditionFailed' || error.httpStatus === 412) {
        const sentChecksum = checksum;
        const ours = (there: string) =>
          sentChecksum !== undefined
            ? Promise.resolve(sentChecksum)
            : /-\d+$/.test(there)
              ? partsChecksum(file, partBytes!)
              : fileChecksum(file);
        let found: { same: string } | { differs: string };
        try {
          found = await existingObject(args.s3, args.target.bucket, key, ours);
        } catch (headErr) {
          const head = describeAwsError(headErr);
          found = {
            differs: `s3://${args.target.bucket}/${key} already exists and could not be compared (HeadObject ${head.error.code}: ${head.error.message})`,
          };
        }
        if ('same' in found) {
          uploaded.push({ path: rel, key, size, checksumSha256: found.same, alreadyThere: true });
          continue;
        }
        failure = { path: rel, key, code: 'PreconditionFailed', message: found.differs, httpStatus: 412 };
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
