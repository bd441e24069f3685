import pLimit from 'p-limit';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import type {
  DescribeKeyOutput,
  GetKeyPolicyOutput,
  GetKeyRotationStatusOutput,
  ListAliasesOutput,
} from '../evidence/aws-shapes.js';
import type {
  AccountEvidence,
  BucketEvidence,
  ExcludedBucket,
  KeyEvidence,
  RunInfo,
  TenantEvidence,
} from '../evidence/bundle.js';
import type { InventoryEvidence } from '../evidence/inventory.js';
import type { FiledRecord } from '../evidence/record.js';
import { EvidenceWriter, evidencePaths, safeSegment, writeEvidenceIndex } from '../evidence/evidence-store.js';
import { hashTree } from '../util/hash.js';
import { parseKeyReference } from './key-reference.js';
import { DEFAULT_WORK } from './live/options.js';
import { regionFromLocationConstraint, selectByName, selectByTags } from './select-buckets.js';
import {
  BUCKET_EXTRA_OPERATIONS,
  type AccountSource,
  type BucketExtraOperation,
  type BucketOperation,
  type KeyExtraOperation,
  type KeyOperation,
} from './source.js';

const CLI_FILE: Record<BucketOperation | BucketExtraOperation | KeyOperation | KeyExtraOperation, string> = {
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
  DescribeKey: 'describe-key.json',
  GetKeyRotationStatus: 'get-key-rotation-status.json',
  GetKeyPolicy: 'get-key-policy.json',
  ListResourceTags: 'list-resource-tags.json',
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
}

interface KeyWanted {
  reference: string;
  account: string;
  /** The tenant account that referenced the key; keys in other accounts are read through it. */
  via: string;
  region: string;
  referencedBy: Set<string>;
}

/** Collects every piece of S3/KMS evidence for one tenant and writes it to the evidence folder. */
export async function collectTenant(args: CollectTenantArgs): Promise<TenantEvidence> {
  const { tenant, writer } = args;
  const accounts: AccountEvidence[] = [];
  const excluded: ExcludedBucket[] = [];
  const undetermined: ExcludedBucket[] = [];
  const problems = (args.missingAccounts ?? []).map((m) => ({ scope: `account ${m.account}`, message: m.message }));
  const keysWanted = new Map<string, KeyWanted>();
  const sourceByAccount = new Map(args.sources.map((s) => [s.account, s]));

  const wantKey = (reference: string, account: string, region: string, by: string) => {
    const ref = parseKeyReference(reference);
    const owner = ref.account ?? account;
    const keyRegion = ref.region ?? region;
    const id = `${owner}|${keyRegion}|${reference}`;
    const entry = keysWanted.get(id) ?? {
      reference,
      account: owner,
      via: account,
      region: keyRegion,
      referencedBy: new Set<string>(),
    };
    entry.referencedBy.add(by);
    keysWanted.set(id, entry);
  };

  const work = {
    ...DEFAULT_COLLECT_WORK,
    ...args.work,
    ...(args.bucketConcurrency ? { buckets: args.bucketConcurrency } : {}),
  };
  const timed = async <T>(phase: CollectPhase, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      args.onPhaseTime?.(phase, performance.now() - started);
    }
  };

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
        const listedRegion = new Map(listed.map((b) => [b.Name, b.BucketRegion]));
        const limit = pLimit(work.buckets);
        let done = 0;
        const results = await Promise.all(
          names.map((name) =>
            limit(async () => {
              const r = await collectBucket(source, name, listedRegion.get(name), args);
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
      const enc = r.bucket.encryption;
      if (enc.outcome === 'ok') {
        const rule = enc.response.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        if (rule?.SSEAlgorithm?.startsWith('aws:kms')) {
          wantKey(rule.KMSMasterKeyID ?? 'alias/aws/s3', account, r.bucket.region ?? 'us-east-1', r.bucket.name);
        }
      }
    }
  }
  for (const arn of tenant.kmsKeys) {
    const ref = parseKeyReference(arn);
    wantKey(arn, ref.account ?? tenant.accounts[0]!.id, ref.region ?? 'us-east-1', 'config');
  }

  const keys = await timed('keys', () =>
    collectKeys([...keysWanted.values()], sourceByAccount, accounts, args, work.keys),
  );
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
    collectionProblems: problems,
  };
  await writeEvidenceIndex(writer, evidence);
  return { ...evidence, files: await hashTree(writer.packetDir, 'evidence', writer.written.fileHashes()) };
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

  const location = await call('GetBucketLocation', listedRegion);
  let region = listedRegion;
  if (!region && location.outcome === 'ok') {
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
      location,
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
        return { ...read, inventory: { ...inventory, file: inventoryFile }, extra };
      }),
    ),
  );
}

/** One key as read: the records every reference that resolves to it shares. */
type KeyReads = Pick<KeyEvidence, 'describe' | 'rotation' | 'policy' | 'extra'>;

