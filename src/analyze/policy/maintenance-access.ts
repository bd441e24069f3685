/**
 * Does a KMS key policy let the S3 Tables maintenance principal use the key? AWS documents that for
 * SSE-KMS tables `maintenance.s3tables.amazonaws.com` needs kms:GenerateDataKey and kms:Decrypt on
 * the key ("Permission requirements for S3 Tables SSE-KMS encryption", Amazon S3 User Guide); without
 * them compaction, snapshot expiry and unreferenced-file removal fail on the table. KMS grants a
 * service principal only through the key policy (IAM policies cannot), so the key policy decides.
 * Pure: the policy text and the request's context in, a verdict with the deciding statements out.
 */
import { readJson } from '../../format/json-keys.js';
import { evaluateClause, isPlainObject, parseConditionBlock, type ConditionClause } from './conditions.js';
import { globMatches } from './match.js';

const MAINTENANCE_PRINCIPAL = 'maintenance.s3tables.amazonaws.com';
const MAINTENANCE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

export type MaintenanceAccess =
  | { state: 'allowed'; statements: string[] }
  | { state: 'not_allowed'; actions: string[] }
  | { state: 'denied'; statement: string; action: string }
  | { state: 'unknown'; reason: string };

/** What the maintenance principal's request carries that a condition may test. */
export interface MaintenanceRequest {
  keyArn: string;
  /** The table bucket's account: aws:SourceAccount of the service's request. */
  account: string;
  /** The table bucket's ARN: aws:SourceArn of the service's request. */
  tableBucketArn: string;
}

interface KeyStatement {
  label: string;
  effect: string;
  principal: 'covers' | 'misses';
  actions: { negated: boolean; patterns: string[] };
  resources: { negated: boolean; patterns: string[] };
  conditions: ConditionClause[];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether a Principal (or, negated, NotPrincipal) element names the maintenance service principal. */
function names(element: unknown): boolean {
  if (element === '*') return true;
  if (!isPlainObject(element)) return false;
  if (list(element['AWS']).includes('*')) return true;
  return list(element['Service']).includes(MAINTENANCE_PRINCIPAL);
}

function stringsOf(entry: Record<string, unknown>, name: string, notName: string) {
  const negated = entry[name] === undefined && entry[notName] !== undefined;
  const values = list(negated ? entry[notName] : entry[name]);
  if (!values.every((v): v is string => typeof v === 'string')) return undefined;
  return { negated, patterns: values };
}

function parseKeyPolicy(text: string): { statements: KeyStatement[] } | { error: string } {
  const read = readJson(text.replace(/^\uFEFF/, ''));
  if ('invalid' in read) return { error: `the key policy is not valid JSON (${read.invalid})` };
  if ('twice' in read) return { error: `the key policy ${read.twice}` };
  const doc = read.value;
  if (!isPlainObject(doc)) return { error: 'the key policy is not a JSON object' };
  const statements: KeyStatement[] = [];
  for (const [i, entry] of list(doc['Statement']).entries()) {
    const label = isPlainObject(entry) && typeof entry['Sid'] === 'string' && entry['Sid'] ? entry['Sid'] : `#${i + 1}`;
    if (!isPlainObject(entry)) return { error: `statement ${label} of the key policy is not a JSON object` };
    const actions = stringsOf(entry, 'Action', 'NotAction');
    const resources = stringsOf(entry, 'Resource', 'NotResource');
    const conditions = parseConditionBlock(entry['Condition']);
    if (!actions || !resources || 'error' in conditions)
      return { error: `statement ${label} of the key policy cannot be read` };
    const principal =
      entry['NotPrincipal'] !== undefined
        ? names(entry['NotPrincipal'])
          ? 'misses'
          : 'covers'
        : names(entry['Principal'])
          ? 'covers'
          : 'misses';
    const effect = typeof entry['Effect'] === 'string' ? entry['Effect'] : '';
    statements.push({ label, effect, principal, actions, resources, conditions: conditions.clauses });
  }
  if (statements.length === 0) return { error: 'the key policy has no statements' };
  return { statements };
}

function covers(element: { negated: boolean; patterns: string[] }, value: string, ignoreCase: boolean): boolean {
  const listed = element.patterns.some((p) => globMatches(p, value, ignoreCase));
  return element.negated ? !listed : listed;
}

/** The condition keys the maintenance principal's request is known to carry, lower-cased. */
function contextOf(r: MaintenanceRequest): Map<string, string> {
  return new Map([
    ['aws:sourceaccount', r.account],
    ['aws:sourcearn', r.tableBucketArn],
    ['aws:principalservicename', MAINTENANCE_PRINCIPAL],
  ]);
}

/** true, false, or the clause that cannot be decided from what the request is known to carry. */
function conditionsHold(s: KeyStatement, context: Map<string, string>): boolean | ConditionClause {
  let undecided: ConditionClause | undefined;
  for (const clause of s.conditions) {
    if (!context.has(clause.key)) {
      undecided ??= clause;
      continue;
    }
    const truth = evaluateClause(clause, context.get(clause.key));
    if (truth === false) return false;
    if (truth === 'unknown') undecided ??= clause;
  }
  return undecided ?? true;
}

export function maintenanceAccess(policyText: string, request: MaintenanceRequest): MaintenanceAccess {
  const parsed = parseKeyPolicy(policyText);
  if ('error' in parsed) return { state: 'unknown', reason: parsed.error };
  const context = contextOf(request);
  const applies = (s: KeyStatement, action: string) =>
    s.principal === 'covers' && covers(s.actions, action, true) && covers(s.resources, request.keyArn, false);
  const allowing: string[] = [];
  const missing: string[] = [];
  let unknown: string | undefined;
  for (const action of MAINTENANCE_ACTIONS) {
    // An explicit deny wins over any allow.
    for (const s of parsed.statements.filter((x) => x.effect === 'Deny' && applies(x, action))) {
      const holds = conditionsHold(s, context);
      if (holds === true) return { state: 'denied', statement: s.label, action };
      if (holds !== false)
        unknown ??= `statement ${s.label} denies ${action} under condition ${holds.keyAsWritten}, which this analysis cannot decide`;
    }
    let allowed = false;
    let maybe = false;
    for (const s of parsed.statements.filter((x) => x.effect === 'Allow' && applies(x, action))) {
      const holds = conditionsHold(s, context);
      if (holds === true) {
        allowed = true;
        if (!allowing.includes(s.label)) allowing.push(s.label);
        break;
      }
      if (holds !== false) {
        maybe = true;
        unknown ??= `statement ${s.label} allows ${action} under condition ${holds.keyAsWritten}, which this analysis cannot decide`;
      }
    }
    // Certainly not allowed: no statement allows it, not even under an undecidable condition.
    if (!allowed && !maybe) missing.push(action);
  }
  if (missing.length > 0) return { state: 'not_allowed', actions: missing };
  if (unknown !== undefined) return { state: 'unknown', reason: unknown };
  return { state: 'allowed', statements: allowing };
}
