/**
 * S3 REST-XML, path-style addressing (http://host/bucket/key?subresource), as documented in the
 * Amazon S3 API reference: response bodies, error bodies and status codes.
 */
import { createHash } from 'node:crypto';
import type { FakeAccount, FakeBucket, Scenario } from './scenario.js';
import { el, S3_NS, XML_DECL, type Identified, type WireAnswer, type WireRequest } from './wire.js';

const BUCKET_SUBRESOURCES: Record<string, string> = {
  location: 'GetBucketLocation',
  encryption: 'GetBucketEncryption',
  policy: 'GetBucketPolicy',
  policyStatus: 'GetBucketPolicyStatus',
  publicAccessBlock: 'GetPublicAccessBlock',
  logging: 'GetBucketLogging',
  inventory: 'ListBucketInventoryConfigurations',
  versioning: 'GetBucketVersioning',
  'object-lock': 'GetObjectLockConfiguration',
  tagging: 'GetBucketTagging',
};

function splitPath(path: string): { bucket?: string; key?: string } {
  const rest = path.replace(/^\//, '');
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decodeURIComponent(rest) };
  const key = rest.slice(slash + 1);
  return { bucket: decodeURIComponent(rest.slice(0, slash)), ...(key ? { key: decodeURIComponent(key) } : {}) };
}

export function identifyS3(req: WireRequest): Identified {
  const { bucket, key } = splitPath(req.path);
  const sub = [...req.query.keys()].find((k) => k in BUCKET_SUBRESOURCES);
  const where = { ...(bucket ? { bucket } : {}), ...(key ? { key } : {}) };
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (!bucket) return { operation: 'ListBuckets' };
    if (key) return { operation: req.method === 'GET' ? 'GetObject' : 'HeadObject', ...where };
    if (sub === 'inventory' && req.query.has('id')) return { operation: 'GetBucketInventoryConfiguration', ...where };
    if (sub) return { operation: BUCKET_SUBRESOURCES[sub]!, ...where };
    if (req.method === 'HEAD') return { operation: 'HeadBucket', ...where };
    return { operation: req.query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects', ...where };
  }
  // The SDK adds ?x-id=PutObject; any other query parameter names a subresource this fake does not serve.
  if (req.method === 'PUT' && key && [...req.query.keys()].every((k) => k === 'x-id'))
    return { operation: 'PutObject', ...where };
  if (key) {
    const multipart = multipartOperation(req);
    if (multipart) return { operation: multipart, ...where };
  }
  // Anything else would change state; named so a test can see it and fail.
  return { operation: `${req.method} ${sub ?? (key ? 'object' : 'bucket')}`, ...where };
}

/** The multipart-upload operations, by method and query (S3 API reference). */
function multipartOperation(req: WireRequest): string | undefined {
  const has = (k: string) => req.query.has(k);
  if (req.method === 'POST' && has('uploads')) return 'CreateMultipartUpload';
  if (req.method === 'PUT' && has('partNumber') && has('uploadId')) return 'UploadPart';
  if (req.method === 'POST' && has('uploadId')) return 'CompleteMultipartUpload';
  if (req.method === 'DELETE' && has('uploadId')) return 'AbortMultipartUpload';
  return undefined;
}

export function s3Error(
  req: WireRequest,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): WireAnswer {
  const fields = Object.entries(extra)
    .map(([k, v]) => el(k, v))
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml', ...s3Headers(req), ...headers },
    body: `${XML_DECL}<Error>${el('Code', code)}${el('Message', message)}${fields}${el('RequestId', req.requestId)}${el('HostId', hostId(req))}</Error>`,
  };
}

export function s3Throttle(req: WireRequest): WireAnswer {
  return s3Error(req, 503, 'SlowDown', 'Please reduce your request rate.');
}

function hostId(req: WireRequest): string {
  return createHash('sha256').update(req.requestId).digest('base64');
}

