import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * Files up to this size go up in one PutObject, read whole (a buffer the SDK can send again on a
 * retry); a larger one (an unencrypted-object list of millions of objects) goes up in parts, so a
 * publish holds one part in memory whatever the file's size, and a file past Node's 2 GiB read
 * limit or S3's 5 GB PutObject limit is published too.
 */
export const WHOLE_UPLOAD_BYTES = 16 * 1024 * 1024;
/** S3's bounds: parts of at least 5 MiB (all but the last), at most 10,000 of them. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** Part size for a file of `size` bytes: `preferred`, or larger when the file would need more than 10,000 parts. */
export function partBytesFor(size: number, preferred = WHOLE_UPLOAD_BYTES): number {
  const least = Math.ceil(size / MAX_PARTS);
  const mib = 1024 * 1024;
  return Math.max(preferred, MIN_PART_BYTES, Math.ceil(least / mib) * mib);
}

/**
 * The SHA-256 S3 gives an object uploaded in parts with SHA-256 checksums: the digest of the parts'
 * digests, base64, then `-` and the number of parts (a composite checksum, S3 User Guide,
 * "Checking object integrity"). It depends on where the parts were cut, so the part size is part
 * of what is compared when an object is already there.
 */
export async function partsChecksum(file: string, partBytes: number): Promise<string> {
  const composite = createHash('sha256');
  let parts = 0;
  for await (const part of readParts(file, partBytes)) {
    composite.update(createHash('sha256').update(part.bytes).digest());
    parts++;
  }
  return `${composite.digest('base64')}-${parts}`;
}

/** The base64 SHA-256 of the whole file, read a part at a time. */
export async function fileChecksum(file: string): Promise<string> {
  const whole = createHash('sha256');
  for await (const part of readParts(file, WHOLE_UPLOAD_BYTES)) whole.update(part.bytes);
  return whole.digest('base64');
}

/** S3 answered a checksum other than the one the bytes sent give. */
export class ChecksumMismatch extends Error {}

/** A packet file could not be read to upload (`cause` is the file system's error), as against S3 failing. */
export class FileReadError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
  }
}

/** `read`'s result, its failure a FileReadError. */
export async function readingFile<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    throw new FileReadError(err as NodeJS.ErrnoException);
  }
}

/** The file in parts of `partBytes`, one buffer reused: each part is done with before the next is read. */
async function* readParts(file: string, partBytes: number): AsyncGenerator<{ number: number; bytes: Buffer }> {
  const handle = await readingFile(open(file, 'r'));
  try {
    const buffer = Buffer.allocUnsafe(partBytes);
    for (let number = 1; ; number++) {
      let filled = 0;
      while (filled < partBytes) {
        const { bytesRead } = await readingFile(handle.read(buffer, filled, partBytes - filled, null));
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0 && number > 1) return;
      yield { number, bytes: buffer.subarray(0, filled) };
      if (filled < partBytes) return;
    }
  } finally {
    await handle.close();
  }
}

export interface PartsUploaded {
  checksumSha256: string;
  size: number;
  etag?: string;
  versionId?: string;
  requestId?: string;
}

/**
 * Uploads `file` to `key` in parts: CreateMultipartUpload with the object's SSE-KMS, Object Lock and
 * content type; each part with its SHA-256, which S3 checks; CompleteMultipartUpload with
 * `If-None-Match: *`, so an object already there is not overwritten (412, as PutObject). Any error
 * aborts the upload (so no parts are left stored and billed) and is thrown as the SDK threw it.
 * S3's answered checksum must be the composite of the parts sent.
 */
export async function uploadInParts(args: {
  s3: S3Client;
  bucket: string;
  key: string;
  file: string;
  partBytes: number;
  create: Omit<ConstructorParameters<typeof CreateMultipartUploadCommand>[0], 'Bucket' | 'Key' | 'ChecksumAlgorithm'>;
}): Promise<PartsUploaded> {
  const { s3, bucket, key } = args;
  const created = await s3.send(
    new CreateMultipartUploadCommand({ ...args.create, Bucket: bucket, Key: key, ChecksumAlgorithm: 'SHA256' }),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`CreateMultipartUpload for s3://${bucket}/${key} answered without an UploadId`);
  try {
    const parts: CompletedPart[] = [];
    const composite = createHash('sha256');
    let size = 0;
    for await (const part of readParts(args.file, args.partBytes)) {
      const digest = createHash('sha256').update(part.bytes).digest();
      composite.update(digest);
      size += part.bytes.length;
      const sent = digest.toString('base64');
      const out = await s3.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: part.number,
          Body: part.bytes,
          ContentLength: part.bytes.length,
          ChecksumSHA256: sent,
        }),
      );
      if (out.ChecksumSHA256 && out.ChecksumSHA256 !== sent)
        throw new ChecksumMismatch(`S3 answered part ${part.number}'s checksum ${out.ChecksumSHA256}, sent ${sent}`);
      parts.push({ PartNumber: part.number, ETag: out.ETag, ChecksumSHA256: sent });
    }
    const checksum = `${composite.digest('base64')}-${parts.length}`;
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch: '*',
      }),
    );
    if (done.ChecksumSHA256 && done.ChecksumSHA256 !== checksum)
      throw new ChecksumMismatch(`S3 answered checksum ${done.ChecksumSHA256}, the parts sent give ${checksum}`);
    return {
      checksumSha256: checksum,
      size,
      ...(done.ETag ? { etag: done.ETag } : {}),
      ...(done.VersionId ? { versionId: done.VersionId } : {}),
      ...(done.$metadata.requestId ? { requestId: done.$metadata.requestId } : {}),
    };
  } catch (err) {
    // Best effort: the error that stopped the upload is what the receipt names.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => {});
    throw err;
  }
}
