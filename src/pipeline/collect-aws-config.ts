import {
  collectAwsConfig,
  CONFIG_EXPORT_DIR,
  hasConfigExport,
  offlineConfigSource,
  type AwsConfigSource,
  type HistoryWindow,
} from '../collect/aws-config/index.js';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import type { TenantEvidence } from '../evidence/bundle.js';
import type { AwsConfigEvidence } from '../evidence/aws-config-evidence.js';
import type { EvidenceWriter } from '../evidence/evidence-store.js';

/** The configuration history read for a period: the period itself. */
export function historyWindow(period: Period): HistoryWindow {
  return { earlierTime: period.startUtc, laterTime: period.endUtc };
}

/**
 * AWS Config for every tenant account: from its offline export when it has one (an export without a
 * configservice/ folder is "not collected", with that reason), otherwise from the live sources given.
 */
export async function collectAwsConfigEvidence(args: {
  tenant: TenantConfig;
  period: Period;
  evidence: Pick<TenantEvidence, 'buckets' | 'keys'>;
  writer: EvidenceWriter;
  /** When the offline exports were made. */
  collectedAt: string;
  live?: AwsConfigSource[];
  /** Live accounts that could not be reached, and why. */
  liveProblems?: Array<{ account: string; message: string }>;
  /** Resources whose history is read at once per account and region. */
  historyConcurrency?: number;
  /** Told each time an account's region has been read: regions done of all to read. */
  onRegion?: (done: number, total: number) => void;
}): Promise<AwsConfigEvidence> {
  const sources: AwsConfigSource[] = [];
  const notCollected: Array<{ account: string; reason: string }> = [];
  for (const a of args.tenant.accounts) {
    if (a.offlineExport) {
      if (await hasConfigExport(a.offlineExport))
        sources.push(offlineConfigSource({ account: a.id, folder: a.offlineExport, collectedAt: args.collectedAt }));
      else
        notCollected.push({
          account: a.id,
          reason: `the offline export ${a.offlineExport} has no ${CONFIG_EXPORT_DIR}/ folder`,
        });
      continue;
    }
    const live = args.live?.find((s) => s.account === a.id);
    if (live) sources.push(live);
    else {
      const problem = args.liveProblems?.find((p) => p.account === a.id)?.message;
      notCollected.push({ account: a.id, reason: problem ?? 'AWS Config is not read for live accounts in this run' });
    }
  }
  return collectAwsConfig({
    tenant: args.tenant,
    window: historyWindow(args.period),
    buckets: args.evidence.buckets,
    keys: args.evidence.keys,
    sources,
    notCollected,
    writer: args.writer,
    ...(args.historyConcurrency ? { historyConcurrency: args.historyConcurrency } : {}),
    ...(args.onRegion ? { onRegion: args.onRegion } : {}),
  });
}