/** A wanted reference with the key it names, as far as the account's aliases tell. */
interface ResolvedWant {
  want: KeyWanted;
  source: AccountSource;
  /** What KMS is asked with for this reference: the reference, or the key id its alias targets. */
  keyId: string;
  /** The key (or, unresolved, the alias) the reference names, in its account and region. */
  identity: string;
  /** Folder segment of the key's records. */
  folder: string;
}

/**
 * Reads every wanted key once: references are first resolved (aliases through ListAliases, key ARNs
 * and bare key ids to their key id), and all references to one key in one account and region share
 * one set of reads (DescribeKey, rotation, policy, tags), asked by the key ARN when one of them gives
 * it (cross-account keys can only be read by ARN), else by key id. Each reference keeps its own
 * KeyEvidence, pointing at the shared records.
 */
async function collectKeys(
  wanted: KeyWanted[],
  sources: Map<string, AccountSource>,
  accounts: AccountEvidence[],
  args: CollectTenantArgs,
  concurrency: number,
): Promise<KeyEvidence[]> {
  const { writer } = args;
  const aliasCache = new Map<string, Promise<FiledRecord<ListAliasesOutput>>>();
  wanted.sort(
    (a, b) =>
      a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.reference.localeCompare(b.reference),
  );
  const aliasesOf = (account: string, region: string) => {
    const cacheKey = `${account}|${region}`;
    let aliases = aliasCache.get(cacheKey);
    if (!aliases) {
      const source = sources.get(account)!;
      aliases = (async () =>
        writer.writeRecord(
          `${evidencePaths.account(account)}/kms/${safeSegment(region)}/list-aliases.json`,
          await source.listAliases(region),
        ))();
      aliasCache.set(cacheKey, aliases);
    }
    return aliases;
  };
  const resolve = async (w: KeyWanted): Promise<ResolvedWant | undefined> => {
    // A key in an account the tenant does not list is read through the account that referenced it.
    const source = sources.get(w.account) ?? sources.get(w.via);
    if (!source) return undefined;
    const ref = parseKeyReference(w.reference);
    let keyId = w.reference;
    // Aliases are read for every region of an own account's keys: they name keys on the page.
    const aliases = source.account === w.account ? await aliasesOf(w.account, w.region) : undefined;
    if (ref.kind === 'alias' && aliases?.outcome === 'ok') {
      const target = aliases.response.Aliases?.find((a) => a.AliasName === ref.aliasName)?.TargetKeyId;
      if (target) keyId = target;
    }
    const resolved = parseKeyReference(keyId);
    const folder = resolved.kind === 'key' ? resolved.keyId : resolved.aliasName;
    return { want: w, source, keyId, identity: `${w.account}|${w.region}|${resolved.kind}|${folder}`, folder };
  };
  // Alias lists are asked for in the wanted (sorted) order, all at once.
  const resolved = (await Promise.all(wanted.map(resolve))).filter((r): r is ResolvedWant => r !== undefined);
  const groups = new Map<string, ResolvedWant[]>();
  for (const r of resolved) groups.set(r.identity, [...(groups.get(r.identity) ?? []), r]);

  let done = 0;
  const limit = pLimit(concurrency);
  const readOnce = async (members: ResolvedWant[]): Promise<KeyReads> => {
    const first = members[0]!;
    const { source, folder } = first;
    const { account, region } = first.want;
    const keyId = members.find((m) => m.keyId.startsWith('arn:'))?.keyId ?? first.keyId;
    const dir = evidencePaths.key(account, region, folder);
    const call = async <T>(op: KeyOperation | KeyExtraOperation) =>
      (await writer.writeRecord(`${dir}/${CLI_FILE[op]}`, {
        ...(await source.keyCall(op, keyId, region)),
        account,
      })) as FiledRecord<T>;
    const describe = await call<DescribeKeyOutput>('DescribeKey');
    const reads: KeyReads = { describe };
    if (describe.outcome === 'ok') {
      const customer = describe.response.KeyMetadata?.KeyManager === 'CUSTOMER';
      const [rotation, policy, tags] = await Promise.all([
        customer ? call<GetKeyRotationStatusOutput>('GetKeyRotationStatus') : undefined,
        call<GetKeyPolicyOutput>('GetKeyPolicy'),
        customer ? call('ListResourceTags') : undefined,
      ]);
      if (rotation) reads.rotation = rotation;
      reads.policy = policy;
      if (tags) reads.extra = { ListResourceTags: tags };
    }
    args.onProgress?.({ phase: 'keys', account, done: ++done, total: groups.size });
    return reads;
  };
  const reads = new Map([...groups].map(([identity, members]) => [identity, limit(() => readOnce(members))] as const));
  const keys: KeyEvidence[] = [];
  for (const r of resolved) {
    const read = await reads.get(r.identity)!;
    keys.push({
      reference: r.want.reference,
      referencedBy: [...r.want.referencedBy].sort(),
      account: r.want.account,
      region: r.want.region,
      ...read,
    });
  }
  // Alias lists in the order they were first needed (keys start in sorted order), whatever order they finished in.
  for (const [cacheKey, rec] of aliasCache) {
    const account = cacheKey.split('|')[0];
    accounts.find((a) => a.id === account)?.aliases.push(await rec);
  }
  return keys;
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
