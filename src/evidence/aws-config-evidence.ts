import { z } from 'zod';
import { readOptionalEvidenceJson } from './read-evidence.js';
import type {
  DescribeConfigRulesOutput,
  DescribeConfigurationRecordersOutput,
  DescribeConfigurationRecorderStatusOutput,
  GetComplianceDetailsByConfigRuleOutput,
  GetResourceConfigHistoryOutput,
  HistoryResourceType,
} from './aws-config-shapes.js';
import type { HistoryWindow } from './aws-config-shapes.js';
import type { FiledRecord } from './record.js';
import type { WrittenEvidence } from './written-evidence.js';
import { EVIDENCE_DIR, readRecord, type EvidenceWriter } from './evidence-store.js';

/** What AWS Config answered in one region of one account. */
export interface AwsConfigRegionEvidence {
  region: string;
  recorders: FiledRecord<DescribeConfigurationRecordersOutput>;
  recorderStatus: FiledRecord<DescribeConfigurationRecorderStatusOutput>;
  /** Absent when the region has no configuration recorder: there is nothing further to read. */
  rules?: FiledRecord<DescribeConfigRulesOutput>;
  /** One per rule read (covered managed rules and the tenant's named rules found in the region). */
  compliance: Array<{ rule: string; record: FiledRecord<GetComplianceDetailsByConfigRuleOutput> }>;
  /** One per bucket and key of the tenant in this account and region. */
  history: Array<{
    resourceType: HistoryResourceType;
    resourceId: string;
    record: FiledRecord<GetResourceConfigHistoryOutput>;
    /**
     * The newest item at or before the period's start: the state the period's first change is compared
     * with. Read only when the period's history lists an item (absent otherwise: nothing to compare).
     */
    before?: FiledRecord<GetResourceConfigHistoryOutput>;
  }>;
}

export interface AwsConfigAccountEvidence {
  account: string;
  /** Why no AWS Config evidence exists for this account (e.g. an export without configservice/); absent when read. */
  notCollected?: string;
  regions: AwsConfigRegionEvidence[];
}

/** AWS Config evidence of the tenant's accounts, frozen under evidence/aws-config/ so `verify` re-derives the same section. */
export interface AwsConfigEvidence {
  window: HistoryWindow;
  /** Rule names from the tenant config (`awsConfigRules`), read beside the covered managed rules. */
  extraRules: string[];
  accounts: AwsConfigAccountEvidence[];
}

export const AWS_CONFIG_DIR = `${EVIDENCE_DIR}/aws-config`;
const INDEX = `${AWS_CONFIG_DIR}/index.json`;

interface RegionIndex {
  region: string;
  recorders: string;
  recorderStatus: string;
  rules?: string;
  compliance: Array<{ rule: string; file: string }>;
  history: Array<{ resourceType: HistoryResourceType; resourceId: string; file: string; before?: string }>;
}

/** The index's outline, as far as the loader walks it. */
const INDEX_SHAPE = z.looseObject({
  accounts: z.array(
    z.looseObject({
      account: z.string(),
      regions: z.array(
        z.looseObject({
          region: z.string(),
          recorders: z.string(),
          recorderStatus: z.string(),
          rules: z.string().optional(),
          compliance: z.array(z.looseObject({ rule: z.string(), file: z.string() })),
          history: z.array(z.looseObject({ file: z.string(), before: z.string().optional() })),
        }),
      ),
    }),
  ),
});

interface IndexFile {
  window: HistoryWindow;
  extraRules: string[];
  accounts: Array<{ account: string; notCollected?: string; regions: RegionIndex[] }>;
}

/** Records are already on disk (the collector wrote each as it came); this writes the index naming them. */
export async function writeAwsConfigEvidence(writer: EvidenceWriter, ev: AwsConfigEvidence): Promise<void> {
  const index: IndexFile = {
    window: ev.window,
    extraRules: ev.extraRules,
    accounts: ev.accounts.map((a) => ({
      account: a.account,
      ...(a.notCollected !== undefined ? { notCollected: a.notCollected } : {}),
      regions: a.regions.map((r) => ({
        region: r.region,
        recorders: r.recorders.file,
        recorderStatus: r.recorderStatus.file,
        ...(r.rules ? { rules: r.rules.file } : {}),
        compliance: r.compliance.map((c) => ({ rule: c.rule, file: c.record.file })),
        history: r.history.map((h) => ({
          resourceType: h.resourceType,
          resourceId: h.resourceId,
          file: h.record.file,
          ...(h.before ? { before: h.before.file } : {}),
        })),
      })),
    })),
  };
  await writer.writeJson(INDEX, index);
}

/**
 * Packets collected before AWS Config evidence existed have no index: null ("not collected by this
 * version"). `written`: what this run wrote into the folder, taken from memory instead of read back.
 */
export async function loadAwsConfigEvidence(
  packetDir: string,
  written?: WrittenEvidence,
): Promise<AwsConfigEvidence | null> {
  const readRecordOf = <T>(relative: string) => readRecord<T>(packetDir, relative, written);
  const index = await readOptionalEvidenceJson<IndexFile>(packetDir, INDEX, written, INDEX_SHAPE);
  if (index === undefined) return null;
  const accounts: AwsConfigAccountEvidence[] = [];
  for (const a of index.accounts) {
    const regions: AwsConfigRegionEvidence[] = [];
    for (const r of a.regions) {
      regions.push({
        region: r.region,
        recorders: await readRecordOf(r.recorders),
        recorderStatus: await readRecordOf(r.recorderStatus),
        ...(r.rules ? { rules: await readRecordOf<DescribeConfigRulesOutput>(r.rules) } : {}),
        compliance: await Promise.all(
          r.compliance.map(async (c) => ({
            rule: c.rule,
            record: await readRecordOf<GetComplianceDetailsByConfigRuleOutput>(c.file),
          })),
        ),
        history: await Promise.all(
          r.history.map(async (h) => ({
            resourceType: h.resourceType,
            resourceId: h.resourceId,
            record: await readRecordOf<GetResourceConfigHistoryOutput>(h.file),
            ...(h.before ? { before: await readRecordOf<GetResourceConfigHistoryOutput>(h.before) } : {}),
          })),
        ),
      });
    }
    accounts.push({
      account: a.account,
      ...(a.notCollected !== undefined ? { notCollected: a.notCollected } : {}),
      regions,
    });
  }
  return { window: index.window, extraRules: index.extraRules, accounts };
}
