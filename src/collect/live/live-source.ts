import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListResourceTagsCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListDirectoryBucketsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  GetTableBucketEncryptionCommand,
  GetTableEncryptionCommand,
  ListNamespacesCommand,
  ListTableBucketsCommand,
  ListTablesCommand,
  type S3TablesClient,
} from '@aws-sdk/client-s3tables';
import { UNREADABLE } from '../../evidence/answers.js';
import type { ListAliasesOutput, ListBucketsOutput, ListDirectoryBucketsOutput } from '../../evidence/aws-shapes.js';
import type { EvidenceRecord } from '../../evidence/record.js';
import type {
  AccountSource,
  BucketExtraOperation,
  BucketOperation,
  DirectoryOperation,
  KeyExtraOperation,
  KeyOperation,
  TablesOperation,
  TablesParameters,
} from '../source.js';
import { asEvidence, attempt, toRecord, type CallResult } from './aws-call.js';
import type { RegionalClients } from './clients.js';
import type { CallLimiter } from './limiter.js';
import type { ResolvedLiveOptions } from './options.js';
import { redirectRegion } from './region-redirect.js';

type Output = { $metadata?: { requestId?: string; httpStatusCode?: number } } & object;

/** Every page of a paginated call; the first failing page fails the whole call (a partial list is not a list). */
export async function allPages<P extends Output>(
  fetch: (token: string | undefined) => Promise<CallResult<P>>,
  nextToken: (page: P) => string | undefined,
): Promise<CallResult<P[]>> {
  const pages: P[] = [];
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const r = await fetch(token);
    if (!r.ok) return r;
    pages.push(r.output);
    if (r.requestId) ids.push(r.requestId);
    const next: unknown = nextToken(r.output);
    // A token that is not a string is not followed (nor read as "no more pages"): the list is unreadable.
    if (next !== undefined && next !== null && typeof next !== 'string') {
      const error = {
        code: UNREADABLE,
        message: `the answer's page token is ${Array.isArray(next) ? 'an array' : typeof next === 'object' ? 'an object' : `a ${typeof next}`}, not a string`,
      };
      return { ok: false, error, ...(r.requestId ? { requestId: r.requestId } : {}), cause: error };
    }
    token = next ?? undefined;
  } while (token);
  // One request id per page, comma-separated, so every page can be traced.
  return { ok: true, output: pages, ...(ids.length ? { requestId: ids.join(',') } : {}) };
}

/**
 * Every page's list under `field`, merged into one response (pages themselves are not evidence). A page
 * without a list there is kept as it came, never read as an empty list: the evidence reading then names the
 * field. (Only for JSON services, which always send the list; S3's XML leaves an empty list out.)
 */
export function mergedPages<P extends Output>(
  r: CallResult<P[]>,
  field: string,
  rest: Record<string, unknown> = {},
): CallResult<unknown> {
  if (!r.ok) return r;
  const pages = r.output.map((p) => asEvidence(p) as Record<string, unknown>);
  const misshapen = pages.find((p) => !Array.isArray(p[field]));
  return { ...r, output: misshapen ?? { [field]: pages.flatMap((p) => p[field] as unknown[]), ...rest } };
}

type BucketCall = (c: S3Client, Bucket: string) => Promise<Output>;

const SINGLE_BUCKET_CALLS: Record<
  Exclude<BucketOperation | BucketExtraOperation, 'ListBucketInventoryConfigurations'>,
  BucketCall
> = {
  GetBucketLocation: (c, Bucket) => c.send(new GetBucketLocationCommand({ Bucket })),
  GetBucketTagging: (c, Bucket) => c.send(new GetBucketTaggingCommand({ Bucket })),
  GetBucketEncryption: (c, Bucket) => c.send(new GetBucketEncryptionCommand({ Bucket })),
  GetBucketPolicy: (c, Bucket) => c.send(new GetBucketPolicyCommand({ Bucket })),
  GetPublicAccessBlock: (c, Bucket) => c.send(new GetPublicAccessBlockCommand({ Bucket })),
  GetBucketPolicyStatus: (c, Bucket) => c.send(new GetBucketPolicyStatusCommand({ Bucket })),
  GetBucketLogging: (c, Bucket) => c.send(new GetBucketLoggingCommand({ Bucket })),
  GetBucketVersioning: (c, Bucket) => c.send(new GetBucketVersioningCommand({ Bucket })),
  GetObjectLockConfiguration: (c, Bucket) => c.send(new GetObjectLockConfigurationCommand({ Bucket })),
};

/**
 * A directory-bucket read that got no HTTP answer at all: where S3 Express One Zone is not offered (or
 * the Region is not enabled) the s3express-control endpoint does not exist. The record says so.
 */
function withoutControlEndpoint(r: CallResult<unknown>, region: string): CallResult<unknown> {
  if (r.ok || r.error.httpStatus !== undefined) return r;
  const message = `no answer from the s3express-control endpoint of ${region} (S3 Express One Zone not offered there, or the Region not enabled): ${r.error.message}`;
  return { ...r, error: { ...r.error, message } };
}