function s3Headers(req: WireRequest): Record<string, string> {
  return { 'x-amz-request-id': req.requestId, 'x-amz-id-2': hostId(req) };
}

function xml(req: WireRequest, body: string): WireAnswer {
  return { status: 200, headers: { 'content-type': 'application/xml', ...s3Headers(req) }, body: `${XML_DECL}${body}` };
}

function findBucket(world: Scenario, name: string): { owner: FakeAccount; bucket: FakeBucket } | undefined {
  for (const owner of world.accounts) {
    const bucket = owner.buckets.find((b) => b.name === name);
    if (bucket) return { owner, bucket };
  }
  return undefined;
}

/** What s3:PutObject (and s3:AbortMultipartUpload) lets another account do in a writable bucket. */
const PUT_OPERATIONS = new Set([
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function answerS3(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const caller = req.identity!;
  if (id.operation === 'ListBuckets')
    return listBuckets(
      req,
      world.accounts.find((a) => a.id === caller.account),
    );
  if (!id.bucket) return s3Error(req, 400, 'InvalidRequest', 'no bucket');
  const found = findBucket(world, id.bucket);
  if (!found)
    return s3Error(req, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: id.bucket });
  const { owner, bucket } = found;
  const isReadOfObjects = ['ListObjectsV2', 'ListObjects', 'GetObject', 'HeadObject'].includes(id.operation);
  const isPut = PUT_OPERATIONS.has(id.operation) && bucket.writableBy?.includes(caller.account);
  if (owner.id !== caller.account && !(isReadOfObjects && bucket.readableBy?.includes(caller.account)) && !isPut) {
    return s3Error(req, 403, 'AccessDenied', 'Access Denied');
  }
  if (id.operation !== 'GetBucketLocation' && req.region !== bucket.region) return wrongRegion(req, bucket);
  const op = S3_ANSWERS[id.operation];
  if (!op)
    return s3Error(
      req,
      405,
      'MethodNotAllowed',
      `The specified method is not allowed against this resource (${id.operation}).`,
    );
  return op(req, bucket, id, world);
}

function wrongRegion(req: WireRequest, bucket: FakeBucket): WireAnswer {
  const header = { 'x-amz-bucket-region': bucket.region };
  if (bucket.wrongRegionAnswer === 'AuthorizationHeaderMalformed') {
    return s3Error(
      req,
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${bucket.region}'`,
      { Region: bucket.region },
      header,
    );
  }
  return s3Error(
    req,
    301,
    'PermanentRedirect',
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    { Endpoint: `${bucket.name}.s3.${bucket.region}.amazonaws.com`, Bucket: bucket.name },
    header,
  );
}

function listBuckets(req: WireRequest, account: FakeAccount | undefined): WireAnswer {
  const all = [...(account?.buckets ?? [])].sort((a, b) => byteOrder(a.name, b.name));
  const token = req.query.get('continuation-token');
  const max = Number(req.query.get('max-buckets') ?? '10000');
  const regionFilter = req.query.get('bucket-region');
  const after = token ? unb64(token) : undefined;
  const remaining = all.filter(
    (b) => (after === undefined || byteOrder(b.name, after) > 0) && (!regionFilter || b.region === regionFilter),
  );
  const page = remaining.slice(0, max);
  const next = remaining.length > page.length ? b64(page[page.length - 1]!.name) : undefined;
  const buckets = page
    .map((b) => {
      const listed = b.listedRegion === undefined ? b.region : b.listedRegion;
      return `<Bucket>${el('Name', b.name)}${el('CreationDate', b.creationDate ?? '2024-01-15T10:00:00.000Z')}${el('BucketRegion', listed ?? undefined)}</Bucket>`;
    })
    .join('');
  return xml(
    req,
    `<ListAllMyBucketsResult xmlns="${S3_NS}"><Owner>${el('ID', `owner-${account?.id ?? 'none'}`)}</Owner><Buckets>${buckets}</Buckets>${el('ContinuationToken', next)}</ListAllMyBucketsResult>`,
  );
}

type S3Answer = (req: WireRequest, bucket: FakeBucket, id: Identified, world: Scenario) => WireAnswer;

const S3_ANSWERS: Record<string, S3Answer> = {
  GetBucketLocation: (req, b) => {
    // us-east-1 answers an empty element; eu-west-1 buckets made long ago answer the legacy "EU".
    const value = b.locationConstraint ?? (b.region === 'us-east-1' ? '' : b.region);
    return xml(
      req,
      value
        ? `<LocationConstraint xmlns="${S3_NS}">${value}</LocationConstraint>`
        : `<LocationConstraint xmlns="${S3_NS}"/>`,
    );
  },
  GetBucketEncryption: (req, b) => {
    // BlockedEncryptionTypes holds a flattened list of EncryptionType elements (S3 API reference).
    const blockedTypes = (types: string[] | undefined) =>
      types
        ? `<BlockedEncryptionTypes>${types.map((t) => el('EncryptionType', t)).join('')}</BlockedEncryptionTypes>`
        : '';
    if (!b.encryption) {
      return s3Error(
        req,
        404,
        'ServerSideEncryptionConfigurationNotFoundError',
        'The server side encryption configuration was not found',
        { BucketName: b.name },
      );
    }
    const e = b.encryption;
    return xml(
      req,
      `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault>${el('SSEAlgorithm', e.algorithm)}${el('KMSMasterKeyID', e.kmsKeyId)}</ApplyServerSideEncryptionByDefault>${el('BucketKeyEnabled', e.bucketKeyEnabled ?? false)}${blockedTypes(e.blockedEncryptionTypes)}</Rule></ServerSideEncryptionConfiguration>`,
    );
  },
  GetBucketPolicy: (req, b) => {
    if (!b.policy)
      return s3Error(req, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: b.name });
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amz-request-id': req.requestId },
      body: b.policy,
    };
  },
  GetBucketPolicyStatus: (req, b) => {
    if (!b.policy)
      return s3Error(req, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: b.name });
    return xml(req, `<PolicyStatus xmlns="${S3_NS}">${el('IsPublic', b.policyIsPublic ?? false)}</PolicyStatus>`);
  },
  GetPublicAccessBlock: (req, b) => {
    const p = b.publicAccessBlock;
    if (!p) {
      return s3Error(
        req,
        404,
        'NoSuchPublicAccessBlockConfiguration',
        'The public access block configuration was not found',
        { BucketName: b.name },
      );
    }
    return xml(
      req,
      `<PublicAccessBlockConfiguration xmlns="${S3_NS}">${el('BlockPublicAcls', p.BlockPublicAcls)}${el('IgnorePublicAcls', p.IgnorePublicAcls)}${el('BlockPublicPolicy', p.BlockPublicPolicy)}${el('RestrictPublicBuckets', p.RestrictPublicBuckets)}</PublicAccessBlockConfiguration>`,
    );
  },
  GetBucketLogging: (req, b) => {
    const l = b.logging;
    const inner = l
      ? `<LoggingEnabled>${el('TargetBucket', l.targetBucket)}${el('TargetPrefix', l.targetPrefix)}</LoggingEnabled>`
      : '';
    return xml(req, `<BucketLoggingStatus xmlns="${S3_NS}">${inner}</BucketLoggingStatus>`);
  },
  ListBucketInventoryConfigurations: (req, b) => {
    const configs = (b.inventory ?? [])
      .map((c) => {
        const fields = (c.fields ?? ['Size', 'LastModifiedDate', 'EncryptionStatus'])
          .map((f) => el('Field', f))
          .join('');
        return (
          `<InventoryConfiguration><Destination><S3BucketDestination>${el('Format', c.format ?? 'CSV')}${el('Bucket', `arn:aws:s3:::${c.destinationBucket}`)}${el('Prefix', c.prefix)}</S3BucketDestination></Destination>` +
          `${el('IsEnabled', c.enabled ?? true)}${el('Id', c.id)}${el('IncludedObjectVersions', 'Current')}<OptionalFields>${fields}</OptionalFields><Schedule>${el('Frequency', c.frequency ?? 'Daily')}</Schedule></InventoryConfiguration>`
        );
      })
      .join('');
    return xml(
      req,
      `<ListInventoryConfigurationsResult xmlns="${S3_NS}">${configs}${el('IsTruncated', false)}</ListInventoryConfigurationsResult>`,
    );
  },
  GetBucketVersioning: (req, b) =>
    xml(req, `<VersioningConfiguration xmlns="${S3_NS}">${el('Status', b.versioning)}</VersioningConfiguration>`),
  GetObjectLockConfiguration: (req, b) => {
    const o = b.objectLock;
    if (!o) {
      return s3Error(
        req,
        404,
        'ObjectLockConfigurationNotFoundError',
        'Object Lock configuration does not exist for this bucket',
        { BucketName: b.name },
      );
    }
    const rule = o.mode
      ? `<Rule><DefaultRetention>${el('Mode', o.mode)}${el('Days', o.days)}</DefaultRetention></Rule>`
      : '';
    return xml(
      req,
      `<ObjectLockConfiguration xmlns="${S3_NS}">${el('ObjectLockEnabled', 'Enabled')}${rule}</ObjectLockConfiguration>`,
    );
  },
  GetBucketTagging: (req, b) => {
    if (!b.tags || Object.keys(b.tags).length === 0)
      return s3Error(req, 404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: b.name });
    const tags = Object.entries(b.tags)
      .map(([k, v]) => `<Tag>${el('Key', k)}${el('Value', v)}</Tag>`)
      .join('');
    return xml(req, `<Tagging xmlns="${S3_NS}"><TagSet>${tags}</TagSet></Tagging>`);
  },
  ListObjectsV2: listObjectsV2,
  PutObject: putObject,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: (req, b) => {
    const uploadId = req.query.get('uploadId') ?? '';
    if (!b.multipartUploads?.[uploadId])
      return s3Error(req, 404, 'NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    delete b.multipartUploads[uploadId];
    (b.abortedUploads ??= []).push(uploadId);
    return { status: 204, headers: s3Headers(req), body: '' };
  },
  HeadObject: headObject,
  GetObject: (req, b, id) => {
    const body = b.objects?.[id.key ?? ''];
    if (body === undefined)
      return s3Error(req, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: id.key ?? '' });
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return {
      status: 200,
      headers: {
        'content-type': 'binary/octet-stream',
        'content-length': String(buf.length),
        etag: `"${createHash('md5').update(buf).digest('hex')}"`,
        'last-modified': new Date('2026-11-01T06:00:00Z').toUTCString(),
        ...s3Headers(req),
      },
      body: buf,
    };
  },
};

