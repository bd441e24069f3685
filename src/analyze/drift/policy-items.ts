/** Drift items shared by bucket and key policies: unreadable sides, and one item per statement change. */
import type { PolicySnapshot } from '../../evidence/baseline-snapshot.js';
import type { DriftItem } from '../../model/governance-sections.js';
import type { Severity } from '../../model/severity.js';
import { canonicalPolicy, stableStringify, type CanonicalStatement } from './canonical.js';
import { diffStatements, type StatementChange } from './statements.js';

export type PolicyState = PolicySnapshot | { state: 'not_collected' };

export interface Subject {
  resource: string;
  resourceType: 'bucket' | 'key';
}

/** Severity of one statement change, with a clause saying why when it matters. */
export type Classify = (change: StatementChange) => { severity: Severity; note?: string; weakens?: string[] };

function describeState(p: PolicyState): string {
  switch (p.state) {
    case 'unreadable':
      return `unreadable (${p.errorCode})`;
    case 'unparsable':
      return p.repeatedKey ? `a document with no single reading (${p.error})` : 'not valid JSON';
    case 'not_collected':
      return 'not collected';
    case 'none':
      return 'absent';
    case 'present':
      return 'present';
  }
}

/** What the state says, without request-specific detail (error messages carry request ids). */
function stateIdentity(p: PolicyState): string {
  if (p.state === 'unreadable') return `unreadable:${p.errorCode}`;
  if (p.state === 'unparsable') return `unparsable:${p.text}`;
  if (p.state === 'present') return `present:${stableStringify(p.document)}`;
  return p.state;
}

function sameState(a: PolicyState, b: PolicyState): boolean {
  return stateIdentity(a) === stateIdentity(b);
}

function valueOf(p: PolicyState): unknown {
  if (p.state === 'present') return p.document;
  if (p.state === 'unparsable') return p.text;
  return p;
}

/** An item saying the two sides cannot be compared, or undefined when both are readable policies (or both absent). */
export function notComparable(
  subject: Subject,
  what: string,
  before: PolicyState,
  after: PolicyState,
): DriftItem | undefined {
  const readable = (p: PolicyState) => p.state === 'present' || p.state === 'none';
  if (readable(before) && readable(after)) return undefined;
  if (sameState(before, after)) return undefined;
  const side = readable(after)
    ? `was ${describeState(before)} when the baseline was approved`
    : `is ${describeState(after)} now`;
  return {
    ...subject,
    kind: 'not_comparable',
    severity: 'medium',
    summary: `The ${what} of ${named(subject)} cannot be compared with the baseline: it ${side}.`,
    before: valueOf(before),
    after: valueOf(after),
  };
}

export function named(subject: Subject): string {
  return `${subject.resourceType} ${subject.resource}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function label(s: CanonicalStatement): string {
  return s.sid !== undefined ? `"${s.sid}"` : s.label;
}

export function statementItem(subject: Subject, what: string, change: StatementChange, classify: Classify): DriftItem {
  const { severity: judged, note, weakens } = classify(change);
  const severity = { severity: judged, ...(weakens ? { weakens } : {}) };
  const tail = note ? `: ${note}` : '';
  switch (change.kind) {
    case 'added':
      return {
        ...subject,
        kind: 'policy_statement_added',
        ...severity,
        summary: `${capitalise(what)} of ${named(subject)}: statement ${label(change.after)} added${tail}.`,
        statement: change.after.label,
        before: null,
        after: change.after.original,
      };
    case 'removed':
      return {
        ...subject,
        kind: 'policy_statement_removed',
        ...severity,
        summary: `${capitalise(what)} of ${named(subject)}: statement ${label(change.before)} removed${tail}.`,
        statement: change.before.label,
        before: change.before.original,
        after: null,
      };
    case 'changed':
      return {
        ...subject,
        kind: 'policy_statement_changed',
        ...severity,
        summary: `${capitalise(what)} of ${named(subject)}: statement ${label(change.after)} changed (${change.changedFields.join(', ')})${tail}.`,
        statement: change.after.label,
        changedFields: change.changedFields,
        before: change.before.original,
        after: change.after.original,
      };
  }
}

/**
 * Statement changes between two present policies, or a not-comparable item when either document
 * cannot be put in canonical form (and they differ).
 */
export function statementChanges(
  subject: Subject,
  what: string,
  before: unknown,
  after: unknown,
): { changes: StatementChange[] } | { item: DriftItem | undefined } {
  const b = canonicalPolicy(before);
  const a = canonicalPolicy(after);
  if (b.ok && a.ok) return { changes: diffStatements(b.statements, a.statements) };
  if (stableStringify(before) === stableStringify(after)) return { item: undefined };
  const problem = !a.ok ? a.error : !b.ok ? b.error : '';
  return {
    item: {
      ...subject,
      kind: 'not_comparable',
      severity: 'medium',
      summary: `The ${what} of ${named(subject)} changed but cannot be compared statement by statement: ${problem}.`,
      before,
      after,
    },
  };
}
