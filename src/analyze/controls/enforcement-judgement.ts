import type { Enforcement } from '../../model/packet.js';
import type { Judgement } from './control.js';

/** yes passes; partial and no fail; unknown (unreadable or unparsable policy) is not evaluated. */
export function enforcementJudgement(bucket: string, e: Enforcement, evidence: string): Judgement {
  const facts = { level: e.level, statements: e.statements.join(', ') };
  if (e.level === 'yes') return { resource: bucket, verdict: 'pass', reason: e.reason, evidence: [evidence], facts };
  if (e.level === 'unknown')
    return { resource: bucket, verdict: 'not_evaluated', reason: e.reason, evidence: [evidence], facts };
  return { resource: bucket, verdict: 'fail', reason: e.reason, evidence: [evidence], facts };
}