const header = (req: WireRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * PutObject: verifies x-amz-checksum-sha256 against the body (400 BadDigest), honours
 * `If-None-Match: *` (412 PreconditionFailed when the key exists), refuses Object Lock headers on a
 * bucket without Object Lock, and keeps the SSE / checksum / retention headers it was sent.
 */
function putObject(req: WireRequest, b: FakeBucket, id: Identified): WireAnswer {
  const key = id.key ?? '';
  const sent = header(req, 'x-amz-checksum-sha256');
  const actual = createHash('sha256').update(req.body).digest('base64');
  if (sent !== undefined && sent !== actual) {
    return s3Error(req, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
  }
  if (header(req, 'if-none-match') === '*' && b.objects?.[key] !== undefined) {
    return s3Error(req, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-None-Match',
    });
  }
  const refused = lockRefusal(req, b);
  if (refused) return refused;
  const lockMode = header(req, 'x-amz-object-lock-mode');
  const retainUntil = header(req, 'x-amz-object-lock-retain-until-date');
  const sse = header(req, 'x-amz-server-side-encryption');
  const kmsKey = header(req, 'x-amz-server-side-encryption-aws-kms-key-id');
  const versionId = b.versioning === 'Enabled' ? `v-${req.requestId}` : undefined;
  b.objects = { ...(b.objects ?? {}), [key]: Buffer.from(req.body) };
  b.uploads = {
    ...(b.uploads ?? {}),
    [key]: {
      ...(sent ? { checksumSha256: sent } : {}),
      ...(sse ? { sse } : {}),
      ...(kmsKey ? { sseKmsKeyId: kmsKey } : {}),
      ...(lockMode ? { objectLockMode: lockMode } : {}),
      ...(retainUntil ? { objectLockRetainUntil: retainUntil } : {}),
      ...(header(req, 'content-type') ? { contentType: header(req, 'content-type')! } : {}),
      ...(versionId ? { versionId } : {}),
    },
  };
  return {
    status: 200,
    headers: {
      etag: `"${createHash('md5').update(req.body).digest('hex')}"`,
      ...(sent ? { 'x-amz-checksum-sha256': sent } : {}),
      ...(sse ? { 'x-amz-server-side-encryption': sse } : {}),
      ...(kmsKey ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKey } : {}),
      ...(versionId ? { 'x-amz-version-id': versionId } : {}),
      ...s3Headers(req),
    },
    body: '',
  };
}

