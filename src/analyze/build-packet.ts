import type { TenantEvidence } from '../evidence/bundle.js';
import { ENCRYPTION_STATUSES } from '../evidence/inventory.js';
import {
  PACKET_SCHEMA_VERSION,
  type BucketResult,
  type ControlResult,
  type Finding,
  type KeyResult,
  type MissingEvidence,
  type Packet,
} from '../model/packet.js';
import { type SectionNotCollected } from '../model/shared.js';
import type { Wording } from '../wording/wording.js';
import { missingByResource } from '../format/missing-by-resource.js';
import { bucketResult } from './buckets.js';
import { CONTROLS } from './controls/index.js';
import { missingEvidence } from './completeness.js';
import { summariseCoverage } from './coverage.js';
import { evaluateControls, type ControlCatalog } from './evaluate-controls.js';
import { bySeverity } from '../model/severity.js';
import { governanceSections, trendSection, type GovernanceResult } from './governance.js';
import type { GovernanceEvidence } from '../evidence/governance-evidence.js';
import { keyResult } from './keys.js';
import { tableBucketsMissing, tableBucketsSection } from './table-buckets.js';
import { directoryBucketsMissing, directoryBucketsSection } from './directory-buckets.js';
import { importedMaterialFindings } from './key-custody.js';
import { decideStatus, unusableKeyFindings } from './status.js';
import type { LogExportRows } from '../model/export-rows.js';
import { guardrailSections } from './guardrail-sections.js';
import { firstByKey } from './lookup.js';
import { scopeByType } from './scope.js';
import type { LogEvidence } from '../evidence/log-evidence.js';
import { awsConfigSection } from './aws-config/index.js';
import { frameworkResults, selectFrameworks } from './controls/frameworks.js';
import { LEGACY_FRAMEWORKS } from '../config/frameworks.js';
import type { AwsConfigEvidence } from '../evidence/aws-config-evidence.js';

export interface AnalyzeInput {
  /** Baseline, exceptions register and earlier months as frozen at collection; null for older packets. */
  governance: GovernanceEvidence | null;
  evidence: TenantEvidence;
  /** Access-log and CloudTrail summaries; null per source when no location is configured. */
  logs: LogEvidence;
  catalog: ControlCatalog;
  wording: Wording;
  /** AWS Config evidence from evidence/aws-config/; null or absent for packets collected before it existed. */
  awsConfig?: AwsConfigEvidence | null;
}

/** The packet's completeness sentence: complete, or the first resources missing evidence and how many more. */
export function completenessText(missing: MissingEvidence[], wording: Wording, buckets: number, keys: number): string {
  if (missing.length === 0) return wording.t('packet.completeness.complete', { buckets, keys });
  const resources = missingByResource(missing);
  const shown = resources.slice(0, 3).map((r) =>
    wording.t('packet.completeness.group', {
      scope: r.scope,
      source: r.sources.join(', '),
      reason: r.reasons.join(', '),
    }),
  );
  if (resources.length > 3) shown.push(wording.t('packet.completeness.more', { count: resources.length - 3 }));
  return wording.t('packet.completeness.incomplete', { summary: shown.join('; ') });
}

/**
 * Every NOT EVALUATED verdict must be explained on the page. Unreadable evidence already is; this
 * adds what is left (rows without EncryptionStatus, no buckets in scope, a control that failed to
 * run), so "incomplete" never comes with an empty missing-evidence list.
 */
function unexplainedNotEvaluated(
  controls: ControlResult[],
  missing: MissingEvidence[],
  keys: KeyResult[],
): MissingEvidence[] {
  const named = new Set(missing.map((m) => m.scope));
  const scopeOf = (resource: string, controlId: string) => {
    const scope = CONTROLS.find((c) => c.id === controlId)?.scope;
    if (scope === 'tables') return resource.includes('/') ? `table ${resource}` : `table bucket ${resource}`;
    if (scope === 'directory buckets') return `directory bucket ${resource}`;
    if (scope !== 'keys') return `bucket ${resource}`;
    const key = firstByKey(keys, 'name', (k) => [k.alias, k.arn, k.reference].filter((n) => n !== undefined)).get(
      resource,
    );
    return `key ${key?.reference ?? resource}`;
  };
  const out: MissingEvidence[] = [];
  for (const c of controls) {
    if (c.resources.length === 0 && c.verdict === 'not_evaluated') {
      const scope = `control ${c.id}`;
      if (!named.has(scope)) out.push({ scope, source: c.id, reason: c.summary });
      named.add(scope);
    }
    for (const r of c.resources.filter((x) => x.verdict === 'not_evaluated')) {
      const scope = scopeOf(r.resource, c.id);
      if (named.has(scope)) continue;
      named.add(scope);
      out.push({ scope, source: c.id, reason: r.reason });
    }
  }
  return out;
}

