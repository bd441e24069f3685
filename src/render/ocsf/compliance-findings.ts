/**
 * The packet's control results as OCSF Compliance Finding events (class_uid 2003, category Findings),
 * one per control and resource, in the shape Security Hub, Security Lake and most SIEMs ingest.
 * Everything comes from packet.json: the time is the packet's generatedAt (from the evidence, never the
 * clock), ids are built from tenant, period, control and resource, and evidence is cited by its path
 * inside the packet, so the same packet always gives the same lines on any machine.
 */
import type { ControlResult, Packet, ResourceVerdict } from '../../model/packet.js';
import type { Severity, Verdict } from '../../model/shared.js';

export const OCSF_VERSION = '1.3.0';
export const OCSF_EXPORT = 'exports/ocsf-compliance-findings.jsonl';

const CLASS_UID = 2003;
const CATEGORY_UID = 2;
/** Create: each packet is a new evaluation of the period; its findings are new events, never edits of last month's. */
const ACTIVITY_ID = 1;

interface OcsfResource {
  uid: string;
  name: string;
  type: string;
  region?: string;
}

export interface ComplianceFindingEvent {
  activity_id: number;
  activity_name: string;
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  start_time: number;
  end_time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  message: string;
  metadata: {
    version: string;
    uid: string;
    product: { name: string; vendor_name: string; version: string };
    tenant_uid: string;
    labels: string[];
  };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    created_time: number;
    types: string[];
    data_sources?: string[];
  };
  compliance: {
    control: string;
    standards: string[];
    requirements?: string[];
    status_id: number;
    status: string;
    status_detail: string;
  };
  remediation: { desc: string };
  cloud?: { provider: string; account?: { uid: string; type_id: number; type: string }; region?: string };
  resources: OcsfResource[];
  unmapped: { tenant: string; period: string; verdict: Verdict; scope: string };
}

/** compliance.status_id: Pass 1, Warning 2 (no result: information missing), Fail 3, Other 99. */
const COMPLIANCE_STATUS: Record<Verdict, { id: number; caption: string }> = {
  pass: { id: 1, caption: 'Pass' },
  fail: { id: 3, caption: 'Fail' },
  // A FAIL covered by an active exception is still a failure; the finding's own status says it is suppressed.
  exception: { id: 3, caption: 'Fail' },
  // NOT EVALUATED: evidence missing or unreadable. OCSF's Warning is "did not yield a result due to missing information".
  not_evaluated: { id: 2, caption: 'Warning' },
  not_applicable: { id: 99, caption: 'Not Applicable' },
};

/** Finding status_id: New 1, Suppressed 3, Resolved 4. */
const FINDING_STATUS: Record<Verdict, { id: number; caption: string }> = {
  pass: { id: 4, caption: 'Resolved' },
  fail: { id: 1, caption: 'New' },
  exception: { id: 3, caption: 'Suppressed' },
  not_evaluated: { id: 1, caption: 'New' },
  not_applicable: { id: 4, caption: 'Resolved' },
};

/** severity_id: Unknown 0, Informational 1, Low 2, Medium 3, High 4, Critical 5. */
const SEVERITY: Record<Severity, { id: number; caption: string }> = {
  info: { id: 1, caption: 'Informational' },
  low: { id: 2, caption: 'Low' },
  medium: { id: 3, caption: 'Medium' },
  high: { id: 4, caption: 'High' },
  critical: { id: 5, caption: 'Critical' },
};
const UNKNOWN_SEVERITY = { id: 0, caption: 'Unknown' };

const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`packet.json: "${iso}" is not a date`);
  return t;
};

const awsAccount = (uid: string) => ({ uid, type_id: 10, type: 'AWS Account' });

/**
 * The packet's buckets, keys and findings by the names verdicts use, made once per export: looking
 * each verdict's resource and finding up by scanning the lists made the export quadratic (10,000
 * buckets: a scan of 10,000 buckets for each of some 70,000 verdicts). Each name keeps the first
 * entry that carries it, as a scan in list order finds.
 */
interface PacketIndex {
  buckets: Map<string, Packet['buckets'][number]>;
  keys: Map<string, Packet['keys'][number]>;
  /** controlId -> the control's first finding, and its first finding per resource. */
  findings: Map<string, { first: Packet['findings'][number]; byResource: Map<string, Packet['findings'][number]> }>;
}

function firstBy<T>(map: Map<string, T>, name: string | undefined, value: T): void {
  if (name !== undefined && !map.has(name)) map.set(name, value);
}

function indexPacket(packet: Packet): PacketIndex {
  const index: PacketIndex = { buckets: new Map(), keys: new Map(), findings: new Map() };
  for (const b of packet.buckets) firstBy(index.buckets, b.name, b);
  for (const k of packet.keys) for (const name of [k.arn, k.reference, k.alias]) firstBy(index.keys, name, k);
  for (const f of packet.findings) {
    const of = index.findings.get(f.controlId);
    if (!of) index.findings.set(f.controlId, { first: f, byResource: new Map([[f.resource, f]]) });
    else firstBy(of.byResource, f.resource, f);
  }
  return index;
}

/** The resource a verdict names: a bucket of the packet, a key (by ARN, reference or alias), else as named. */
function resourceOf(index: PacketIndex, name: string): { resource: OcsfResource; account?: string; region?: string } {
  const bucket = index.buckets.get(name);
  if (bucket)
    return {
      resource: {
        uid: `arn:aws:s3:::${bucket.name}`,
        name: bucket.name,
        type: 'AWS::S3::Bucket',
        region: bucket.region,
      },
      account: bucket.account,
      region: bucket.region,
    };
  const key = index.keys.get(name);
  if (key)
    return {
      resource: {
        uid: key.arn ?? key.reference,
        name,
        type: 'AWS::KMS::Key',
        region: key.region,
      },
      account: key.account,
      region: key.region,
    };
  return { resource: { uid: name, name, type: 'Other' } };
}

