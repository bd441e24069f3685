/**
 * Directory buckets (S3 Express One Zone) at the Regional s3express-control endpoint, REST-XML as the
 * Amazon S3 API reference documents it: ListDirectoryBuckets (GET /?x-id=ListDirectoryBuckets, paged by
 * continuation-token, answered as ListAllMyDirectoryBucketsResult), GetBucketEncryption (GET
 * /{bucket}?encryption) and GetBucketPolicy (GET /{bucket}?policy), path-style; errors as S3's <Error>
 * body. A Region without S3 Express One Zone has no s3express-control endpoint: the fake drops the
 * connection unanswered, as a name that does not resolve would leave the client.
 */
import type { FakeAccount, FakeDirectoryBucket, Scenario } from './scenario.js';
import { s3Error } from './s3.js';
import { el, S3_NS, XML_DECL, type Identified, type WireAnswer, type WireRequest } from './wire.js';

const SUBRESOURCE: Record<string, string> = { encryption: 'GetBucketEncryption', policy: 'GetBucketPolicy' };

/** The bucket from the path (the SDK may send `/bucket//`), and the operation from the query. */
export function identifyExpress(req: WireRequest): Identified {
  const bucket = req.path.split('/').filter((s) => s !== '')[0];
  if (req.method !== 'GET') return { operation: `${req.method} bucket`, ...(bucket ? { bucket } : {}) };
  if (!bucket) return { operation: 'ListDirectoryBuckets' };
  const sub = [...req.query.keys()].find((k) => k in SUBRESOURCE);
  return { operation: sub ? SUBRESOURCE[sub]! : 'Unknown', bucket: decodeURIComponent(bucket) };
}

export function expressThrottle(req: WireRequest): WireAnswer {
  return s3Error(req, 503, 'SlowDown', 'Please reduce your request rate.');
}

/** Regions where the account has no s3express-control endpoint: the caller gets no HTTP answer. */
export function expressUnreachable(req: WireRequest, world: Scenario): boolean {
  return world.directoryUnsupportedRegions?.includes(req.region) ?? false;
}

function xml(req: WireRequest, body: string): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': req.requestId },
    body: `${XML_DECL}${body}`,
  };
}

function listDirectoryBuckets(req: WireRequest, account: FakeAccount, world: Scenario): WireAnswer {
  const all = (account.directoryBuckets ?? [])
    .filter((b) => b.region === req.region)
    .sort((a, b) => a.name.localeCompare(b.name));
  const token = req.query.get('continuation-token');
  const from =
    token === null
      ? 0
      : Number(
          Buffer.from(token, 'base64url')
            .toString('utf8')
            .replace(/^after:/, ''),
        );
  if (!Number.isInteger(from) || from < 0 || from > all.length)
    return s3Error(req, 400, 'InvalidArgument', 'The continuation token provided is incorrect');
  const cap = Math.min(Number(req.query.get('max-directory-buckets') ?? 1000), world.directoryPageCap ?? 1000);
  const page = all.slice(from, from + cap);
  const next = from + cap < all.length ? Buffer.from(`after:${from + cap}`).toString('base64url') : undefined;
  // The list element is always sent, empty when the region has none.
  const buckets = `<Buckets>${page
    .map(
      (b) =>
        `<Bucket>${el('Name', b.name)}${el('CreationDate', b.createdAt ?? '2026-02-01T09:00:00.000Z')}${el('BucketRegion', b.region)}</Bucket>`,
    )
    .join('')}</Buckets>`;
  return xml(
    req,
    `<ListAllMyDirectoryBucketsResult xmlns="${S3_NS}">${buckets}${el('ContinuationToken', next)}</ListAllMyDirectoryBucketsResult>`,
  );
}

function findBucket(world: Scenario, name: string): { owner: FakeAccount; bucket: FakeDirectoryBucket } | undefined {
  for (const owner of world.accounts) {
    const bucket = owner.directoryBuckets?.find((b) => b.name === name);
    if (bucket) return { owner, bucket };
  }
  return undefined;
}

export function answerExpress(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const caller = req.identity!;
  const account = world.accounts.find((a) => a.id === caller.account);
  if (!account) return s3Error(req, 403, 'AccessDenied', 'Access Denied');
  if (id.operation === 'ListDirectoryBuckets') return listDirectoryBuckets(req, account, world);
  if (id.operation !== 'GetBucketEncryption' && id.operation !== 'GetBucketPolicy')
    return s3Error(req, 400, 'InvalidRequest', `this fake does not serve ${req.method} ${req.path}`);
  const found = findBucket(world, id.bucket ?? '');
  if (!found || found.bucket.region !== req.region)
    return s3Error(req, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: id.bucket ?? '' });
  if (found.owner.id !== caller.account) return s3Error(req, 403, 'AccessDenied', 'Access Denied');
  const b = found.bucket;
  if (id.operation === 'GetBucketPolicy') {
    if (!b.policy)
      return s3Error(req, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: b.name });
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amz-request-id': req.requestId },
      body: b.policy,
    };
  }
  // Directory buckets always have default encryption: SSE-S3 unless set to SSE-KMS.
  const enc = b.encryption ?? { algorithm: 'AES256' as const };
  const rule = `<Rule><ApplyServerSideEncryptionByDefault>${el('SSEAlgorithm', enc.algorithm)}${el('KMSMasterKeyID', enc.kmsKeyArn)}</ApplyServerSideEncryptionByDefault>${el('BucketKeyEnabled', enc.algorithm === 'aws:kms' ? true : undefined)}</Rule>`;
  return xml(req, `<ServerSideEncryptionConfiguration xmlns="${S3_NS}">${rule}</ServerSideEncryptionConfiguration>`);
}
