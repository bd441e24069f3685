/**
 * Statement-level diff of two canonical policies. A statement keeps its identity by Sid when it
 * has one; otherwise only identical content pairs it (a Sid-less statement that changed reads as
 * one removed and one added, since nothing else says they are "the same" statement).
 */
import type { CanonicalContent, CanonicalStatement } from './canonical.js';

export type StatementChange =
  | { kind: 'added'; after: CanonicalStatement }
  | { kind: 'removed'; before: CanonicalStatement }
  | { kind: 'changed'; before: CanonicalStatement; after: CanonicalStatement; changedFields: string[] };

const FIELD_ORDER = [
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];

function changedFields(a: CanonicalContent, b: CanonicalContent): string[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
  return fields
    .filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
    .sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
}

export function diffStatements(before: CanonicalStatement[], after: CanonicalStatement[]): StatementChange[] {
  const changes: StatementChange[] = [];
  const leftBefore = new Set(before);
  const leftAfter = new Set(after);

  for (const b of before) {
    if (b.sid === undefined) continue;
    const a = after.find((x) => leftAfter.has(x) && x.sid === b.sid);
    if (!a) continue;
    leftBefore.delete(b);
    leftAfter.delete(a);
    if (a.key !== b.key)
      changes.push({ kind: 'changed', before: b, after: a, changedFields: changedFields(b.content, a.content) });
  }
  for (const b of [...leftBefore]) {
    const a = [...leftAfter].find((x) => x.key === b.key);
    if (!a) continue;
    leftBefore.delete(b);
    leftAfter.delete(a);
  }
  for (const b of leftBefore) changes.push({ kind: 'removed', before: b });
  for (const a of leftAfter) changes.push({ kind: 'added', after: a });
  // Document order: where the statement stands now, or stood before when it was removed.
  const at = (c: StatementChange) => (c.kind === 'removed' ? c.before.position : c.after.position);
  return changes.sort((x, y) => at(x) - at(y));
}
