/**
 * Is plain HTTP refused? A plain-HTTP request has aws:SecureTransport "false" and no s3:TlsVersion.
 * Full enforcement: Deny statements for everyone, with no other condition, that together cover every
 * S3 action on both the bucket and all its objects. A NumericLessThan s3:TlsVersion deny sets a
 * minimum TLS version for HTTPS, but on its own never refuses plain HTTP.
 */
import type { Enforcement } from '../../model/packet.js';
import { describeClause } from './conditions.js';
import type { PolicyStatement } from './document.js';
import { bucketReach, s3ActionReach, type Reach } from './match.js';
import {
  effectBlocker,
  evaluateKnownClauses,
  narrowingConditions,
  principalNarrowing,
  quoted,
  statementsPhrase,
  type RequestContext,
} from './reach.js';

export type TlsEnforcement = Enforcement & { minimumTlsVersion?: string };

const SECURE_TRANSPORT = 'aws:securetransport';
const TLS_VERSION = 's3:tlsversion';
const TLS_KEYS = [SECURE_TRANSPORT, TLS_VERSION] as const;
const PLAIN_HTTP: RequestContext = { [SECURE_TRANSPORT]: 'false', [TLS_VERSION]: undefined };

interface Candidate {
  statement: PolicyStatement;
  blocker?: string;
  /** Limits other than resources: some actions, some principals, extra conditions. */
  narrowings: string[];
  coversBucket: boolean;
  objects: Reach;
  /** Set when the statement does not reach the bucket and all of its objects. */
  resourceNarrowing?: string;
}

function toCandidate(statement: PolicyStatement, bucket: string): Candidate {
  const narrowings: string[] = [];
  const reach = bucketReach(statement.resources, bucket);
  const blocker =
    effectBlocker(statement) ?? actionBlocker(statement, narrowings) ?? resourceBlocker(statement, bucket, reach);
  const principal = principalNarrowing(statement);
  if (principal) narrowings.push(principal);
  narrowings.push(...narrowingConditions(statement.conditions, TLS_KEYS));
  const resourceNarrowing = describeResourceGap(
    reach.bucket,
    reach.objects,
    reach.limitingPatterns,
    statement.resources.negated,
    bucket,
  );
  return {
    statement,
    ...(blocker ? { blocker } : {}),
    narrowings,
    coversBucket: reach.bucket,
    objects: reach.objects,
    ...(resourceNarrowing ? { resourceNarrowing } : {}),
  };
}

function actionBlocker(statement: PolicyStatement, narrowings: string[]): string | undefined {
  const { actions } = statement;
  const reach = s3ActionReach(actions);
  const listed = actions.patterns.join(', ');
  if (reach === 'none') {
    if (actions.negated) return `excludes every S3 action through NotAction (${listed})`;
    return actions.patterns.length === 0
      ? 'names no action'
      : `does not apply to any S3 action (its actions are ${listed})`;
  }
  if (reach === 'some')
    narrowings.push(actions.negated ? `for S3 actions other than ${listed}` : `for some S3 actions (${listed})`);
  return undefined;
}

function resourceBlocker(
  statement: PolicyStatement,
  bucket: string,
  reach: { bucket: boolean; objects: Reach },
): string | undefined {
  if (reach.bucket || reach.objects !== 'none') return undefined;
  const { resources } = statement;
  if (resources.negated)
    return `excludes ${bucket} and its objects through NotResource (${resources.patterns.join(', ')})`;
  if (resources.patterns.length === 0) return 'names no resource';
  return `applies to ${resources.patterns.join(', ')}, not to ${bucket} or its objects`;
}

function describeResourceGap(
  coversBucket: boolean,
  objects: Reach,
  limiting: string[],
  negated: boolean,
  bucket: string,
): string | undefined {
  const matching = `objects ${negated ? 'outside' : 'matching'} ${limiting.join(', ')}`;
  if (coversBucket && objects === 'all') return undefined;
  if (coversBucket && objects === 'some') return `for the bucket and ${matching}`;
  if (coversBucket) return `for the bucket ${bucket} itself, not its objects`;
  if (objects === 'all') return `for the objects of ${bucket}, not the bucket itself`;
  return `for ${matching}, not the bucket itself`;
}

/** Fires for everyone with nothing but the analysed keys deciding. */
function isComplete(candidate: Candidate, context: RequestContext): boolean {
  return (
    !candidate.blocker &&
    candidate.narrowings.length === 0 &&
    evaluateKnownClauses(candidate.statement.conditions, context).truth === true
  );
}

/** The complete statements that, together, cover the bucket and all its objects; undefined if they don't. */
function coveringSet(candidates: Candidate[], context: RequestContext): Candidate[] | undefined {
  const complete = candidates.filter((c) => isComplete(c, context));
  if (!complete.some((c) => c.coversBucket) || !complete.some((c) => c.objects === 'all')) return undefined;
  return complete.filter((c) => c.coversBucket || c.objects === 'all');
}