/** The object-lock headers of a write, refused as PutObject refuses them; undefined when they are fine. */
function lockRefusal(req: WireRequest, b: FakeBucket): WireAnswer | undefined {
  const lockMode = header(req, 'x-amz-object-lock-mode');
  const retainUntil = header(req, 'x-amz-object-lock-retain-until-date');
  if ((lockMode || retainUntil) && !b.objectLock)
    return s3Error(req, 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
  if (Boolean(lockMode) !== Boolean(retainUntil))
    return s3Error(
      req,
      400,
      'InvalidRequest',
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  return undefined;
}

/** CreateMultipartUpload: keeps the object's headers for CompleteMultipartUpload; answers the upload id. */
function createMultipartUpload(req: WireRequest, b: FakeBucket, id: Identified): WireAnswer {
  const refused = lockRefusal(req, b);
  if (refused) return refused;
  const uploadId = `upload-${req.requestId}`;
  const sse = header(req, 'x-amz-server-side-encryption');
  const kmsKey = header(req, 'x-amz-server-side-encryption-aws-kms-key-id');
  const lockMode = header(req, 'x-amz-object-lock-mode');
  const retainUntil = header(req, 'x-amz-object-lock-retain-until-date');
  (b.multipartUploads ??= {})[uploadId] = {
    key: id.key ?? '',
    checksumAlgorithm: header(req, 'x-amz-checksum-algorithm'),
    parts: new Map(),
    headers: {
      ...(sse ? { sse } : {}),
      ...(kmsKey ? { sseKmsKeyId: kmsKey } : {}),
      ...(lockMode ? { objectLockMode: lockMode } : {}),
      ...(retainUntil ? { objectLockRetainUntil: retainUntil } : {}),
      ...(header(req, 'content-type') ? { contentType: header(req, 'content-type')! } : {}),
    },
  };
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      ...(sse ? { 'x-amz-server-side-encryption': sse } : {}),
      ...(kmsKey ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKey } : {}),
      ...s3Headers(req),
    },
    body: `${XML_DECL}<InitiateMultipartUploadResult xmlns="${S3_NS}">${el('Bucket', b.name)}${el('Key', id.key)}${el('UploadId', uploadId)}</InitiateMultipartUploadResult>`,
  };
}

