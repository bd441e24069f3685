/** Words every section of the packet shares: a verdict, a severity, a section that was not collected. */

/**
 * Per resource and per control. `not_evaluated` always carries the reason. `exception`: a FAIL
 * covered by an active entry of the tenant's exceptions register (set only by applyExceptions).
 */
export type Verdict = 'pass' | 'fail' | 'not_evaluated' | 'not_applicable' | 'exception';

export type { Severity } from './severity.js';

export type SectionNotCollected = { state: 'not_collected'; reason: string };
