import pLimit from 'p-limit';
import type { TenantConfig } from '../../config/schema.js';
import type { BucketEvidence, KeyEvidence } from '../../evidence/bundle.js';
import type { EvidenceRecord } from '../../evidence/record.js';
import { safeSegment, type EvidenceWriter } from '../../evidence/evidence-store.js';
import {
  AWS_CONFIG_DIR,
  type AwsConfigAccountEvidence,
  type AwsConfigEvidence,
  type AwsConfigRegionEvidence,
} from '../../evidence/aws-config-evidence.js';
import { parseKeyReference } from '../key-reference.js';
import {
  BUCKET_TYPE,
  COVERED_RULE_IDENTIFIERS,
  KEY_TYPE,
  type DescribeConfigRulesOutput,
  type HistoryResourceType,
} from '../../evidence/aws-config-shapes.js';
import type { AwsConfigSource } from './source.js';
import type { HistoryWindow } from '../../evidence/aws-config-shapes.js';
import { resourceTypeFolder } from './offline-config-source.js';
import { hasNoRecorder } from '../../evidence/aws-config-no-recorder.js';
import { DEFAULT_WORK } from '../live/options.js';

export interface CollectAwsConfigArgs {
  tenant: TenantConfig;
  window: HistoryWindow;
  /** The tenant's selected buckets and its keys: whose configuration history is read. */
  buckets: Array<Pick<BucketEvidence, 'name' | 'account' | 'region'>>;
  keys: Array<Pick<KeyEvidence, 'reference' | 'account' | 'region' | 'describe'>>;
  /** One source per tenant account that can be read. */
  sources: AwsConfigSource[];
  /** Tenant accounts without a source, and why (e.g. the export holds no configservice/ folder). */
  notCollected: Array<{ account: string; reason: string }>;
  writer: EvidenceWriter;
  /** Resources whose history is read at once per account and region (calls obey the source's own limits). */
  historyConcurrency?: number;
  /** Told each time one account's region has been read: regions done of all to read (progress). */
  onRegion?: (done: number, total: number) => void;
}

/** Resources whose history is read at once per account and region, by default. */
const DEFAULT_HISTORY_CONCURRENCY = DEFAULT_WORK.configHistory;

const covered: ReadonlySet<string> = new Set(COVERED_RULE_IDENTIFIERS);

/** The rules to read: every rule built on a covered managed rule, and every rule the tenant names. */
function rulesToRead(rules: DescribeConfigRulesOutput, extraRules: readonly string[]): string[] {
  const names = (rules.ConfigRules ?? [])
    .filter((r) => covered.has(r.Source?.SourceIdentifier ?? '') || extraRules.includes(r.ConfigRuleName ?? ''))
    .map((r) => r.ConfigRuleName)
    .filter((n): n is string => typeof n === 'string' && n.length > 0);
  return [...new Set(names)].sort();
}

/** The key id AWS Config records a key under: from DescribeKey, else from a key id or key ARN reference. */
export function configKeyId(k: Pick<KeyEvidence, 'reference' | 'describe'>): string | undefined {
  if (k.describe.outcome === 'ok') {
    const id = k.describe.response.KeyMetadata?.KeyId;
    if (id) return id;
  }
  const ref = parseKeyReference(k.reference);
  return ref.kind === 'key' ? ref.keyId : undefined;
}

interface HistoryTarget {
  resourceType: HistoryResourceType;
  resourceId: string;
}

/** Resources of one account and region whose history is read, sorted, without duplicates. */
function historyTargets(
  args: Pick<CollectAwsConfigArgs, 'buckets' | 'keys'>,
  account: string,
  region: string,
): HistoryTarget[] {
  const buckets = args.buckets.filter((b) => b.account === account && b.region === region).map((b) => b.name);
  const keys = args.keys
    .filter((k) => k.account === account && k.region === region)
    .map(configKeyId)
    .filter((id): id is string => id !== undefined);
  return [
    ...[...new Set(buckets)].sort().map((resourceId): HistoryTarget => ({ resourceType: BUCKET_TYPE, resourceId })),
    ...[...new Set(keys)].sort().map((resourceId): HistoryTarget => ({ resourceType: KEY_TYPE, resourceId })),
  ];
}

