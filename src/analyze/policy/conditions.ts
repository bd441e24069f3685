/**
 * IAM Condition blocks: parsing into clauses and evaluating one clause against one request value.
 * Condition key names are case-insensitive (stored lower-cased); operator names are not.
 */
import { globMatches } from './match.js';

export interface ConditionClause {
  /** Operator exactly as written, e.g. "StringNotEqualsIfExists" or "ForAnyValue:StringLike". */
  operator: string;
  /** Lower-cased key, for comparison. */
  key: string;
  /** Key as written, for sentences. */
  keyAsWritten: string;
  /** Values as strings (JSON true/1.2 become "true"/"1.2"). */
  values: string[];
}

/** true / false, or 'unknown' when the operator is one this analysis does not evaluate. */
export type Truth = boolean | 'unknown';

type Comparison = 'equals' | 'equalsIgnoreCase' | 'like' | 'bool' | 'numLt' | 'numLe' | 'numGt' | 'numGe' | 'numEq';

interface BaseOperator {
  comparison: Comparison;
  negated: boolean;
  /** Words for sentences: "<key> <verb> <values>". */
  verb: string;
}

const BASE_OPERATORS: Record<string, BaseOperator> = {
  StringEquals: { comparison: 'equals', negated: false, verb: 'equals' },
  StringNotEquals: { comparison: 'equals', negated: true, verb: 'does not equal' },
  StringEqualsIgnoreCase: { comparison: 'equalsIgnoreCase', negated: false, verb: 'equals (ignoring case)' },
  StringNotEqualsIgnoreCase: { comparison: 'equalsIgnoreCase', negated: true, verb: 'does not equal (ignoring case)' },
  StringLike: { comparison: 'like', negated: false, verb: 'matches' },
  StringNotLike: { comparison: 'like', negated: true, verb: 'does not match' },
  Bool: { comparison: 'bool', negated: false, verb: 'is' },
  NumericEquals: { comparison: 'numEq', negated: false, verb: 'equals' },
  NumericNotEquals: { comparison: 'numEq', negated: true, verb: 'does not equal' },
  NumericLessThan: { comparison: 'numLt', negated: false, verb: 'is less than' },
  NumericLessThanEquals: { comparison: 'numLe', negated: false, verb: 'is at most' },
  NumericGreaterThan: { comparison: 'numGt', negated: false, verb: 'is greater than' },
  NumericGreaterThanEquals: { comparison: 'numGe', negated: false, verb: 'is at least' },
};

/** Verbs for operators we only describe (their keys are never part of an analysed request). */
const DESCRIBED_ONLY: Record<string, string> = {
  IpAddress: 'is in',
  NotIpAddress: 'is not in',
  ArnEquals: 'equals',
  ArnLike: 'matches',
  ArnNotEquals: 'does not equal',
  ArnNotLike: 'does not match',
  DateEquals: 'equals',
  DateNotEquals: 'does not equal',
  DateLessThan: 'is before',
  DateLessThanEquals: 'is at or before',
  DateGreaterThan: 'is after',
  DateGreaterThanEquals: 'is at or after',
  BinaryEquals: 'equals',
};

interface ParsedOperator {
  set?: 'ForAnyValue' | 'ForAllValues';
  name: string;
  ifExists: boolean;
}

function splitOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'];
  for (const prefix of ['ForAnyValue:', 'ForAllValues:'] as const) {
    if (rest.startsWith(prefix)) {
      set = prefix === 'ForAnyValue:' ? 'ForAnyValue' : 'ForAllValues';
      rest = rest.slice(prefix.length);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const name = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  return { ...(set ? { set } : {}), name, ifExists };
}

/**
 * Parse a statement's Condition element. Returns an error sentence fragment when its shape is wrong
 * (AWS would refuse such a policy, so we refuse to guess).
 */
export function parseConditionBlock(block: unknown): { clauses: ConditionClause[] } | { error: string } {
  if (block === undefined) return { clauses: [] };
  if (!isPlainObject(block)) return { error: 'has a Condition that is not a JSON object' };
  const clauses: ConditionClause[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (!isPlainObject(keys)) return { error: `has a Condition operator ${operator} whose value is not a JSON object` };
    for (const [key, raw] of Object.entries(keys)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
        return { error: `has a Condition value for ${key} that is not a string, number or boolean` };
      }
      clauses.push({ operator, key: key.toLowerCase(), keyAsWritten: key, values: list.map((v) => String(v)) });
    }
  }
  return { clauses };
}

