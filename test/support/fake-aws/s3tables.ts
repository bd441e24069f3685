/**
 * Amazon S3 Tables, REST-JSON as the S3 Tables API reference documents it: GET /buckets,
 * /buckets/{tableBucketARN}/encryption, /namespaces/{tableBucketARN}, /tables/{tableBucketARN},
 * /tables/{tableBucketARN}/{namespace}/{name}/encryption; the ARN percent-encoded as one path segment;
 * lists paged by `continuationToken`; errors as HTTP status, `x-amzn-errortype` and `{"message": …}`.
 */
import type { FakeAccount, FakeTableBucket, FakeTableEncryption, Scenario } from './scenario.js';
import type { Identified, WireAnswer, WireRequest } from './wire.js';

const JSON_TYPE = 'application/json';

export function tablesError(req: WireRequest, status: number, code: string, message: string): WireAnswer {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ message }),
  };
}

export function tablesThrottle(req: WireRequest): WireAnswer {
  return tablesError(req, 429, 'TooManyRequestsException', 'Rate exceeded');
}

function ok(req: WireRequest, value: unknown): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify(value),
  };
}

/** The path's segments, each percent-decoded (a table bucket ARN is one segment). */
function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

interface Route {
  operation: string;
  arn?: string;
  namespace?: string;
  name?: string;
}

function route(req: WireRequest): Route {
  const s = segments(req.path);
  if (req.method !== 'GET') return { operation: 'Unknown' };
  if (s[0] === 'buckets' && s.length === 1) return { operation: 'ListTableBuckets' };
  if (s[0] === 'buckets' && s.length === 3 && s[2] === 'encryption')
    return { operation: 'GetTableBucketEncryption', arn: s[1]! };
  if (s[0] === 'namespaces' && s.length === 2) return { operation: 'ListNamespaces', arn: s[1]! };
  if (s[0] === 'tables' && s.length === 2) return { operation: 'ListTables', arn: s[1]! };
  if (s[0] === 'tables' && s.length === 5 && s[4] === 'encryption')
    return { operation: 'GetTableEncryption', arn: s[1]!, namespace: s[2]!, name: s[3]! };
  return { operation: 'Unknown' };
}

/** The table bucket's name stands in for "bucket" in recorded calls and faults. */
export function identifyTables(req: WireRequest): Identified {
  const r = route(req);
  const bucket = r.arn ? /:bucket\/([^/]+)$/.exec(r.arn)?.[1] : undefined;
  return {
    operation: r.operation,
    ...(bucket ? { bucket } : {}),
    ...(r.namespace && r.name ? { key: `${r.namespace}/${r.name}` } : {}),
  };
}

function tableBucketArn(account: string, b: FakeTableBucket): string {
  return `arn:aws:s3tables:${b.region}:${account}:bucket/${b.name}`;
}

function encryptionAnswer(e: FakeTableEncryption | undefined): unknown {
  const enc = e ?? { algorithm: 'AES256' as const };
  return {
    encryptionConfiguration: {
      sseAlgorithm: enc.algorithm,
      ...(enc.kmsKeyArn ? { kmsKeyArn: enc.kmsKeyArn } : {}),
    },
  };
}

/** One page of `items` from the opaque token (an offset) on, at most `cap` long. */
function page<T>(
  items: T[],
  token: string | null,
  cap: number,
): { items: T[]; continuationToken?: string } | undefined {
  const from =
    token === null
      ? 0
      : Number(
          Buffer.from(token, 'base64url')
            .toString('utf8')
            .replace(/^offset:/, ''),
        );
  if (!Number.isInteger(from) || from < 0 || from > items.length) return undefined;
  const slice = items.slice(from, from + cap);
  const next = from + cap < items.length ? Buffer.from(`offset:${from + cap}`).toString('base64url') : undefined;
  return { items: slice, ...(next ? { continuationToken: next } : {}) };
}