/**
 * A failure covered by an active exception stays listed (auditors want to see it) but drops to
 * info and names the exception, so it no longer crowds the page's top findings.
 */
function markExcepted(
  findings: Array<Omit<Finding, 'id'>>,
  gov: GovernanceResult,
  wording: Wording,
): Array<Omit<Finding, 'id'>> {
  if (gov.exceptions.state !== 'evaluated') return findings;
  const byScope = new Map<string, { id: string; expires: string }>();
  for (const e of gov.exceptions.entries) {
    for (const resource of e.appliedTo) byScope.set(`${e.control}|${resource}`, { id: e.id, expires: e.expires ?? '' });
  }
  return findings.map((f) => {
    const ex = byScope.get(`${f.controlId}|${f.resource}`);
    return ex
      ? {
          ...f,
          severity: 'info' as const,
          text: wording.t('findings.excepted', { text: f.text, id: ex.id, expires: ex.expires }),
        }
      : f;
  });
}

/** Evidence in, Packet out: pure, so `verify` can re-derive packet.json byte for byte. */
export function buildPacket(input: AnalyzeInput): Packet {
  return analyzeEvidence(input).packet;
}

/** The Packet and the rows behind its log sections (for the exports), from one pass of the analysis. */
export function analyzeEvidence({
  evidence: ev,
  logs,
  governance,
  catalog,
  wording,
  awsConfig: configEvidence,
}: AnalyzeInput): { packet: Packet; rows: LogExportRows } {
  const keys = ev.keys.map((k) => keyResult(k, ev.accounts));
  const listBucketsFiles = new Map(ev.accounts.map((a) => [a.id, a.listBuckets.file]));
  // A bucket of an account the evidence does not list: only the evidence index claims it (completeness says so).
  const buckets = ev.buckets.map((b) =>
    bucketResult(b, ev.tenant, keys, listBucketsFiles.get(b.account) ?? 'evidence/index.json'),
  );
  // Evidence recorded before frameworks were selectable keeps the mapping its packet was issued with.
  const frameworks = selectFrameworks(catalog.frameworks, ev.tenant.frameworks ?? LEGACY_FRAMEWORKS);
  const tableBuckets = ev.tableBuckets ? tableBucketsSection(ev.tableBuckets, ev.keys, keys) : undefined;
  const directoryBuckets = ev.directoryBuckets
    ? directoryBucketsSection(ev.directoryBuckets, ev.tenant, keys)
    : undefined;
  const evaluated = evaluateControls(
    { buckets, keys, tableBuckets: tableBuckets?.buckets ?? [], directoryBuckets: directoryBuckets?.buckets ?? [] },
    { ...catalog, frameworks },
    wording,
  );
  const controlSeverity = new Map([...catalog.metadata].map(([id, meta]) => [id, meta.severity] as const));
  const gov = governanceSections(ev, governance, evaluated.controls, keys, wording, controlSeverity);
  const controls = gov.controls;
  const guardrails = guardrailSections(ev, logs, keys, wording);
  // AWS Config's verdicts beside the controls' (after exceptions), and its configuration history.
  const awsConfig = awsConfigSection({
    config: configEvidence ?? null,
    tenant: ev.tenant,
    period: ev.period,
    buckets,
    keys,
    controls,
    cloudTrail: logs.cloudTrail,
    wording,
  });
  const findings = [
    ...markExcepted(evaluated.findings, gov, wording),
    ...unusableKeyFindings(keys, wording),
    ...importedMaterialFindings(keys, ev.period.endUtc, wording),
    ...gov.findings,
    ...guardrails.findings,
    ...awsConfig.findings,
  ].sort((a, b) => bySeverity(a.severity, b.severity));
  const missing = [
    ...missingEvidence(
      ev,
      new Map(buckets.filter((b) => b.policyState === 'unparsable').map((b) => [b.name, b.sseEnforcement.reason])),
    ),
    ...guardrails.missing,
    ...awsConfig.missing,
    ...(tableBuckets ? tableBucketsMissing(tableBuckets) : []),
    ...(directoryBuckets ? directoryBucketsMissing(directoryBuckets) : []),
  ];
  missing.push(...unexplainedNotEvaluated(controls, missing, keys));
  const coverage = summariseCoverage(buckets.map((b) => b.coverage));
  const notEvaluatedControls = controls.filter((c) => c.verdict === 'not_evaluated').length;
  const complete = missing.length === 0 && notEvaluatedControls === 0;
  const {
    status,
    failing,
    notEvaluated,
    critical,
    reason: statusReason,
  } = decideStatus({ controls, findings, complete, wording });
  const headline = wording.t(`packet.headline.${status}`, {
    controls: controls.length,
    failing,
    notEvaluated,
    critical,
  });
  // Keys whose material KMS cannot rotate automatically (imported, custom key store) are not counted.
  const customerKeys = keys.filter((k) => k.manager !== 'AWS' && k.rotation.state !== 'not_supported');
  const reportDates = [
    ...new Set(buckets.flatMap((b) => (b.coverage.state === 'measured' ? [b.coverage.reportDate.slice(0, 10)] : []))),
  ].sort();
  const notCollected: SectionNotCollected = { state: 'not_collected', reason: wording.t('packet.sectionNotCollected') };
  const scopeTypes = scopeByType(ev, buckets.length);
  const bucketsInScope = scopeTypes.reduce((n, t) => n + t.inScope, 0);
  const packet: Packet = {
    schemaVersion: PACKET_SCHEMA_VERSION,
    tool: ev.run.tool,
    tenant: { id: ev.tenant.id, displayName: ev.tenant.displayName, timeZone: ev.tenant.timeZone },
    operator: ev.run.operator,
    period: ev.period,
    generatedAt: ev.run.startedAt,
    ...(ev.run.provisional ? { provisional: true as const } : {}),
    collection: {
      mode: ev.run.mode,
      ...(ev.run.identity ? { identity: ev.run.identity } : {}),
      configSha256: ev.run.configSha256,
    },
    status,
    statusReason,
    headline,
    // Every bucket type in scope: general purpose, directory and table buckets.
    completeness: { complete, missing, text: completenessText(missing, wording, bucketsInScope, keys.length) },
    kpis: {
      objectsPct: coverage.objectsPct,
      bytesPct: coverage.bytesPct,
      coverageBasis:
        coverage.measuredBuckets === 0
          ? wording.t('packet.coverageBasis.none')
          : wording.t('packet.coverageBasis.some', {
              measured: coverage.measuredBuckets,
              total: coverage.totalBuckets,
            }),
      defaultEncryption: {
        enabled: buckets.filter((b) => b.defaultEncryption.state === 'enabled').length,
        total: buckets.length,
      },
      sseEnforced: { yes: buckets.filter((b) => b.sseEnforcement.level === 'yes').length, total: buckets.length },
      tlsEnforced: { yes: buckets.filter((b) => b.tlsEnforcement.level === 'yes').length, total: buckets.length },
      keysRotating: {
        rotating: customerKeys.filter((k) => k.rotation.state === 'enabled').length,
        total: customerKeys.length,
      },
    },
    coverage,
    encryptionStatuses: ENCRYPTION_STATUSES,
    buckets,
    scope: { types: scopeTypes },
    excludedBuckets: ev.excludedBuckets,
    scopeUndetermined: ev.undeterminedBuckets,
    keys,
    ...(tableBuckets ? { tableBuckets } : {}),
    ...(directoryBuckets ? { directoryBuckets } : {}),
    controls,
    frameworks: frameworkResults(frameworks, controls),
    findings: findings.map((f, i) => ({ id: `F-${String(i + 1).padStart(3, '0')}`, ...f })),
    sections: {
      deniedUploads: guardrails.deniedUploads,
      keyUsage: guardrails.keyUsage,
      drift: gov.drift,
      awsConfig: awsConfig.section,
      exceptions: gov.exceptions,
      trend: notCollected,
    },
    sources: {
      inventory:
        coverage.measuredBuckets === 0
          ? wording.t('packet.sources.inventory.none', { notMeasured: notMeasuredText(buckets, wording) })
          : wording.t('packet.sources.inventory.some', {
              dates: reportDates.join(', '),
              measured: coverage.measuredBuckets,
              total: buckets.length,
              notMeasured: notMeasuredText(buckets, wording),
              versions: wording.t(`packet.sources.inventory.versions.${coverage.objectVersions ?? 'current'}`),
              deleteMarkers: coverage.deleteMarkers ?? 0,
            }),
      accessLogs: guardrails.sources.accessLogs,
      cloudTrail: guardrails.sources.cloudTrail,
    },
    evidence: ev.files,
  };
  // The trend needs this month's figures, so it is the last thing added.
  packet.sections.trend = trendSection(governance, packet);
  return { packet, rows: guardrails.rows };
}

/** Buckets not measured, by why: "1 report unreadable, 1 not delivered"; "" when every bucket was measured. */
function notMeasuredText(buckets: readonly BucketResult[], wording: Wording): string {
  const counts = new Map<string, number>();
  for (const b of buckets) {
    const c = b.coverage;
    if (c.state === 'measured') continue;
    const why = c.state === 'unverified' ? 'unreadable' : (c.cause ?? 'unknown');
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  return [...counts]
    .map(([why, n]) => wording.t(`packet.sources.inventory.notMeasured.${why}`, { n }))
    .join(wording.t('packet.sources.inventory.notMeasuredSeparator'));
}
