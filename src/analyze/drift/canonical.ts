/**
 * Canonical form of an IAM policy document (bucket or key policy), so that rewrites which do not
 * change meaning are not drift: statement order, a string vs a one-element list, "*" vs
 * {"AWS":"*"}, an account id vs its root ARN, action case, condition-key case, missing Version,
 * Id or Sid. Effect, ARNs, operator names and condition values keep their case: IAM treats those
 * case-sensitively (Bool values excepted).
 */
import { isPlainObject } from '../policy/conditions.js';
import { statementLabel } from '../policy/document.js';

type Values = string[];

/** Fields of a statement that carry meaning; Sid is identity, not content. */
export interface CanonicalContent {
  Effect: string;
  Principal?: Record<string, Values>;
  NotPrincipal?: Record<string, Values>;
  Action?: Values;
  NotAction?: Values;
  Resource?: Values;
  NotResource?: Values;
  Condition?: Record<string, Record<string, Values>>;
  /** Any other field, kept as written so a change to it is still seen. */
  [other: string]: unknown;
}

export interface CanonicalStatement {
  sid?: string;
  /** The Sid, or "#<n>" by position: the label policy analysis uses in its verdicts. */
  label: string;
  /** 1-based position in the document as written. */
  position: number;
  content: CanonicalContent;
  /** Stable JSON of `content`: equal keys mean equivalent statements. */
  key: string;
  /** As written in the document. */
  original: unknown;
}

export type CanonicalPolicy = { ok: true; statements: CanonicalStatement[] } | { ok: false; error: string };

/** JSON with object keys sorted at every level. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

function sortedSet(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const ACCOUNT_ID = /^\d{12}$/;

/** "*" and {"AWS":"*"} are the same; a bare account id means that account's root. */
function canonicalPrincipal(principal: unknown): Record<string, Values> {
  if (principal === '*') return { AWS: ['*'] };
  if (!isPlainObject(principal)) return { '': [scalarText(principal)] };
  const out: Record<string, Values> = {};
  for (const type of Object.keys(principal).sort()) {
    let values = asList(principal[type]).map(scalarText);
    if (type === 'AWS') {
      values = values.map((v) => (ACCOUNT_ID.test(v) ? `arn:aws:iam::${v}:root` : v));
      if (values.includes('*')) values = ['*'];
    }
    out[type] = sortedSet(values);
  }
  return out;
}

const CASE_INSENSITIVE_VALUE_OPERATORS = /^(ForAnyValue:|ForAllValues:)?(Bool|Null)(IfExists)?$/;

function canonicalCondition(block: unknown): { condition: Record<string, Record<string, Values>> } | { error: string } {
  if (!isPlainObject(block)) return { error: 'a Condition that is not a JSON object' };
  const out: Record<string, Record<string, Values>> = {};
  for (const operator of Object.keys(block).sort()) {
    const keys = block[operator];
    if (!isPlainObject(keys)) return { error: `a Condition operator ${operator} whose value is not a JSON object` };
    const lowerValues = CASE_INSENSITIVE_VALUE_OPERATORS.test(operator);
    const byKey: Record<string, Values> = {};
    for (const [key, raw] of Object.entries(keys)) {
      const values = asList(raw).map((v) => (lowerValues ? scalarText(v).toLowerCase() : scalarText(v)));
      const k = key.toLowerCase();
      byKey[k] = sortedSet([...(byKey[k] ?? []), ...values]);
    }
    out[operator] = sortKeys(byKey) as Record<string, Values>;
  }
  return { condition: out };
}

function stringList(value: unknown, field: string): Values | { error: string } {
  const list = asList(value);
  if (!list.every((v): v is string => typeof v === 'string')) return { error: `an invalid ${field} element` };
  return list;
}

function canonicalStatement(entry: unknown, position: number): CanonicalStatement | { error: string } {
  if (!isPlainObject(entry)) return { error: `statement #${position} is not a JSON object` };
  const content: CanonicalContent = {
    Effect: typeof entry['Effect'] === 'string' ? entry['Effect'] : scalarText(entry['Effect']),
  };
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'Sid' || field === 'Effect' || value === undefined) continue;
    if (field === 'Principal' || field === 'NotPrincipal') content[field] = canonicalPrincipal(value);
    else if (field === 'Action' || field === 'NotAction') {
      const list = stringList(value, field);
      if ('error' in list) return list;
      content[field] = sortedSet(list.map((a) => a.toLowerCase()));
    } else if (field === 'Resource' || field === 'NotResource') {
      const list = stringList(value, field);
      if ('error' in list) return list;
      content[field] = sortedSet(list);
    } else if (field === 'Condition') {
      const parsed = canonicalCondition(value);
      if ('error' in parsed) return parsed;
      if (Object.keys(parsed.condition).length > 0) content.Condition = parsed.condition;
    } else content[field] = sortKeys(value);
  }
  const sid = typeof entry['Sid'] === 'string' && entry['Sid'].trim() !== '' ? entry['Sid'] : undefined;
  const sorted = sortKeys(content) as CanonicalContent;
  return {
    ...(sid !== undefined ? { sid } : {}),
    label: statementLabel(sid, position),
    position,
    content: sorted,
    key: JSON.stringify(sorted),
    original: entry,
  };
}

/** Canonical statements, sorted by content; Version and Id do not take part. */
export function canonicalPolicy(document: unknown): CanonicalPolicy {
  if (!isPlainObject(document)) return { ok: false, error: 'the policy is not a JSON object' };
  const raw = document['Statement'];
  const list = raw === undefined || raw === null ? [] : asList(raw);
  const statements: CanonicalStatement[] = [];
  for (const [index, entry] of list.entries()) {
    const s = canonicalStatement(entry, index + 1);
    if ('error' in s) return { ok: false, error: `the policy has ${s.error}` };
    statements.push(s);
  }
  statements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : (a.sid ?? '').localeCompare(b.sid ?? '')));
  return { ok: true, statements };
}

/** Equivalent policies: the same multiset of canonical statements (Sids aside). */
export function policiesEquivalent(a: unknown, b: unknown): boolean {
  const ca = canonicalPolicy(a);
  const cb = canonicalPolicy(b);
  if (!ca.ok || !cb.ok) return stableStringify(a) === stableStringify(b);
  return (
    ca.statements.length === cb.statements.length && ca.statements.every((s, i) => s.key === cb.statements[i]!.key)
  );
}
