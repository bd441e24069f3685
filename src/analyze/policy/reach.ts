/**
 * What one statement does to one kind of request: shared by the SSE and TLS analyses.
 * A statement either cannot deny the request at all (a blocker), denies it for everyone and
 * everything in scope ('full'), or denies it only in part ('narrowed': some principals, some
 * objects, some actions, or only when an unrelated condition also holds).
 */
import { describeClause, evaluateClause, type ConditionClause, type Truth } from './conditions.js';
import type { PolicyStatement } from './document.js';

export type Outcome = 'full' | 'narrowed' | 'unknown' | 'none';

const OUTCOME_RANK: Record<Outcome, number> = { full: 3, narrowed: 2, unknown: 1, none: 0 };

export function strongest(outcomes: Outcome[]): Outcome {
  return outcomes.reduce<Outcome>((best, o) => (OUTCOME_RANK[o] > OUTCOME_RANK[best] ? o : best), 'none');
}

/** Lower-cased condition key → the request's value for it (undefined: absent from the request). */
export type RequestContext = Record<string, string | undefined>;

export interface ClauseVerdict {
  truth: Truth;
  /** The clause that made it false (or unknown), for the reason sentence. */
  decisive?: ConditionClause;
}

/** AND of the statement's clauses whose keys the request context defines. */
export function evaluateKnownClauses(conditions: ConditionClause[], context: RequestContext): ClauseVerdict {
  let unknown: ConditionClause | undefined;
  for (const clause of conditions) {
    if (!(clause.key in context)) continue;
    const truth = evaluateClause(clause, context[clause.key]);
    if (truth === false) return { truth: false, decisive: clause };
    if (truth === 'unknown') unknown ??= clause;
  }
  return unknown ? { truth: 'unknown', decisive: unknown } : { truth: true };
}

/** Clauses on keys the analysis does not vary: each limits the deny to requests that match it. */
export function narrowingConditions(conditions: ConditionClause[], knownKeys: readonly string[]): string[] {
  return conditions.filter((c) => !knownKeys.includes(c.key)).map((c) => `when ${describeClause(c)}`);
}

export function effectBlocker(statement: PolicyStatement): string | undefined {
  if (statement.effect === 'Deny') return undefined;
  if (statement.effect === 'Allow') return 'is an Allow statement, which grants access and cannot block anything';
  return statement.effect === ''
    ? 'has no Effect'
    : `has Effect "${statement.effect}" rather than "Deny" (the value is case-sensitive)`;
}

export function principalNarrowing(statement: PolicyStatement): string | undefined {
  return statement.principal.everyone ? undefined : `for ${statement.principal.description}`;
}

export function quoted(label: string): string {
  return `"${label}"`;
}

/** `Statement "A"` or `Statements "A" and "B"` (or `"A", "B" and "C"`). */
export function statementsPhrase(labels: string[]): string {
  const q = labels.map(quoted);
  if (q.length <= 1) return `Statement ${q[0] ?? ''}`;
  return `Statements ${q.slice(0, -1).join(', ')} and ${q[q.length - 1] ?? ''}`;
}

export function listPhrase(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}