/** UploadPart: verifies the part's x-amz-checksum-sha256 (400 BadDigest); a SHA-256 upload needs one. */
function uploadPart(req: WireRequest, b: FakeBucket, id: Identified): WireAnswer {
  const uploadId = req.query.get('uploadId') ?? '';
  const upload = b.multipartUploads?.[uploadId];
  if (!upload || upload.key !== id.key)
    return s3Error(req, 404, 'NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
  const number = Number(req.query.get('partNumber'));
  if (!Number.isInteger(number) || number < 1 || number > 10_000)
    return s3Error(req, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  const sent = header(req, 'x-amz-checksum-sha256');
  const digest = createHash('sha256').update(req.body).digest();
  if (upload.checksumAlgorithm === 'SHA256' && sent === undefined)
    return s3Error(
      req,
      400,
      'InvalidRequest',
      'The upload was created using a sha256 checksum. The part is missing one.',
    );
  if (sent !== undefined && sent !== digest.toString('base64'))
    return s3Error(req, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
  const etag = `"${createHash('md5').update(req.body).digest('hex')}"`;
  upload.parts.set(number, { body: Buffer.from(req.body), etag, sha256: digest });
  return {
    status: 200,
    headers: { etag, ...(sent ? { 'x-amz-checksum-sha256': sent } : {}), ...s3Headers(req) },
    body: '',
  };
}

const MIN_PART_BYTES = 5 * 1024 * 1024;

/**
 * CompleteMultipartUpload: the parts listed must be those uploaded (ETag and checksum), in order, all
 * but the last at least 5 MiB; honours `If-None-Match: *`. The object's checksum is the composite of
 * the parts' SHA-256 digests, `-N`.
 */
function completeMultipartUpload(req: WireRequest, b: FakeBucket, id: Identified): WireAnswer {
  const uploadId = req.query.get('uploadId') ?? '';
  const upload = b.multipartUploads?.[uploadId];
  if (!upload || upload.key !== id.key)
    return s3Error(req, 404, 'NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
  const listed = [...req.body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
    number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
    etag: /<ETag>(.*?)<\/ETag>/.exec(m[1]!)?.[1]?.replaceAll('&quot;', '"'),
    sha256: /<ChecksumSHA256>(.*?)<\/ChecksumSHA256>/.exec(m[1]!)?.[1],
  }));
  if (listed.length === 0) return s3Error(req, 400, 'MalformedXML', 'The XML you provided was not well-formed.');
  const bodies: Buffer[] = [];
  const composite = createHash('sha256');
  for (const [i, part] of listed.entries()) {
    if (i > 0 && part.number <= listed[i - 1]!.number)
      return s3Error(req, 400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
    const stored = upload.parts.get(part.number);
    if (
      !stored ||
      stored.etag !== part.etag ||
      (part.sha256 !== undefined && part.sha256 !== stored.sha256.toString('base64'))
    )
      return s3Error(req, 400, 'InvalidPart', 'One or more of the specified parts could not be found.');
    if (i < listed.length - 1 && stored.body.length < MIN_PART_BYTES)
      return s3Error(
        req,
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size.',
      );
    bodies.push(stored.body);
    composite.update(stored.sha256);
  }
  const key = upload.key;
  if (header(req, 'if-none-match') === '*' && b.objects?.[key] !== undefined) {
    return s3Error(req, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-None-Match',
    });
  }
  const checksum = `${composite.digest('base64')}-${listed.length}`;
  const versionId = b.versioning === 'Enabled' ? `v-${req.requestId}` : undefined;
  const etag = `"${createHash('md5')
    .update(Buffer.concat(bodies.map((x) => createHash('md5').update(x).digest())))
    .digest('hex')}-${listed.length}"`;
  b.objects = { ...(b.objects ?? {}), [key]: Buffer.concat(bodies) };
  b.uploads = {
    ...(b.uploads ?? {}),
    [key]: { ...upload.headers, checksumSha256: checksum, parts: listed.length, ...(versionId ? { versionId } : {}) },
  };
  delete b.multipartUploads![uploadId];
  return {
    status: 200,
    headers: {
      'content-type': 'application/xml',
      ...(versionId ? { 'x-amz-version-id': versionId } : {}),
      ...(upload.headers.sse ? { 'x-amz-server-side-encryption': upload.headers.sse } : {}),
      ...s3Headers(req),
    },
    body: `${XML_DECL}<CompleteMultipartUploadResult xmlns="${S3_NS}">${el('Location', `http://${b.name}.s3.amazonaws.com/${key}`)}${el('Bucket', b.name)}${el('Key', key)}${el('ETag', etag)}${el('ChecksumSHA256', checksum)}${el('ChecksumType', 'COMPOSITE')}</CompleteMultipartUploadResult>`,
  };
}

/** HeadObject: metadata only; the SHA-256 checksum a PutObject was sent, when asked (x-amz-checksum-mode: ENABLED). */
function headObject(req: WireRequest, b: FakeBucket, id: Identified): WireAnswer {
  const body = b.objects?.[id.key ?? ''];
  if (body === undefined) return { status: 404, headers: s3Headers(req), body: '' };
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const checksum = b.uploads?.[id.key ?? '']?.checksumSha256;
  return {
    status: 200,
    headers: {
      'content-length': String(buf.length),
      etag: `"${createHash('md5').update(buf).digest('hex')}"`,
      ...(checksum && header(req, 'x-amz-checksum-mode') === 'ENABLED' ? { 'x-amz-checksum-sha256': checksum } : {}),
      ...s3Headers(req),
    },
    body: '',
  };
}

function listObjectsV2(req: WireRequest, b: FakeBucket, _id: Identified, world: Scenario): WireAnswer {
  const prefix = req.query.get('prefix') ?? '';
  const delimiter = req.query.get('delimiter') ?? '';
  const maxKeys = Math.min(Number(req.query.get('max-keys') ?? '1000'), world.maxKeysCap ?? 1000);
  const token = req.query.get('continuation-token');
  const startAfter = req.query.get('start-after') ?? '';
  const urlEncode = req.query.get('encoding-type') === 'url';
  const after = token ? unb64(token) : startAfter;
  const keys = Object.keys(b.objects ?? {})
    .filter((k) => k.startsWith(prefix))
    .sort(byteOrder);
  // Keys and common prefixes in listing order; each counts once toward max-keys.
  const entries: Array<{ kind: 'key' | 'prefix'; value: string }> = [];
  for (const k of keys) {
    const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const cp = k.slice(0, cut + delimiter.length);
      if (entries[entries.length - 1]?.value !== cp) entries.push({ kind: 'prefix', value: cp });
    } else entries.push({ kind: 'key', value: k });
  }
  const remaining = entries.filter((e) => !after || byteOrder(e.value, after) > 0);
  const page = remaining.slice(0, maxKeys);
  const truncated = remaining.length > page.length;
  const enc = (s: string) => (urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const contents = page
    .filter((e) => e.kind === 'key')
    .map((e) => {
      const body = b.objects![e.value]!;
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const etag = createHash('md5').update(body).digest('hex');
      return `<Contents>${el('Key', enc(e.value))}${el('LastModified', '2026-11-01T06:00:00.000Z')}${el('ETag', `"${etag}"`)}${el('Size', size)}${el('StorageClass', 'STANDARD')}</Contents>`;
    })
    .join('');
  const prefixes = page
    .filter((e) => e.kind === 'prefix')
    .map((e) => `<CommonPrefixes>${el('Prefix', enc(e.value))}</CommonPrefixes>`)
    .join('');
  return xml(
    req,
    `<ListBucketResult xmlns="${S3_NS}">${el('Name', b.name)}${el('Prefix', enc(prefix))}${el('KeyCount', page.length)}${el('MaxKeys', maxKeys)}` +
      `${delimiter ? el('Delimiter', delimiter) : ''}${el('IsTruncated', truncated)}${contents}${prefixes}` +
      `${token ? el('ContinuationToken', token) : ''}${truncated ? el('NextContinuationToken', b64(page[page.length - 1]!.value)) : ''}` +
      `${urlEncode ? el('EncodingType', 'url') : ''}</ListBucketResult>`,
  );
}
