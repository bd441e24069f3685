/**
 * Parse a bucket policy document and normalise its statements: Statement as object or list,
 * Action/Resource as string or list, missing Sid or Version.
 */
import { readJson } from '../../format/json-keys.js';
import { isPlainObject, parseConditionBlock, type ConditionClause } from './conditions.js';
import { principalScope, type ActionElement, type PrincipalScope, type ResourceElement } from './match.js';

export interface PolicyStatement {
  /** The Sid, or "#<n>" (1-based position in the Statement list) when there is no Sid. */
  label: string;
  /** As written; only the exact string "Deny" denies. */
  effect: string;
  principal: PrincipalScope;
  actions: ActionElement;
  resources: ResourceElement;
  conditions: ConditionClause[];
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; error: string };

export function statementLabel(sid: unknown, position: number): string {
  return typeof sid === 'string' && sid.trim() !== '' ? sid : `#${position}`;
}

export function parsePolicyDocument(policyText: string): ParsedPolicy {
  const read = readJson(policyText.replace(/^\uFEFF/, ''));
  if ('invalid' in read) return { ok: false, error: `The bucket policy is not valid JSON (${read.invalid}).` };
  if ('twice' in read) return { ok: false, error: `The bucket policy ${read.twice}.` };
  const document = read.value;
  if (!isPlainObject(document)) return { ok: false, error: 'The bucket policy is not a JSON object.' };
  const raw = document['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  if (list.length === 0) return { ok: false, error: 'The bucket policy has no statements.' };

  const statements: PolicyStatement[] = [];
  for (const [index, entry] of list.entries()) {
    const fallback = `#${index + 1}`;
    if (!isPlainObject(entry))
      return { ok: false, error: `Statement ${fallback} of the bucket policy is not a JSON object.` };
    const label = statementLabel(entry['Sid'], index + 1);
    const result = normaliseStatement(entry, label);
    if ('error' in result) return { ok: false, error: `Statement "${label}" of the bucket policy ${result.error}.` };
    statements.push(result);
  }
  return { ok: true, statements };
}

function normaliseStatement(entry: Record<string, unknown>, label: string): PolicyStatement | { error: string } {
  const actions = element(entry, 'Action', 'NotAction');
  if ('error' in actions) return actions;
  const resources = element(entry, 'Resource', 'NotResource');
  if ('error' in resources) return resources;
  const conditions = parseConditionBlock(entry['Condition']);
  if ('error' in conditions) return conditions;
  const effect = entry['Effect'];
  return {
    label,
    effect: typeof effect === 'string' ? effect : '',
    principal: principalScope(entry['Principal'], entry['NotPrincipal']),
    actions,
    resources,
    conditions: conditions.clauses,
  };
}

/** Read an X / NotX pair (Action/NotAction, Resource/NotResource): a string or a list of strings. */
function element(
  entry: Record<string, unknown>,
  name: string,
  notName: string,
): { negated: boolean; patterns: string[] } | { error: string } {
  const negated = entry[name] === undefined && entry[notName] !== undefined;
  const value = negated ? entry[notName] : entry[name];
  if (value === undefined) return { negated: false, patterns: [] };
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) {
    return { error: `has an invalid ${negated ? notName : name} element (it must be a string or a list of strings)` };
  }
  return { negated, patterns: list };
}
