import type { FrameworkResult, Packet, ResourceVerdict } from '../../model/packet.js';
import type { Verdict } from '../../model/shared.js';
import type { CsvValue } from '../../format/csv.js';
import { frameworkRows } from '../framework-rows.js';

/**
 * exports/compliance-<framework>.csv in the shape of Prowler's compliance CSVs (the files auditors
 * already receive from it): one row per requirement × check (our control) × resource, Prowler's
 * column names first, ours after them. Mapping:
 * - Status: PASS and FAIL as Prowler writes them; an EXCEPTION is a FAIL with Muted = True (Prowler's
 *   muted finding: the failure is still reported); NOT EVALUATED and NOT APPLICABLE, which Prowler has
 *   no word for, are MANUAL (no automated verdict), StatusExtended saying which and why. Verdict holds
 *   our exact word, so nothing is lost.
 * - ResourceId: the key ARN for keys, the bucket name for buckets; ResourceName: alias or name.
 * - A control with no resources gives one row with its scope sentence and no resource.
 * - Comma-separated (RFC 4180), where Prowler writes semicolons.
 */
const COMPLIANCE_CSV_COLUMNS = [
  'Provider',
  'Description',
  'AccountId',
  'Region',
  'AssessmentDate',
  'Requirements_Id',
  'Requirements_Description',
  'Status',
  'StatusExtended',
  'ResourceId',
  'ResourceName',
  'CheckId',
  'Muted',
  'Framework',
  'Name',
  'Version',
  'Requirements_Status',
  'CheckTitle',
  'Verdict',
  'Evidence',
] as const;

const PROWLER_STATUS: Record<Verdict, 'PASS' | 'FAIL' | 'MANUAL'> = {
  pass: 'PASS',
  fail: 'FAIL',
  exception: 'FAIL',
  not_evaluated: 'MANUAL',
  not_applicable: 'MANUAL',
};

const VERDICT_WORD: Record<Verdict, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  exception: 'EXCEPTION',
  not_evaluated: 'NOT EVALUATED',
  not_applicable: 'NOT APPLICABLE',
};

interface Located {
  id: string;
  name: string;
  account: string;
  region: string;
}

/** Where each resource the controls name lives: buckets by name, keys by the reference the packet uses. */
function locator(packet: Packet): (resource: string) => Located {
  const known = new Map<string, Located>();
  for (const b of packet.buckets) known.set(b.name, { id: b.name, name: b.name, account: b.account, region: b.region });
  for (const k of packet.keys) {
    const at = { id: k.arn ?? k.reference, name: k.alias ?? k.reference, account: k.account, region: k.region };
    known.set(k.reference, at);
    if (k.arn) known.set(k.arn, at);
  }
  return (resource) => known.get(resource) ?? { id: resource, name: resource, account: '', region: '' };
}

function statusExtended(verdict: Verdict, reason: string): string {
  return verdict === 'not_evaluated' || verdict === 'not_applicable' ? `${VERDICT_WORD[verdict]}: ${reason}` : reason;
}

/** The records of one framework's compliance CSV, header first. */
export function* complianceCsvRecords(packet: Packet, fw: FrameworkResult): Generator<CsvValue[]> {
  yield [...COMPLIANCE_CSV_COLUMNS];
  const locate = locator(packet);
  for (const { requirement: r, control: c } of frameworkRows(packet, fw)) {
    const resources: Array<ResourceVerdict | undefined> = c.resources.length > 0 ? c.resources : [undefined];
    for (const res of resources) {
      const verdict = res?.verdict ?? c.verdict;
      const at = res ? locate(res.resource) : undefined;
      yield [
        'aws',
        fw.source,
        at?.account ?? '',
        at?.region ?? '',
        packet.generatedAt,
        r.id,
        r.title,
        PROWLER_STATUS[verdict],
        statusExtended(verdict, res?.reason ?? c.summary),
        at?.id ?? '',
        at?.name ?? '',
        c.id,
        verdict === 'exception' ? 'True' : 'False',
        fw.short,
        fw.name,
        fw.version,
        VERDICT_WORD[r.status],
        c.title,
        VERDICT_WORD[verdict],
        (res?.evidence ?? []).join(' '),
      ];
    }
  }
}