function compareOne(comparison: Comparison, actual: string, expected: string): boolean | 'unknown' {
  switch (comparison) {
    case 'equals':
      return actual === expected;
    case 'equalsIgnoreCase':
      return actual.toLowerCase() === expected.toLowerCase();
    case 'like':
      return globMatches(expected, actual, false);
    case 'bool':
      return actual.toLowerCase() === expected.toLowerCase();
    default: {
      const a = Number(actual);
      const e = Number(expected);
      if (Number.isNaN(a) || Number.isNaN(e)) return 'unknown';
      if (comparison === 'numLt') return a < e;
      if (comparison === 'numLe') return a <= e;
      if (comparison === 'numGt') return a > e;
      if (comparison === 'numGe') return a >= e;
      return a === e;
    }
  }
}

/** Does the single-valued request value match the operator (before IfExists / set handling)? */
function matchesPresentValue(base: BaseOperator, actual: string, expected: string[]): Truth {
  const results = expected.map((e) => compareOne(base.comparison, actual, e));
  if (results.includes('unknown')) return 'unknown';
  const anyMatch = results.includes(true);
  // A negated operator with several values is true only when the value matches none of them.
  return base.negated ? !anyMatch : anyMatch;
}

/**
 * Evaluate one clause for a single-valued key whose request value is `actual` (undefined = the key
 * is absent from the request). Per the IAM reference: a missing key makes a condition false, except
 * negated operators (true), ...IfExists (true) and Null (which tests presence).
 */
export function evaluateClause(clause: ConditionClause, actual: string | undefined): Truth {
  const op = splitOperator(clause.operator);
  if (op.name === 'Null' && !op.set && !op.ifExists) {
    const wantsAbsent = clause.values.map((v) => v.toLowerCase());
    if (wantsAbsent.some((v) => v !== 'true' && v !== 'false')) return 'unknown';
    return wantsAbsent.includes(actual === undefined ? 'true' : 'false');
  }
  const base = BASE_OPERATORS[op.name];
  if (!base) return 'unknown';
  if (actual === undefined) {
    if (op.set === 'ForAllValues') return true; // vacuously true over an empty set
    if (op.set === 'ForAnyValue') return false;
    return op.ifExists || base.negated;
  }
  return matchesPresentValue(base, actual, clause.values);
}

function quoteList(values: string[], negated: boolean): string {
  const quoted = values.map((v) => `"${v}"`);
  if (quoted.length === 1) return quoted[0] ?? '';
  return `${negated ? 'any of' : 'one of'} ${quoted.join(', ')}`;
}

/** A phrase for sentences, e.g. `s3:x-amz-server-side-encryption does not equal "aws:kms"`. */
export function describeClause(clause: ConditionClause): string {
  const op = splitOperator(clause.operator);
  const key = clause.keyAsWritten;
  if (op.name === 'Null' && !op.set) {
    const lowered = clause.values.map((v) => v.toLowerCase());
    if (lowered.length === 1 && lowered[0] === 'true') return `${key} is absent`;
    if (lowered.length === 1 && lowered[0] === 'false') return `${key} is present`;
    return `${key} is tested with Null ${quoteList(clause.values, false)}`;
  }
  const base = BASE_OPERATORS[op.name];
  const verb = base?.verb ?? DESCRIBED_ONLY[op.name];
  if (!verb) return `${key} passes the ${clause.operator} test against ${quoteList(clause.values, false)}`;
  const negated = base?.negated ?? /Not/.test(op.name);
  const phrase = `${key} ${verb} ${quoteList(clause.values, negated)}`;
  const setNote = op.set ? ` (${op.set})` : '';
  return op.ifExists && !negated
    ? `${key} is absent or ${verb} ${quoteList(clause.values, negated)}${setNote}`
    : phrase + setNote;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
