import pLimit from 'p-limit';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import type { AccountEvidence, BucketEvidence, ExcludedBucket, RunInfo, TenantEvidence } from '../evidence/bundle.js';
import type { InventoryEvidence } from '../evidence/inventory.js';
import type { FiledRecord } from '../evidence/record.js';
import { EvidenceWriter, evidencePaths, writeEvidenceIndex } from '../evidence/evidence-store.js';
import { listedBucketRegions } from '../evidence/listed-region.js';
import { hashTree } from '../util/hash.js';
import { copyWith } from '../util/copy-with.js';
import { parseKeyReference } from './key-reference.js';
import { KeyReads, type KeyRead } from './key-reads.js';
import { DEFAULT_WORK } from './live/options.js';
import { collectTableBuckets } from './table-buckets.js';
import { collectDirectoryBuckets } from './directory-buckets.js';
import { regionFromLocationConstraint, selectByName, selectByTags } from './select-buckets.js';
import {
  BUCKET_EXTRA_OPERATIONS,
  type AccountSource,
  type BucketExtraOperation,
  type BucketOperation,
} from './source.js';

const CLI_FILE: Record<BucketOperation | BucketExtraOperation, string> = {
  GetBucketLocation: 'get-bucket-location.json',
  GetBucketTagging: 'get-bucket-tagging.json',
  GetBucketEncryption: 'get-bucket-encryption.json',
  GetBucketPolicy: 'get-bucket-policy.json',
  GetPublicAccessBlock: 'get-public-access-block.json',
  GetBucketPolicyStatus: 'get-bucket-policy-status.json',
  GetBucketLogging: 'get-bucket-logging.json',
  ListBucketInventoryConfigurations: 'list-bucket-inventory-configurations.json',
  GetBucketVersioning: 'get-bucket-versioning.json',
  GetObjectLockConfiguration: 'get-object-lock-configuration.json',
};

/** Reads one bucket's inventory; supplied by the caller so live and offline runs share this code. */
export type InventoryReader = (args: {
  bucket: string;
  account: string;
  unencryptedCsvPath: string;
  unencryptedCsvRelative: string;
}) => Promise<InventoryEvidence>;

export interface CollectProgress {
  phase: 'buckets' | 'keys' | 'inventory';
  account: string;
  done: number;
  total: number;
}

/** Phases of collectTenant whose wall time is reported (never written into the evidence). */
type CollectPhase = 'buckets' | 'keys' | 'inventory';

/** How much proceeds side by side; calls themselves are bounded by the sources' own limits. */
interface CollectWork {
  /** Buckets read at once per account. */
  buckets: number;
  /** Keys read at once. */
  keys: number;
  /** Buckets whose inventory report is read at once. */
  inventory: number;
}

const DEFAULT_COLLECT_WORK: CollectWork = {
  buckets: DEFAULT_WORK.buckets,
  keys: DEFAULT_WORK.keys,
  inventory: DEFAULT_WORK.inventory,
};

export interface CollectTenantArgs {
  tenant: TenantConfig;
  period: Period;
  run: RunInfo;
  sources: AccountSource[];
  readInventory: InventoryReader;
  writer: EvidenceWriter;
  /** Buckets processed at once per account (each bucket makes several calls); overrides `work.buckets`. */
  bucketConcurrency?: number;
  work?: Partial<CollectWork>;
  onProgress?: (p: CollectProgress) => void;
  /** Told each phase's wall time in ms, once it ends. */
  onPhaseTime?: (phase: CollectPhase, ms: number) => void;
  /** Accounts of the tenant that had no usable source (e.g. no offline export configured). */
  missingAccounts?: Array<{ account: string; message: string }>;
  /** Told of each bucket as soon as it is selected (so later phases can start reading it). */
  onBucketSelected?: (bucket: { account: string; name: string; region?: string }) => void;
  /** Told of each key reference as soon as its key is read (so later phases can start reading it). */
  onKeyRead?: (key: KeyRead) => void;
}

