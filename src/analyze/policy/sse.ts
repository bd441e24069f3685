/**
 * Is the x-amz-server-side-encryption header enforced? We ask, for a set of representative uploads
 * (no header, each known value, an unlisted value; for KMS values no key id, each key id named in
 * the policy, an unlisted key id), whether some Deny statement refuses it for everyone on every
 * object of the bucket. Deny statements combine: an upload is refused if any one of them refuses it.
 */
import type { Enforcement } from '../../model/packet.js';
import { describeClause } from './conditions.js';
import type { PolicyStatement } from './document.js';
import { actionCovers, bucketReach } from './match.js';
import {
  effectBlocker,
  evaluateKnownClauses,
  listPhrase,
  narrowingConditions,
  principalNarrowing,
  quoted,
  statementsPhrase,
  strongest,
  type Outcome,
  type RequestContext,
} from './reach.js';

export type SseEnforcement = Enforcement & { allowedValues: string[] | 'any'; requiredKmsKeys?: string[] };

const SSE_HEADER = 's3:x-amz-server-side-encryption';
const KMS_KEY_HEADER = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const SSE_KEYS = [SSE_HEADER, KMS_KEY_HEADER] as const;
const UPLOAD_ACTION = 's3:PutObject';
const KNOWN_VALUES = ['AES256', 'aws:kms', 'aws:kms:dsse'];
const KMS_VALUES = new Set(['aws:kms', 'aws:kms:dsse']);
/** Stands for "any value the policy does not name"; cannot collide with a real header value. */
const UNLISTED = '\u0000unlisted';

interface Candidate {
  statement: PolicyStatement;
  /** Why it can refuse no upload at all. */
  blocker?: string;
  /** Why it refuses uploads only in part ("for objects matching …", "when aws:SourceIp …"). */
  narrowings: string[];
}

interface Upload {
  sse: string | undefined;
  kmsKey: string | undefined;
}

function mentionsSse(statement: PolicyStatement): boolean {
  return statement.conditions.some((c) => (SSE_KEYS as readonly string[]).includes(c.key));
}

function toCandidate(statement: PolicyStatement, bucket: string): Candidate {
  const narrowings: string[] = [];
  const blocker =
    effectBlocker(statement) ?? actionBlocker(statement) ?? resourceBlocker(statement, bucket, narrowings);
  const principal = principalNarrowing(statement);
  if (principal) narrowings.push(principal);
  narrowings.push(...narrowingConditions(statement.conditions, SSE_KEYS));
  return { statement, ...(blocker ? { blocker } : {}), narrowings };
}

function actionBlocker(statement: PolicyStatement): string | undefined {
  const { actions } = statement;
  if (actionCovers(actions, UPLOAD_ACTION)) return undefined;
  if (actions.negated) return `excludes ${UPLOAD_ACTION} through NotAction (${actions.patterns.join(', ')})`;
  if (actions.patterns.length === 0) return 'names no action';
  return `does not apply to ${UPLOAD_ACTION} (its actions are ${actions.patterns.join(', ')})`;
}

/** Returns a blocker, or pushes a narrowing when only some objects are covered. */
function resourceBlocker(statement: PolicyStatement, bucket: string, narrowings: string[]): string | undefined {
  const { resources } = statement;
  const reach = bucketReach(resources, bucket);
  const limits = reach.limitingPatterns.join(', ');
  if (reach.objects === 'none') {
    if (resources.negated) return `excludes the objects of ${bucket} through NotResource (${limits})`;
    if (resources.patterns.length === 0) return 'names no resource';
    return `applies to ${limits}, not to the objects of ${bucket}`;
  }
  if (reach.objects === 'some')
    narrowings.push(resources.negated ? `for objects outside ${limits}` : `for objects matching ${limits}`);
  return undefined;
}

function outcomeFor(candidate: Candidate, upload: Upload): Outcome {
  if (candidate.blocker) return 'none';
  const context: RequestContext = { [SSE_HEADER]: upload.sse, [KMS_KEY_HEADER]: upload.kmsKey };
  const verdict = evaluateKnownClauses(candidate.statement.conditions, context);
  if (verdict.truth === false) return 'none';
  if (verdict.truth === 'unknown') return 'unknown';
  return candidate.narrowings.length > 0 ? 'narrowed' : 'full';
}

function valuesNamed(candidates: Candidate[], key: string): string[] {
  const values = candidates.flatMap((c) =>
    c.statement.conditions.filter((cl) => cl.key === key).flatMap((cl) => cl.values),
  );
  return [...new Set(values)].filter((v) => !/[*?]/.test(v));
}

/**
 * Key ids to try: each one named, and one instance of each wildcard pattern (a StringNotLike "key/*"
 * deny lets every key matching the pattern through, which neither a named nor an unlisted id shows).
 * Maps the id tried to the words a sentence uses for it (the pattern, for an instance).
 */
function kmsKeysToTry(candidates: Candidate[]): Map<string, string> {
  const written = candidates.flatMap((c) =>
    c.statement.conditions.filter((cl) => cl.key === KMS_KEY_HEADER).flatMap((cl) => cl.values),
  );
  const keys = new Map<string, string>();
  for (const value of written) {
    if (/[*?]/.test(value)) keys.set(value.replace(/\*/g, '').replace(/\?/g, '0'), value);
    else keys.set(value, value);
  }
  return keys;
}

