import { BUCKET_TYPE } from '../../evidence/aws-config-shapes.js';
import type { CloudTrailScan } from '../../evidence/log-scans.js';
import type { TenantConfig } from '../../config/schema.js';
import type { FiledRecord } from '../../evidence/record.js';
import type { AwsConfigSection, ResourceHistory } from '../../model/config-sections.js';
import type { BucketResult, ControlResult, Finding, KeyResult, MissingEvidence } from '../../model/packet.js';
import type { Wording } from '../../wording/wording.js';
import type { AwsConfigEvidence } from '../../evidence/aws-config-evidence.js';
import { trailEventsById } from './authors.js';
import { ruleRows } from './compliance.js';
import { historyByResource, isNotRecorded, resourceHistory } from './history.js';
import { joinKey } from '../lookup.js';
import { recorderRows } from './recorders.js';
import { keyByConfigId, keyName } from './rule-controls.js';

export interface AwsConfigInput {
  /** null: the packet's evidence predates AWS Config collection. */
  config: AwsConfigEvidence | null;
  tenant: Pick<TenantConfig, 'accounts'>;
  period: { startUtc: string; endUtc: string };
  buckets: BucketResult[];
  keys: KeyResult[];
  /** Controls after exceptions: an excepted FAIL is still AWS's NON_COMPLIANT. */
  controls: ControlResult[];
  cloudTrail: CloudTrailScan[] | null;
  wording: Wording;
}

export interface AwsConfigResult {
  section: AwsConfigSection;
  /** Disagreements between AWS and this packet. */
  findings: Array<Omit<Finding, 'id'>>;
  /** Config calls refused or failed: the packet is then incomplete. "Not recording" is a state, never here. */
  missing: MissingEvidence[];
}

function failed(rec: FiledRecord | undefined, scope: string): MissingEvidence[] {
  if (!rec || rec.outcome === 'ok' || rec.outcome === 'not_configured' || isNotRecorded(rec)) return [];
  return [{ scope, source: rec.operation, reason: `${rec.error.code}: ${rec.error.message}` }];
}

function missingOf(ev: AwsConfigEvidence, history: ResourceHistory[]): MissingEvidence[] {
  const missing: MissingEvidence[] = [];
  for (const a of ev.accounts) {
    for (const r of a.regions) {
      const scope = `AWS Config ${a.account}/${r.region}`;
      missing.push(...failed(r.recorders, scope), ...failed(r.recorderStatus, scope), ...failed(r.rules, scope));
      for (const c of r.compliance)
        missing.push(...failed(c.record, `AWS Config rule ${c.rule} (${a.account}/${r.region})`));
      for (const h of r.history) {
        const name =
          historyByResource(history).get(joinKey(a.account, r.region, h.resourceType, h.resourceId))?.resource ??
          h.resourceId;
        const scope = `${h.resourceType === BUCKET_TYPE ? 'bucket' : 'key'} ${name}`;
        // `before` only tells what the period's first change changed from; without it that item says so.
        missing.push(...failed(h.record, scope));
      }
    }
  }
  return missing;
}

/** The AWS Config section, its disagreement findings and its missing evidence. Pure. */
export function awsConfigSection(input: AwsConfigInput): AwsConfigResult {
  const { config: ev, wording: w } = input;
  if (!ev)
    return {
      section: { state: 'not_collected', reason: w.t('packet.sectionNotCollected') },
      findings: [],
      missing: [],
    };
  if (ev.accounts.every((a) => a.notCollected !== undefined)) {
    const reasons = ev.accounts
      .map((a) => w.t('awsConfig.accountReason', { account: a.account, reason: a.notCollected }))
      .join('; ');
    return {
      section: { state: 'not_collected', reason: w.t('awsConfig.notCollected', { reasons }) },
      findings: [],
      missing: [],
    };
  }
  const events = trailEventsById(input.cloudTrail);
  const history: ResourceHistory[] = [];
  for (const a of ev.accounts) {
    for (const r of a.regions) {
      for (const h of r.history) {
        const key =
          h.resourceType === BUCKET_TYPE ? undefined : keyByConfigId(input.keys, a.account, r.region, h.resourceId);
        const resource = key ? keyName(key) : h.resourceId;
        const target = {
          account: a.account,
          region: r.region,
          resourceType: h.resourceType,
          resourceId: h.resourceId,
          resource,
        };
        history.push(
          resourceHistory(
            target,
            { record: h.record, ...(h.before ? { before: h.before } : {}) },
            input.period,
            events,
            w,
          ),
        );
      }
    }
  }
  history.sort(
    (x, y) =>
      x.account.localeCompare(y.account) ||
      x.region.localeCompare(y.region) ||
      x.resourceType.localeCompare(y.resourceType) ||
      x.resource.localeCompare(y.resource),
  );
  const recorders = recorderRows(ev, input.tenant, w);
  const rules = ruleRows(ev, { buckets: input.buckets, keys: input.keys, controls: input.controls, history }, w);
  const findings: Array<Omit<Finding, 'id'>> = rules.flatMap((rule) =>
    rule.resources
      .filter((row) => row.agreement === 'disagree')
      .map((row) => ({
        severity: 'medium' as const,
        controlId: 'aws-config',
        resource: row.resource,
        text: w.t('findings.awsConfig.disagreement', { resource: row.resource, explanation: row.explanation ?? '' }),
        evidence: rule.evidence,
      })),
  );
  const all = rules.flatMap((r) => r.resources);
  return {
    section: {
      state: 'collected',
      period: { startUtc: input.period.startUtc, endUtc: input.period.endUtc },
      recorders,
      rules,
      history,
      counts: {
        rules: rules.filter((r) => r.state !== 'not_found').length,
        evaluations: all.length,
        agree: all.filter((r) => r.agreement === 'agree').length,
        disagree: all.filter((r) => r.agreement === 'disagree').length,
        notComparable: all.filter((r) => r.agreement === 'not_comparable').length,
        changes: history.reduce((n, h) => n + h.changes.length, 0),
        notRecording: recorders.filter((r) => r.state === 'not_recording').length,
      },
    },
    findings,
    missing: missingOf(ev, history),
  };
}