/** Collects every piece of S3/KMS evidence for one tenant and writes it to the evidence folder. */
export async function collectTenant(args: CollectTenantArgs): Promise<TenantEvidence> {
  const { tenant, writer } = args;
  const accounts: AccountEvidence[] = [];
  const excluded: ExcludedBucket[] = [];
  const undetermined: ExcludedBucket[] = [];
  const problems = (args.missingAccounts ?? []).map((m) => ({ scope: `account ${m.account}`, message: m.message }));
  const sourceByAccount = new Map(args.sources.map((s) => [s.account, s]));
  const work = {
    ...DEFAULT_COLLECT_WORK,
    ...args.work,
    ...(args.bucketConcurrency ? { buckets: args.bucketConcurrency } : {}),
  };
  // Keys are read while buckets still are: each as soon as a bucket (or the config) names it.
  const keyReads = new KeyReads(
    sourceByAccount,
    writer,
    work.keys,
    (p) => args.onProgress?.({ phase: 'keys', ...p }),
    args.onKeyRead,
  );
  for (const arn of tenant.kmsKeys) {
    const ref = parseKeyReference(arn);
    keyReads.want(arn, ref.account ?? tenant.accounts[0]!.id, ref.region ?? 'us-east-1', 'config');
  }
  const timed = async <T>(phase: CollectPhase, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      args.onPhaseTime?.(phase, performance.now() - started);
    }
  };

  // Table buckets are read beside the general purpose ones; their keys join the same key reads.
  const tableBucketsRead = collectTableBuckets({ tenant, sources: args.sources, writer, keyReads });
  const directoryBucketsRead = collectDirectoryBuckets({ tenant, sources: args.sources, writer, keyReads });
  // Accounts side by side (each has its own limits); their results are merged in the configured order.
  const perAccount = await timed('buckets', () =>
    Promise.all(
      args.sources.map(async (source) => {
        const account = source.account;
        const listBuckets = await writer.writeRecord(
          `${evidencePaths.account(account)}/s3/list-buckets.json`,
          await source.listBuckets(),
        );
        if (listBuckets.outcome !== 'ok') return { account, listBuckets, results: [] };
        const listed = listBuckets.response.Buckets ?? [];
        const names = [...new Set(listed.map((b) => b.Name).filter((n): n is string => typeof n === 'string'))].sort();
        const listedRegion = listedBucketRegions(listBuckets);
        const limit = pLimit(work.buckets);
        let done = 0;
        const results = await Promise.all(
          names.map((name) =>
            limit(async () => {
              const r = await collectBucket(source, name, listedRegion.get(name), args);
              if (r.kind === 'selected') {
                wantBucketKey(keyReads, r.bucket);
                args.onBucketSelected?.(r.bucket);
              }
              args.onProgress?.({ phase: 'buckets', account, done: ++done, total: names.length });
              return r;
            }),
          ),
        );
        return { account, listBuckets, results };
      }),
    ),
  );
  const selected: Array<Omit<BucketEvidence, 'inventory'>> = [];
  for (const { account, listBuckets, results } of perAccount) {
    accounts.push({ id: account, listBuckets, aliases: [] });
    // A failed ListBuckets is missing evidence of the account (analyze/completeness.ts names it).
    if (listBuckets.outcome !== 'ok') continue;
    const listed = listBuckets.response.Buckets ?? [];
    for (const dup of duplicates(listed.map((b) => b.Name ?? ''))) {
      problems.push({
        scope: `bucket ${dup.name}`,
        message: `${listBuckets.file}: s3:ListBuckets lists bucket ${dup.name} ${dup.times} times; it is counted once`,
      });
    }
    for (const r of results) {
      if (r.kind === 'excluded') {
        excluded.push(r.excluded);
        continue;
      }
      if (r.kind === 'undetermined') {
        undetermined.push(r.bucket);
        continue;
      }
      selected.push(r.bucket);
    }
  }
  const tableBuckets = await tableBucketsRead;
  const directoryBuckets = await directoryBucketsRead;
  const keys = await timed('keys', () => keyReads.gather(accounts));
  const buckets = await timed('inventory', () => readInventories(selected, args, work.inventory));
  const evidence = {
    run: args.run,
    tenant,
    period: args.period,
    accounts,
    buckets: buckets.sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name)),
    excludedBuckets: excluded.sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name)),
    undeterminedBuckets: undetermined.sort(
      (a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name),
    ),
    keys,
    tableBuckets,
    directoryBuckets,
    collectionProblems: problems,
  };
  await writeEvidenceIndex(writer, evidence);
  return { ...evidence, files: await hashTree(writer.packetDir, 'evidence', writer.written.fileHashes()) };
}

