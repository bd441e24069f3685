import type { TenantEvidence } from '../evidence/bundle.js';
import type { DeniedUploadsSection, KeyUsageSection } from '../model/log-sections.js';
import type { LogProblem, SkippedSummary } from '../evidence/log-scans.js';
import type { Finding, KeyResult, MissingEvidence } from '../model/packet.js';
import type { Wording } from '../wording/wording.js';
import type { LogEvidence } from '../evidence/log-evidence.js';
import type { LogExportRows } from '../model/export-rows.js';
import { mergeDeniedUploads } from './guardrails/merge-denied-uploads.js';
import { aliasTargets, summariseKeyUsage } from './guardrails/key-usage.js';

/** Key-management events that can weaken encryption: each is worth a line among the findings. */
const WEAKENING_KEY_EVENTS: ReadonlySet<string> = new Set([
  'DisableKeyRotation',
  'DisableKey',
  'ScheduleKeyDeletion',
  'PutKeyPolicy',
  'CreateGrant',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
]);

export interface GuardrailSections {
  /** Unexpected principals and weakening key events, as findings. */
  findings: Array<Omit<Finding, 'id'>>;
  deniedUploads: DeniedUploadsSection;
  keyUsage: KeyUsageSection;
  /** Lines or files of the logs that could not be read: the packet is then incomplete. */
  missing: MissingEvidence[];
  sources: { accessLogs: string; cloudTrail: string };
  /** Every row behind the two sections, for the exports (empty for a section not collected). */
  rows: LogExportRows;
}

function problemsAsMissing(source: string, problems: LogProblem[], skipped: SkippedSummary): MissingEvidence[] {
  const out = problems.map((p) => ({
    scope: p.file,
    source,
    reason: p.line ? `line ${p.line}: ${p.message}` : p.message,
  }));
  if (skipped.count > 0) {
    const first = skipped.samples[0];
    out.push({
      scope: first?.file ?? source,
      source,
      reason: `${skipped.count} malformed ${skipped.count === 1 ? 'record' : 'records'} skipped${first ? ` (first: line ${first.line ?? '?'}: ${first.message})` : ''}`,
    });
  }
  return out;
}

/** The denied-uploads and key-usage sections from the log summaries in evidence/logs/. */
export function guardrailSections(
  ev: TenantEvidence,
  logs: LogEvidence,
  keys: KeyResult[],
  wording: Wording,
): GuardrailSections {
  const period = { startUtc: ev.period.startUtc, endUtc: ev.period.endUtc, timeZone: ev.period.timeZone };
  const denied = mergeDeniedUploads({
    period,
    accessLogs: logs.accessLogs,
    cloudTrail: logs.cloudTrail,
    buckets: ev.buckets.map((b) => b.name),
  });
  const usage = summariseKeyUsage({
    period,
    cloudTrail: logs.cloudTrail,
    expectedPrincipals: { tenant: ev.tenant.keyPrincipals.expected, perKey: ev.tenant.keyPrincipals.perKey },
    keys: keys.filter((k) => k.arn && k.manager !== 'AWS').map((k) => k.arn!),
    aliases: aliasTargets(ev.accounts),
  });
  const missing: MissingEvidence[] = [];
  if (denied.section.state === 'collected') {
    missing.push(...problemsAsMissing('access logs / CloudTrail', denied.section.problems, denied.section.skipped));
  }
  if (usage.section.state === 'collected' && denied.section.state !== 'collected') {
    missing.push(...problemsAsMissing('CloudTrail', usage.section.problems, usage.section.skipped));
  }
  const describe = (
    scans: Array<{ location: string; filesRead: number; recordsInPeriod: number }> | null,
    kind: string,
  ) =>
    scans === null
      ? wording.t('packet.sources.logs.none', { kind })
      : wording.t('packet.sources.logs.read', {
          kind,
          files: scans.reduce((n, s) => n + s.filesRead, 0),
          records: scans.reduce((n, s) => n + s.recordsInPeriod, 0),
        });
  const findings: Array<Omit<Finding, 'id'>> = [];
  if (usage.section.state === 'collected') {
    const nameOf = (arn: string) => keys.find((k) => k.arn === arn)?.alias ?? arn;
    for (const k of usage.section.keys) {
      for (const u of k.unexpectedPrincipals) {
        findings.push({
          severity: 'high',
          controlId: 'key-usage',
          resource: nameOf(k.keyArn),
          text: wording.t('findings.keyUsage.unexpected', {
            key: nameOf(k.keyArn),
            principal: u.principal,
            calls: u.calls,
            operations: u.operations.join(', '),
          }),
          evidence: [],
        });
      }
      for (const e of k.managementEvents.filter((m) => WEAKENING_KEY_EVENTS.has(m.eventName) && !m.errorCode)) {
        findings.push({
          severity: 'medium',
          controlId: 'key-usage',
          resource: nameOf(k.keyArn),
          text: wording.t('findings.keyUsage.event', {
            key: nameOf(k.keyArn),
            event: e.eventName,
            principal: e.principal,
            time: e.time.slice(0, 16).replace('T', ' '),
          }),
          evidence: [],
        });
      }
    }
  }
  return {
    findings,
    deniedUploads: denied.section,
    keyUsage: usage.section,
    missing,
    sources: {
      accessLogs: describe(logs.accessLogs, 'access logs'),
      cloudTrail: describe(logs.cloudTrail, 'CloudTrail'),
    },
    rows: {
      deniedUploads: denied.section.state === 'collected' ? denied.rows : [],
      keyUsage: usage.section.state === 'collected' ? usage.rows : [],
      keyEvents: usage.section.state === 'collected' ? usage.managementEvents : [],
    },
  };
}