export interface LiveAccountSourceArgs {
  account: string;
  clients: RegionalClients;
  limiter: CallLimiter;
  opts: ResolvedLiveOptions;
  now?: () => Date;
}

/** S3 and KMS evidence of one account, read from AWS with that account's credentials. */
export function liveAccountSource(args: LiveAccountSourceArgs): AccountSource {
  const { account, clients, limiter, opts } = args;
  const now = args.now ?? (() => new Date());
  // Regions learned from redirects, so later calls for the bucket go straight to the right place.
  const learnedRegion = new Map<string, string>();

  const s3 = <T extends Output>(region: string, fn: (c: S3Client) => Promise<T>) =>
    attempt(() => limiter.run('s3', account, region, () => fn(clients.s3(region))));
  const kms = <T extends Output>(region: string, fn: (c: KMSClient) => Promise<T>) =>
    attempt(() => limiter.run('kms', account, region, () => fn(clients.kms(region))));

  const express = <T extends Output>(region: string, fn: (c: S3Client) => Promise<T>) =>
    attempt(() => limiter.run('s3', account, region, () => fn(clients.s3express(region))));

  /** One directory-bucket read; ListDirectoryBuckets follows ContinuationToken to the last page. */
  const directoryOnce = async (
    op: DirectoryOperation,
    bucket: string,
    region: string,
  ): Promise<CallResult<unknown>> => {
    if (op === 'ListDirectoryBuckets') {
      const r = await allPages(
        (ContinuationToken) => express(region, (c) => c.send(new ListDirectoryBucketsCommand({ ContinuationToken }))),
        (p) => p.ContinuationToken,
      );
      if (!r.ok) return r;
      const pages = r.output.map((p) => asEvidence(p) as ListDirectoryBucketsOutput);
      // A page without its list is kept as it came, to be read as unreadable, never as "none".
      const broken = pages.find((p) => !Array.isArray(p.Buckets));
      if (broken) return { ...r, output: broken };
      return { ...r, output: { Buckets: pages.flatMap((p) => p.Buckets ?? []) } };
    }
    const r = await express(region, (c) =>
      op === 'GetBucketEncryption'
        ? c.send(new GetBucketEncryptionCommand({ Bucket: bucket }))
        : c.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    );
    return r.ok ? { ...r, output: asEvidence(r.output) } : r;
  };

  const tables = <T extends Output>(region: string, fn: (c: S3TablesClient) => Promise<T>) =>
    attempt(() => limiter.run('s3', account, region, () => fn(clients.s3tables(region))));

  /** One S3 Tables read; lists follow continuationToken to the last page (the REST-JSON lists are always sent). */
  const tablesOnce = async (op: TablesOperation, p: TablesParameters, region: string): Promise<CallResult<unknown>> => {
    const arn = p.tableBucketARN ?? '';
    const next = (page: { continuationToken?: string }) => page.continuationToken;
    switch (op) {
      case 'ListTableBuckets':
        return mergedPages(
          await allPages(
            (continuationToken) => tables(region, (c) => c.send(new ListTableBucketsCommand({ continuationToken }))),
            next,
          ),
          'tableBuckets',
        );
      case 'ListNamespaces':
        return mergedPages(
          await allPages(
            (continuationToken) =>
              tables(region, (c) => c.send(new ListNamespacesCommand({ tableBucketARN: arn, continuationToken }))),
            next,
          ),
          'namespaces',
        );
      case 'ListTables':
        return mergedPages(
          await allPages(
            (continuationToken) =>
              tables(region, (c) => c.send(new ListTablesCommand({ tableBucketARN: arn, continuationToken }))),
            next,
          ),
          'tables',
        );
      case 'GetTableBucketEncryption': {
        const r = await tables(region, (c) => c.send(new GetTableBucketEncryptionCommand({ tableBucketARN: arn })));
        return r.ok ? { ...r, output: asEvidence(r.output) } : r;
      }
      case 'GetTableEncryption': {
        const r = await tables(region, (c) =>
          c.send(
            new GetTableEncryptionCommand({ tableBucketARN: arn, namespace: p.namespace ?? '', name: p.name ?? '' }),
          ),
        );
        return r.ok ? { ...r, output: asEvidence(r.output) } : r;
      }
    }
  };

  const bucketOnce = async (
    op: BucketOperation | BucketExtraOperation,
    bucket: string,
    region: string,
  ): Promise<CallResult<unknown>> => {
    if (op === 'ListBucketInventoryConfigurations') {
      const r = await allPages(
        (token) =>
          s3(region, (c) =>
            c.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token })),
          ),
        (p) => (p.IsTruncated ? p.NextContinuationToken : undefined),
      );
      if (!r.ok) return r;
      const list = r.output.flatMap(
        (p) => (asEvidence(p) as { InventoryConfigurationList?: unknown[] }).InventoryConfigurationList ?? [],
      );
      return { ...r, output: { InventoryConfigurationList: list, IsTruncated: false } };
    }
    const r = await s3(region, (c) => SINGLE_BUCKET_CALLS[op](c, bucket));
    if (r.ok && op === 'GetBucketLocation') {
      // S3 answers us-east-1 with an empty <LocationConstraint/>, which the SDK leaves out; the CLI prints null.
      const { LocationConstraint } = asEvidence(r.output) as { LocationConstraint?: string | null };
      return { ...r, output: { LocationConstraint: LocationConstraint ?? null } };
    }
    return r.ok ? { ...r, output: asEvidence(r.output) } : r;
  };

  return {
    account,
    mode: 'live',

    async listBuckets(): Promise<EvidenceRecord<ListBucketsOutput>> {
      const region = opts.defaultRegion;
      const r = await allPages(
        (token) =>
          s3(region, (c) =>
            c.send(new ListBucketsCommand({ MaxBuckets: opts.listBucketsPageSize, ContinuationToken: token })),
          ),
        (p) => p.ContinuationToken,
      );
      const meta = { operation: 's3:ListBuckets', parameters: {}, account, region };
      return toRecord(
        meta,
        r,
        () => {
          const pages = r.ok ? r.output.map((p) => asEvidence(p) as ListBucketsOutput) : [];
          return {
            Buckets: pages.flatMap((p) => p.Buckets ?? []),
            ...(pages[0]?.Owner ? { Owner: pages[0].Owner } : {}),
          };
        },
        now().toISOString(),
      );
    },

    async bucketCall(operation, bucket, region): Promise<EvidenceRecord> {
      // A region S3 named in a redirect beats the caller's guess (a stale ListBuckets region, say).
      let at = learnedRegion.get(bucket) ?? region ?? opts.defaultRegion;
      let r = await bucketOnce(operation, bucket, at);
      const hint = r.ok ? undefined : redirectRegion(r.cause);
      if (hint && hint !== at) {
        learnedRegion.set(bucket, hint);
        at = hint;
        r = await bucketOnce(operation, bucket, at); // once: a second redirect is recorded as the failure it is
      }
      const meta = { operation: `s3:${operation}`, parameters: { Bucket: bucket }, account, region: at };
      return toRecord(meta, r, () => (r.ok ? r.output : undefined), now().toISOString());
    },

    async listAliases(region: string): Promise<EvidenceRecord<ListAliasesOutput>> {
      const r = await allPages(
        (Marker) => kms(region, (c) => c.send(new ListAliasesCommand({ Marker }))),
        (p) => (p.Truncated ? p.NextMarker : undefined),
      );
      const meta = { operation: 'kms:ListAliases', parameters: {}, account, region };
      const list = mergedPages(r, 'Aliases', { Truncated: false });
      return toRecord(
        meta,
        list,
        () => (list.ok ? list.output : undefined),
        now().toISOString(),
      ) as EvidenceRecord<ListAliasesOutput>;
    },

    async keyCall(operation: KeyOperation | KeyExtraOperation, keyId: string, region: string): Promise<EvidenceRecord> {
      const parameters: Record<string, string> = { KeyId: keyId };
      let r: CallResult<unknown>;
      if (operation === 'ListResourceTags') {
        const pages = await allPages(
          (Marker) => kms(region, (c) => c.send(new ListResourceTagsCommand({ KeyId: keyId, Marker }))),
          (p) => (p.Truncated ? p.NextMarker : undefined),
        );
        r = mergedPages(pages, 'Tags', { Truncated: false });
      } else {
        if (operation === 'GetKeyPolicy') parameters.PolicyName = 'default';
        const single = await kms(region, (c) => {
          if (operation === 'DescribeKey') return c.send(new DescribeKeyCommand({ KeyId: keyId }));
          if (operation === 'GetKeyRotationStatus') return c.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
          return c.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
        });
        r = single.ok ? { ...single, output: asEvidence(single.output) } : single;
      }
      const meta = { operation: `kms:${operation}`, parameters, account, region };
      return toRecord(meta, r, () => (r.ok ? r.output : undefined), now().toISOString());
    },

    async directoryCall(operation: DirectoryOperation, bucket: string | undefined, region: string) {
      const r = withoutControlEndpoint(await directoryOnce(operation, bucket ?? '', region), region);
      const parameters: Record<string, string> = bucket === undefined ? {} : { Bucket: bucket };
      const meta = { operation: `s3express:${operation}`, parameters, account, region };
      return toRecord(meta, r, () => (r.ok ? r.output : undefined), now().toISOString());
    },

    async tablesCall(
      operation: TablesOperation,
      parameters: TablesParameters,
      region: string,
    ): Promise<EvidenceRecord> {
      const r = await tablesOnce(operation, parameters, region);
      const meta = { operation: `s3tables:${operation}`, parameters: { ...parameters }, account, region };
      return toRecord(meta, r, () => (r.ok ? r.output : undefined), now().toISOString());
    },
  };
}