export function analyzeSse(statements: PolicyStatement[], bucket: string): SseEnforcement {
  const candidates = statements.filter(mentionsSse).map((s) => toCandidate(s, bucket));
  const refusal = (upload: Upload): Outcome => strongest(candidates.map((c) => outcomeFor(c, upload)));
  const refusedFully = (upload: Upload): boolean => refusal(upload) === 'full';

  const namedKeys = kmsKeysToTry(candidates);
  const uploadsWith = (value: string): Upload[] =>
    KMS_VALUES.has(value)
      ? [undefined, ...namedKeys.keys(), UNLISTED].map((kmsKey) => ({ sse: value, kmsKey }))
      : [{ sse: value, kmsKey: undefined }];
  const namedValues = [...new Set([...KNOWN_VALUES, ...valuesNamed(candidates, SSE_HEADER)])];
  const passes = (value: string): boolean => uploadsWith(value).some((u) => !refusedFully(u));
  const allowedValues: string[] | 'any' = passes(UNLISTED) ? 'any' : namedValues.filter(passes);

  const noHeader: Upload = { sse: undefined, kmsKey: undefined };
  const level = refusal(noHeader);

  if (level === 'full') {
    const tested = [noHeader, ...[...namedValues, UNLISTED].flatMap(uploadsWith)];
    const deciding = candidates.filter((c) => tested.some((u) => outcomeFor(c, u) === 'full'));
    const requiredKmsKeys = keysRequired(allowedValues, uploadsWith, refusedFully, namedKeys);
    const labels = deciding.map((c) => c.statement.label);
    const verb = labels.length === 1 ? 'denies' : 'deny';
    return {
      level: 'yes',
      reason: `${statementsPhrase(labels)} ${verb} every upload to ${bucket} that lacks the x-amz-server-side-encryption header${passingPhrase(allowedValues, requiredKmsKeys)}.`,
      statements: labels,
      allowedValues,
      ...(requiredKmsKeys ? { requiredKmsKeys } : {}),
    };
  }
  if (level === 'narrowed') {
    const narrowed = candidates.filter((c) => outcomeFor(c, noHeader) === 'narrowed');
    const first = narrowed[0] as Candidate;
    return {
      level: 'partial',
      reason: `Statement ${quoted(first.statement.label)} denies uploads without the x-amz-server-side-encryption header only ${first.narrowings.join(' and ')}.`,
      statements: narrowed.map((c) => c.statement.label),
      allowedValues,
    };
  }
  if (level === 'unknown') {
    const unsure = candidates.filter((c) => outcomeFor(c, noHeader) === 'unknown');
    const first = unsure[0] as Candidate;
    const clause = evaluateKnownClauses(first.statement.conditions, {
      [SSE_HEADER]: undefined,
      [KMS_KEY_HEADER]: undefined,
    }).decisive;
    return {
      level: 'unknown',
      reason: `Statement ${quoted(first.statement.label)} uses the condition operator ${clause?.operator ?? '(unknown)'}, which this analysis cannot evaluate, so it is not known whether uploads without the x-amz-server-side-encryption header are denied.`,
      statements: unsure.map((c) => c.statement.label),
      allowedValues,
    };
  }
  return {
    level: 'no',
    reason: noReason(candidates),
    statements: candidates.map((c) => c.statement.label),
    allowedValues,
  };
}

/** The KMS key ids an upload must name, when every passing KMS upload names one listed in the policy. */
function keysRequired(
  allowedValues: string[] | 'any',
  uploadsWith: (value: string) => Upload[],
  refusedFully: (upload: Upload) => boolean,
  namedKeys: Map<string, string>,
): string[] | undefined {
  if (allowedValues === 'any') return undefined;
  const passingKmsUploads = allowedValues
    .filter((v) => KMS_VALUES.has(v))
    .flatMap(uploadsWith)
    .filter((u) => !refusedFully(u));
  if (passingKmsUploads.length === 0) return undefined;
  if (passingKmsUploads.some((u) => u.kmsKey === undefined || u.kmsKey === UNLISTED)) return undefined;
  return [...new Set(passingKmsUploads.map((u) => namedKeys.get(u.kmsKey as string) ?? (u.kmsKey as string)))];
}

function passingPhrase(allowedValues: string[] | 'any', requiredKmsKeys: string[] | undefined): string {
  if (allowedValues === 'any') return '; any value of the header is accepted';
  if (allowedValues.length === 0) return ', and every value of the header is refused too, so no upload can succeed';
  const keys = requiredKmsKeys ? ` with KMS key ${listPhrase(requiredKmsKeys, 'or')}` : '';
  return `, so only ${listPhrase(allowedValues, 'or')} uploads${keys} pass`;
}

function noReason(candidates: Candidate[]): string {
  const first = candidates[0];
  if (!first)
    return 'No statement in the bucket policy denies uploads that lack the x-amz-server-side-encryption header.';
  const label = quoted(first.statement.label);
  if (first.blocker)
    return `Statement ${label} ${first.blocker}, so uploads without the x-amz-server-side-encryption header are not denied.`;
  const verdict = evaluateKnownClauses(first.statement.conditions, {
    [SSE_HEADER]: undefined,
    [KMS_KEY_HEADER]: undefined,
  });
  const clause = verdict.decisive ? describeClause(verdict.decisive) : 'its conditions hold';
  return `Statement ${label} denies only uploads where ${clause}, which an upload without the x-amz-server-side-encryption header never matches.`;
}