/** The KMS key a selected bucket's default encryption names (alias/aws/s3 when it names none). */
function wantBucketKey(keyReads: KeyReads, bucket: Omit<BucketEvidence, 'inventory'>): void {
  const enc = bucket.encryption;
  if (enc.outcome !== 'ok') return;
  const rule = enc.response.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  if (rule?.SSEAlgorithm?.startsWith('aws:kms'))
    keyReads.want(rule.KMSMasterKeyID ?? 'alias/aws/s3', bucket.account, bucket.region ?? 'us-east-1', bucket.name);
}

type BucketOutcome =
  | { kind: 'selected'; bucket: Omit<BucketEvidence, 'inventory'> }
  | { kind: 'excluded'; excluded: ExcludedBucket }
  /** Tags decide membership and could not be read: neither in scope nor out of it. */
  | { kind: 'undetermined'; bucket: ExcludedBucket };

async function collectBucket(
  source: AccountSource,
  name: string,
  listedRegion: string | undefined,
  args: CollectTenantArgs,
): Promise<BucketOutcome> {
  const { writer, tenant } = args;
  const account = source.account;
  const byName = selectByName(name, tenant.buckets);
  if (!byName.selected) return { kind: 'excluded', excluded: { name, account, reason: byName.reason } };

  const dir = evidencePaths.bucket(account, name);
  const call = async (op: BucketOperation | BucketExtraOperation, region: string | undefined) =>
    writer.writeRecord(`${dir}/${CLI_FILE[op]}`, await source.bucketCall(op, name, region));

  // ListBuckets' BucketRegion is the region's evidence when it gave one; only otherwise is S3 asked.
  const location = listedRegion === undefined ? await call('GetBucketLocation', undefined) : undefined;
  let region = listedRegion;
  if (location?.outcome === 'ok') {
    region = regionFromLocationConstraint(
      (location.response as { LocationConstraint?: string | null }).LocationConstraint,
    );
  }
  const tagging = await call('GetBucketTagging', region);
  const byTags = selectByTags(tagging as FiledRecord<never>, tenant.buckets);
  if (byTags.selected === false) return { kind: 'excluded', excluded: { name, account, reason: byTags.reason } };
  if (byTags.selected === 'undecidable')
    return { kind: 'undetermined', bucket: { name, account, reason: byTags.reason } };
  const [encryption, policy, publicAccessBlock, ...extraRecords] = await Promise.all([
    call('GetBucketEncryption', region),
    call('GetBucketPolicy', region),
    call('GetPublicAccessBlock', region),
    ...BUCKET_EXTRA_OPERATIONS.map((op) => call(op, region)),
  ]);
  const extra = Object.fromEntries(BUCKET_EXTRA_OPERATIONS.map((op, i) => [op, extraRecords[i]!]));
  return {
    kind: 'selected',
    bucket: {
      name,
      account,
      ...(region ? { region } : {}),
      ...(location ? { location } : {}),
      tagging,
      encryption,
      policy,
      publicAccessBlock,
      extra,
    } as Omit<BucketEvidence, 'inventory'>,
  };
}

/** Each selected bucket's S3 Inventory report, `limit` buckets at a time. */
async function readInventories(
  selected: Array<Omit<BucketEvidence, 'inventory'>>,
  args: CollectTenantArgs,
  limit: number,
): Promise<BucketEvidence[]> {
  const { writer } = args;
  const run = pLimit(limit);
  let done = 0;
  return Promise.all(
    selected.map((b) =>
      run(async () => {
        const dir = evidencePaths.bucket(b.account, b.name);
        const inventoryFile = `${dir}/inventory.json`;
        const csvRelative = `${dir}/unencrypted-objects.csv`;
        const inventory = await args.readInventory({
          bucket: b.name,
          account: b.account,
          unencryptedCsvPath: writer.abs(csvRelative),
          unencryptedCsvRelative: csvRelative,
        });
        await writer.writeJson(inventoryFile, inventory);
        args.onProgress?.({ phase: 'inventory', account: b.account, done: ++done, total: selected.length });
        const { extra, ...read } = b;
        return copyWith(read, { inventory: copyWith(inventory, { file: inventoryFile }), extra });
      }),
    ),
  );
}

/** Names that occur more than once, with how often. */
function duplicates(names: string[]): Array<{ name: string; times: number }> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts]
    .filter(([, times]) => times > 1)
    .map(([name, times]) => ({ name, times }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
