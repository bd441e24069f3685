/**
 * The packet's status, decided in one place. COMPLIANT needs all three: no control failing, no
 * active critical finding (critical drift, a weakening key-policy change, a key in use that is
 * disabled or pending deletion), and complete evidence. A failing control or an active critical
 * finding is ATTENTION whatever else holds; otherwise missing evidence is INCOMPLETE.
 * A critical finding covered by an active exception has already dropped to info: it is not active.
 */
import type { ControlResult, Finding, KeyResult, OverallStatus } from '../model/packet.js';
import type { Wording } from '../wording/wording.js';

/** KMS KeyState values in which data under the key can no longer be decrypted (or soon will not be). */
const UNUSABLE_KEY_STATES: ReadonlySet<string> = new Set([
  'Disabled',
  'PendingDeletion',
  'PendingReplicaDeletion',
  'Unavailable',
  'PendingImport',
]);

export interface StatusDecision {
  status: OverallStatus;
  failing: number;
  notEvaluated: number;
  critical: number;
  /** One sentence: why the status is what it is, naming the first critical finding. */
  reason: string;
}

export function decideStatus(args: {
  controls: ControlResult[];
  findings: Array<Pick<Finding, 'severity' | 'text'>>;
  complete: boolean;
  wording: Wording;
}): StatusDecision {
  const failing = args.controls.filter((c) => c.verdict === 'fail').length;
  const notEvaluated = args.controls.filter((c) => c.verdict === 'not_evaluated').length;
  const criticals = args.findings.filter((f) => f.severity === 'critical');
  const critical = criticals.length;
  const status: OverallStatus = failing > 0 || critical > 0 ? 'attention' : args.complete ? 'compliant' : 'incomplete';
  const reason = args.wording.t(`packet.status.reason.${status}`, {
    failing,
    critical,
    notEvaluated,
    first: criticals[0]?.text ?? '',
  });
  return { status, failing, notEvaluated, critical, reason };
}

/** A customer-managed key in use whose state makes its data unreadable is a critical finding. */
export function unusableKeyFindings(keys: KeyResult[], wording: Wording): Array<Omit<Finding, 'id'>> {
  return keys
    .filter((k) => k.manager === 'CUSTOMER' && k.state !== undefined && UNUSABLE_KEY_STATES.has(k.state))
    .map((k) => ({
      severity: 'critical' as const,
      controlId: 'kms-key-state',
      resource: k.alias ?? k.arn ?? k.reference,
      text: wording.t('findings.keyState.unusable', {
        key: k.alias ?? k.arn ?? k.reference,
        state: wording.t(`findings.keyState.states.${k.state}`),
        usedBy: k.usedBy.join(', '),
      }),
      evidence: k.evidence,
    }));
}