export function answerTables(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const caller = req.identity!;
  const account = world.accounts.find((a) => a.id === caller.account);
  const r = route(req);
  const cap = world.tablesPageCap ?? 1000;
  const token = req.query.get('continuationToken');
  if (!account || r.operation === 'Unknown')
    return tablesError(req, 400, 'BadRequestException', `no such operation: ${req.method} ${req.path}`);
  if (world.tablesUnsupportedRegions?.includes(req.region)) {
    // What a Region without the service, or one the account has not enabled, answers a signed request.
    return tablesError(
      req,
      403,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (r.operation === 'ListTableBuckets') {
    const buckets = (account.tableBuckets ?? [])
      .filter((b) => b.region === req.region)
      .sort((a, b) => a.name.localeCompare(b.name));
    const p = page(buckets, token, cap);
    if (!p) return tablesError(req, 400, 'BadRequestException', 'The continuation token is not valid.');
    return ok(req, {
      tableBuckets: p.items.map((b) => ({
        arn: tableBucketArn(account.id, b),
        name: b.name,
        ownerAccountId: account.id,
        createdAt: b.createdAt ?? '2026-01-15T10:00:00.000Z',
        tableBucketId: `tb-${b.name}`,
        type: 'customer',
      })),
      ...(p.continuationToken ? { continuationToken: p.continuationToken } : {}),
    });
  }
  const found = findBucket(world, r.arn!);
  if (!found || found.bucket.region !== req.region)
    return tablesError(req, 404, 'NotFoundException', 'The specified bucket does not exist.');
  if (found.owner.id !== caller.account) {
    return tablesError(
      req,
      403,
      'AccessDeniedException',
      `User: ${caller.arn} is not authorized to perform: s3tables:${r.operation} on resource: ${r.arn!}`,
    );
  }
  const bucket = found.bucket;
  const namespaces = [...(bucket.namespaces ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  switch (r.operation) {
    case 'GetTableBucketEncryption':
      return ok(req, encryptionAnswer(bucket.encryption));
    case 'ListNamespaces': {
      const p = page(namespaces, token, cap);
      if (!p) return tablesError(req, 400, 'BadRequestException', 'The continuation token is not valid.');
      return ok(req, {
        namespaces: p.items.map((n) => ({
          namespace: [n.name],
          createdAt: '2026-01-15T10:00:00.000Z',
          createdBy: found.owner.id,
          ownerAccountId: found.owner.id,
        })),
        ...(p.continuationToken ? { continuationToken: p.continuationToken } : {}),
      });
    }
    case 'ListTables': {
      const only = req.query.get('namespace');
      const tables = namespaces
        .filter((n) => only === null || n.name === only)
        .flatMap((n) => [...n.tables].sort((a, b) => a.name.localeCompare(b.name)).map((t) => ({ n, t })));
      const p = page(tables, token, cap);
      if (!p) return tablesError(req, 400, 'BadRequestException', 'The continuation token is not valid.');
      return ok(req, {
        tables: p.items.map(({ n, t }) => ({
          namespace: [n.name],
          name: t.name,
          type: 'customer',
          tableARN: `${r.arn!}/table/${t.name}-id`,
          createdAt: '2026-01-15T10:00:00.000Z',
          modifiedAt: '2026-01-15T10:00:00.000Z',
        })),
        ...(p.continuationToken ? { continuationToken: p.continuationToken } : {}),
      });
    }
    default: {
      const table = namespaces.find((n) => n.name === r.namespace)?.tables.find((t) => t.name === r.name);
      if (!table) return tablesError(req, 404, 'NotFoundException', 'The specified table does not exist.');
      return ok(req, encryptionAnswer(table.encryption ?? bucket.encryption));
    }
  }
}

function findBucket(world: Scenario, arn: string): { owner: FakeAccount; bucket: FakeTableBucket } | undefined {
  for (const owner of world.accounts) {
    const bucket = owner.tableBuckets?.find((b) => tableBucketArn(owner.id, b) === arn);
    if (bucket) return { owner, bucket };
  }
  return undefined;
}