/** Severity of a resource's result: its finding's, for a failure; informational for a pass or N/A. */
function severityOf(index: PacketIndex, control: ControlResult, r: ResourceVerdict | undefined, verdict: Verdict) {
  if (verdict === 'pass' || verdict === 'not_applicable') return SEVERITY.info;
  const of = index.findings.get(control.id);
  const finding = r === undefined ? of?.first : of?.byResource.get(r.resource);
  return finding ? SEVERITY[finding.severity] : UNKNOWN_SEVERITY;
}

/** Framework names (with versions) that map this control, and "<short> <requirement>" for each requirement. */
function standardsOf(packet: Packet, control: ControlResult): { standards: string[]; requirements: string[] } {
  if (packet.frameworks) {
    const mapping = packet.frameworks
      .map((fw) => ({ fw, reqs: fw.requirements.filter((q) => q.controls.includes(control.id)) }))
      .filter((m) => m.reqs.length > 0);
    return {
      standards: mapping.map((m) => m.fw.name),
      requirements: mapping.flatMap((m) => m.reqs.map((q) => `${m.fw.short} ${q.id}`)),
    };
  }
  // Schema-1 packets carry the mapping on the controls only.
  return {
    standards: [...new Set(control.references.map((r) => r.framework))],
    requirements: control.references.map((r) => `${r.short ?? r.framework} ${r.id}`),
  };
}

const idPart = (s: string) => encodeURIComponent(s);

function event(
  packet: Packet,
  index: PacketIndex,
  control: ControlResult,
  r: ResourceVerdict | undefined,
): ComplianceFindingEvent {
  const verdict = r?.verdict ?? control.verdict;
  const subject = r ? resourceOf(index, r.resource) : undefined;
  const time = ms(packet.generatedAt);
  const severity = severityOf(index, control, r, verdict);
  const { standards, requirements } = standardsOf(packet, control);
  const uid = [
    's3-evidence',
    idPart(packet.tenant.id),
    packet.period.label,
    idPart(control.id),
    ...(r ? [idPart(r.resource)] : []),
  ].join('/');
  const reason = r?.reason ?? control.summary;
  const cloud = subject?.account
    ? {
        provider: 'AWS',
        account: awsAccount(subject.account),
        ...(subject.region ? { region: subject.region } : {}),
      }
    : undefined;
  return {
    activity_id: ACTIVITY_ID,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_ID,
    type_name: 'Compliance Finding: Create',
    time,
    start_time: ms(packet.period.startUtc),
    // The period's end is exclusive; OCSF's end_time is the last moment that contributed.
    end_time: ms(packet.period.endUtc) - 1,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: FINDING_STATUS[verdict].id,
    status: FINDING_STATUS[verdict].caption,
    message: r ? `${control.title}: ${r.resource}: ${reason}` : `${control.title}: ${reason}`,
    metadata: {
      version: OCSF_VERSION,
      uid,
      product: { name: packet.tool.name, vendor_name: packet.tool.name, version: packet.tool.version },
      tenant_uid: packet.tenant.id,
      labels: [...(packet.provisional ? ['provisional'] : []), ...(packet.completeness.complete ? [] : ['incomplete'])],
    },
    finding_info: {
      uid,
      title: r ? `${control.title}: ${r.resource}` : control.title,
      desc: control.passes,
      created_time: time,
      types: ['S3 encryption evidence'],
      ...(r && r.evidence.length > 0 ? { data_sources: r.evidence } : {}),
    },
    compliance: {
      control: control.id,
      standards: standards.length > 0 ? standards : [`${packet.tool.name} controls`],
      ...(requirements.length > 0 ? { requirements } : {}),
      status_id: COMPLIANCE_STATUS[verdict].id,
      status: COMPLIANCE_STATUS[verdict].caption,
      status_detail: verdict === 'exception' ? `excepted: ${reason}` : reason,
    },
    remediation: { desc: control.remediation },
    ...(cloud ? { cloud } : {}),
    resources: subject ? [subject.resource] : [],
    unmapped: { tenant: packet.tenant.id, period: packet.period.label, verdict, scope: control.summary },
  };
}

/**
 * One event per control and resource it judged; a control that judged no resource gives one event of
 * its own. Made one at a time as they are asked for: 10,000 buckets give some 100,000 events.
 */
export function* complianceFindingEvents(packet: Packet): Generator<ComplianceFindingEvent> {
  const index = indexPacket(packet);
  for (const c of packet.controls) {
    if (c.resources.length === 0) yield event(packet, index, c, undefined);
    else for (const r of c.resources) yield event(packet, index, c, r);
  }
}

export function complianceFindings(packet: Packet): ComplianceFindingEvent[] {
  return [...complianceFindingEvents(packet)];
}

/** JSON lines: one event per line, each ending in a newline, one line at a time. */
export function* complianceFindingLinePieces(packet: Packet): Generator<string> {
  for (const e of complianceFindingEvents(packet)) yield `${JSON.stringify(e)}\n`;
}

/** JSON lines: one event per line, each ending in a newline. */
export function complianceFindingLines(packet: Packet): string {
  return [...complianceFindingLinePieces(packet)].join('');
}