/** The TLS versions an HTTPS request to S3 can carry in s3:TlsVersion. */
const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'];

/**
 * The highest NumericLessThan s3:TlsVersion threshold that is fully enforced for HTTPS requests: every
 * TLS version below it must be refused, not only the one just below (a NumericGreaterThanEquals deny can
 * refuse 1.2 and let 1.0 through).
 */
function minimumTlsVersion(candidates: Candidate[]): { version: string; statements: string[] } | undefined {
  const thresholds = candidates
    .flatMap((c) => c.statement.conditions)
    .filter((cl) => cl.key === TLS_VERSION && /^NumericLessThan(IfExists)?$/.test(cl.operator))
    .flatMap((cl) => cl.values)
    .filter((v) => !Number.isNaN(Number(v)))
    .sort((a, b) => Number(b) - Number(a));
  for (const threshold of thresholds) {
    const below = TLS_VERSIONS.filter((v) => Number(v) < Number(threshold));
    const sets = below.map((version) =>
      coveringSet(candidates, { [SECURE_TRANSPORT]: 'true', [TLS_VERSION]: version }),
    );
    if (below.length === 0 || sets.some((set) => set === undefined)) continue;
    const deciding = candidates.filter((c) => sets.some((set) => set?.includes(c)));
    return { version: threshold, statements: deciding.map((c) => c.statement.label) };
  }
  return undefined;
}

export function analyzeTls(statements: PolicyStatement[], bucket: string): TlsEnforcement {
  const candidates = statements
    .filter((s) => s.conditions.some((c) => (TLS_KEYS as readonly string[]).includes(c.key)))
    .map((s) => toCandidate(s, bucket));
  const minimum = minimumTlsVersion(candidates);
  const withMinimum = minimum ? { minimumTlsVersion: minimum.version } : {};

  const covering = coveringSet(candidates, PLAIN_HTTP);
  if (covering) {
    const labels = covering.map((c) => c.statement.label);
    const alsoTls = minimum ? `, and HTTPS below TLS ${minimum.version} is refused too` : '';
    return {
      level: 'yes',
      reason: `${statementsPhrase(labels)} ${labels.length === 1 ? 'denies' : 'deny'} every S3 action on ${bucket} and its objects to everyone when aws:SecureTransport is false, so plain-HTTP requests are refused${alsoTls}.`,
      statements: labels,
      ...withMinimum,
    };
  }

  const firing = candidates.filter(
    (c) => !c.blocker && evaluateKnownClauses(c.statement.conditions, PLAIN_HTTP).truth === true,
  );
  const first = firing[0];
  if (first) {
    const limits = [...first.narrowings, ...(first.resourceNarrowing ? [first.resourceNarrowing] : [])];
    return {
      level: 'partial',
      reason: `Statement ${quoted(first.statement.label)} denies plain-HTTP requests only ${limits.join(' and ')}.`,
      statements: firing.map((c) => c.statement.label),
      ...withMinimum,
    };
  }

  const unsure = candidates.filter(
    (c) => !c.blocker && evaluateKnownClauses(c.statement.conditions, PLAIN_HTTP).truth === 'unknown',
  );
  const firstUnsure = unsure[0];
  if (firstUnsure) {
    const clause = evaluateKnownClauses(firstUnsure.statement.conditions, PLAIN_HTTP).decisive;
    return {
      level: 'unknown',
      reason: `Statement ${quoted(firstUnsure.statement.label)} uses the condition operator ${clause?.operator ?? '(unknown)'}, which this analysis cannot evaluate, so it is not known whether plain-HTTP requests are denied.`,
      statements: unsure.map((c) => c.statement.label),
      ...withMinimum,
    };
  }

  return {
    level: 'no',
    reason: noReason(candidates, minimum),
    statements: candidates.map((c) => c.statement.label),
    ...withMinimum,
  };
}

function noReason(candidates: Candidate[], minimum: { version: string; statements: string[] } | undefined): string {
  const onTransport = candidates.filter((c) => c.statement.conditions.some((cl) => cl.key === SECURE_TRANSPORT));
  if (onTransport.length === 0 && minimum) {
    return `${statementsPhrase(minimum.statements)} ${minimum.statements.length === 1 ? 'refuses' : 'refuse'} HTTPS below TLS ${minimum.version}, but no statement denies plain-HTTP requests, which carry no TLS version at all.`;
  }
  const first = onTransport[0] ?? candidates[0];
  if (!first)
    return 'No statement in the bucket policy denies requests made over plain HTTP (aws:SecureTransport false).';
  const label = quoted(first.statement.label);
  if (first.blocker) return `Statement ${label} ${first.blocker}, so requests over plain HTTP are not denied.`;
  const clause = evaluateKnownClauses(first.statement.conditions, PLAIN_HTTP).decisive;
  return `Statement ${label} denies only requests where ${clause ? describeClause(clause) : 'its conditions hold'}, which a plain-HTTP request never matches.`;
}