async function collectRegion(
  source: AwsConfigSource,
  region: string,
  args: CollectAwsConfigArgs,
): Promise<AwsConfigRegionEvidence> {
  const dir = `${AWS_CONFIG_DIR}/${source.account}/${region}`;
  const write = <T>(rel: string, rec: EvidenceRecord<T>) => args.writer.writeRecord(`${dir}/${rel}.json`, rec);
  const [recorders, recorderStatus] = await Promise.all([
    source.describeRecorders(region).then((r) => write('describe-configuration-recorders', r)),
    source.describeRecorderStatus(region).then((r) => write('describe-configuration-recorder-status', r)),
  ]);
  const evidence: AwsConfigRegionEvidence = { region, recorders, recorderStatus, compliance: [], history: [] };
  // No recorder: Config holds neither rules' results nor history here; that state is the evidence.
  if (hasNoRecorder(recorders)) return evidence;

  const rules = await write('describe-config-rules', await source.describeRules(region));
  evidence.rules = rules;
  const readRules =
    rules.outcome === 'ok'
      ? Promise.all(
          rulesToRead(rules.response, args.tenant.awsConfigRules ?? []).map(async (rule) => ({
            rule,
            record: await write(
              `get-compliance-details-by-config-rule/${safeSegment(rule)}`,
              await source.complianceDetails(region, rule),
            ),
          })),
        )
      : Promise.resolve([]);
  // History of many resources side by side; the source's limiter bounds the calls in flight, and a
  // region given up on answers every remaining resource at once (NotAttempted), each on its own record.
  const limit = pLimit(args.historyConcurrency ?? DEFAULT_HISTORY_CONCURRENCY);
  const readHistory = Promise.all(
    historyTargets(args, source.account, region).map((t) =>
      limit(async () => {
        const file = `get-resource-config-history/${resourceTypeFolder(t.resourceType)}/${safeSegment(t.resourceId)}`;
        const record = await write(
          file,
          await source.resourceHistory(region, t.resourceType, t.resourceId, args.window),
        );
        // The state before the period only says what the period's first change changed from: it is
        // read when the period's history lists an item, and nowhere else (most resources do not change).
        if (record.outcome !== 'ok' || (record.response.configurationItems ?? []).length === 0) return { ...t, record };
        const before = await write(
          `${file}.before`,
          await source.stateBefore(region, t.resourceType, t.resourceId, args.window.earlierTime),
        );
        return { ...t, record, before };
      }),
    ),
  );
  const [compliance, history] = await Promise.all([readRules, readHistory]);
  evidence.compliance.push(...compliance);
  evidence.history.push(...history);
  return evidence;
}

/**
 * Reads AWS Config in every configured region of every tenant account: recorder and its status,
 * the rules that cover this tool's controls with their per-resource results, and the period's
 * configuration history of each bucket and key. Every call becomes a record file; nothing is judged.
 */
export async function collectAwsConfig(args: CollectAwsConfigArgs): Promise<AwsConfigEvidence> {
  // Accounts and regions side by side, kept in the configured (account) and sorted (region) order.
  const accounts: Array<Promise<AwsConfigAccountEvidence>> = [];
  const sourceOf = new Map(args.sources.map((s) => [s.account, s]));
  const reasonOf = new Map(args.notCollected.map((n) => [n.account, n.reason]));
  const total = args.tenant.accounts.filter((a) => sourceOf.has(a.id)).reduce((n, a) => n + new Set(a.regions).size, 0);
  let done = 0;
  const regionRead = (r: AwsConfigRegionEvidence) => {
    args.onRegion?.(++done, total);
    return r;
  };
  for (const acct of args.tenant.accounts) {
    const source = sourceOf.get(acct.id);
    if (!source) {
      accounts.push(
        Promise.resolve({
          account: acct.id,
          notCollected: reasonOf.get(acct.id) ?? 'no AWS Config source for this account',
          regions: [],
        }),
      );
      continue;
    }
    accounts.push(
      Promise.all(
        [...new Set(acct.regions)].sort().map((region) => collectRegion(source, region, args).then(regionRead)),
      ).then((regions) => ({ account: acct.id, regions })),
    );
  }
  return {
    window: args.window,
    extraRules: [...(args.tenant.awsConfigRules ?? [])],
    accounts: await Promise.all(accounts),
  };
}
