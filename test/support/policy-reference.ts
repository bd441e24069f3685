/**
 * A brute-force reference for bucket-policy Deny statements, written from the IAM policy reference and
 * independent of src/analyze/policy: it evaluates a policy on one concrete request at a time, and derives
 * the TLS and SSE verdicts by enumerating every request of a finite universe. Slow and plain on purpose:
 * each rule is one line that can be checked against the IAM documentation.
 *
 * Only Deny matters here (an Allow cannot stop a request), so `denies` answers "does some Deny statement
 * of the policy apply to this request?".
 */

type Principal =
  { kind: 'anonymous' } | { kind: 'aws'; arn: string; account: string } | { kind: 'service'; name: string };

export interface Request {
  principal: Principal;
  action: string;
  resource: string;
  /** Condition keys, lower-cased; a key that is not listed is absent from the request. */
  context: Record<string, string>;
}

/** The policy cannot exist in AWS (PutBucketPolicy would refuse it), so no request outcome is defined. */
export class InvalidPolicy extends Error {}

type Json = unknown;

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const matchCache = new Map<string, boolean>();

/** IAM wildcards: `*` any run of characters (also `/` and `:`), `?` exactly one character. */
export function wildcardMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  const cacheKey = `${ignoreCase ? 'i' : 's'}\u0000${pattern}\u0000${text}`;
  let result = matchCache.get(cacheKey);
  if (result === undefined) {
    result = wildcardMatchUncached(pattern, text, ignoreCase);
    matchCache.set(cacheKey, result);
  }
  return result;
}

function wildcardMatchUncached(pattern: string, text: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  // Classic dynamic programme: can[i][j] = p[0..i) matches t[0..j).
  let previous = new Array<boolean>(t.length + 1).fill(false);
  previous[0] = true;
  for (let i = 1; i <= p.length; i++) {
    const current = new Array<boolean>(t.length + 1).fill(false);
    const c = p[i - 1];
    current[0] = c === '*' && previous[0] === true;
    for (let j = 1; j <= t.length; j++) {
      if (c === '*') current[j] = previous[j] === true || current[j - 1] === true;
      else current[j] = previous[j - 1] === true && (c === '?' || c === t[j - 1]);
    }
    previous = current;
  }
  return previous[t.length] === true;
}

// ---- Principal / NotPrincipal ----------------------------------------------------------------------

function principalEntryMatches(type: string, value: string, who: Principal): boolean {
  if (type === 'AWS') {
    if (value === '*') return true; // {"AWS": "*"} is everyone, anonymous included
    if (who.kind !== 'aws') return false;
    // An account (id or root ARN) stands for every principal of that account.
    if (value === who.account || value === `arn:aws:iam::${who.account}:root`) return true;
    return value === who.arn;
  }
  if (type === 'Service') return who.kind === 'service' && value === who.name;
  return false; // CanonicalUser, Federated: none of the modelled principals
}

function principalElementMatches(element: Json, who: Principal): boolean {
  if (element === '*') return true;
  if (!isObject(element)) throw new InvalidPolicy('Principal must be "*" or an object');
  return Object.entries(element).some(([type, values]) =>
    asList(values).some((v) => principalEntryMatches(type, String(v), who)),
  );
}

function principalApplies(statement: Record<string, Json>, who: Principal): boolean {
  if ('NotPrincipal' in statement) return !principalElementMatches(statement['NotPrincipal'], who);
  if ('Principal' in statement) return principalElementMatches(statement['Principal'], who);
  throw new InvalidPolicy('a bucket policy statement needs Principal or NotPrincipal');
}

// ---- Action / NotAction, Resource / NotResource ------------------------------------------------------

function listElementApplies(
  statement: Record<string, Json>,
  name: string,
  value: string,
  ignoreCase: boolean,
): boolean {
  const notName = `Not${name}`;
  if (name in statement && notName in statement) throw new InvalidPolicy(`both ${name} and ${notName}`);
  if (notName in statement) return !asList(statement[notName]).some((p) => wildcardMatch(String(p), value, ignoreCase));
  if (name in statement) return asList(statement[name]).some((p) => wildcardMatch(String(p), value, ignoreCase));
  throw new InvalidPolicy(`no ${name} or ${notName}`);
}

// ---- Conditions ---------------------------------------------------------------------------------------

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const address = ipv4ToNumber(ip);
  const network = ipv4ToNumber(base ?? '');
  const bits = Number(bitsText);
  if (address === undefined) return false;
  if (network === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    throw new InvalidPolicy(`bad CIDR ${cidr}`);
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(network / size);
}

function number(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) throw new InvalidPolicy(`not a number: ${text}`);
  return n;
}

/** Positive comparison of one request value with one policy value; the negated operators invert the OR. */
const COMPARE: Record<string, (requestValue: string, policyValue: string) => boolean> = {
  StringEquals: (r, p) => r === p,
  StringEqualsIgnoreCase: (r, p) => r.toLowerCase() === p.toLowerCase(),
  StringLike: (r, p) => wildcardMatch(p, r, false),
  Bool: (r, p) => {
    if (!/^(true|false)$/i.test(p)) throw new InvalidPolicy(`Bool value ${p}`);
    return r.toLowerCase() === p.toLowerCase();
  },
  NumericEquals: (r, p) => Number(r) === number(p),
  NumericLessThan: (r, p) => Number(r) < number(p),
  NumericLessThanEquals: (r, p) => Number(r) <= number(p),
  NumericGreaterThan: (r, p) => Number(r) > number(p),
  NumericGreaterThanEquals: (r, p) => Number(r) >= number(p),
  IpAddress: (r, p) => inCidr(r, p),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  NotIpAddress: 'IpAddress',
};

function conditionValue(v: Json): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new InvalidPolicy('condition values are strings, numbers or booleans');
}

/** One operator, one key: is it true for this request? */
function clauseHolds(
  operatorAsWritten: string,
  key: string,
  policyValues: string[],
  context: Record<string, string>,
): boolean {
  let operator = operatorAsWritten;
  let set: 'any' | 'all' | undefined;
  if (operator.startsWith('ForAnyValue:')) [set, operator] = ['any', operator.slice('ForAnyValue:'.length)];
  else if (operator.startsWith('ForAllValues:')) [set, operator] = ['all', operator.slice('ForAllValues:'.length)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  const present = Object.prototype.hasOwnProperty.call(context, key);

  if (operator === 'Null') {
    if (set || ifExists) throw new InvalidPolicy('Null takes no set prefix or IfExists');
    return policyValues.some((p) => {
      if (p !== 'true' && p !== 'false') throw new InvalidPolicy(`Null value ${p}`);
      return p === 'true' ? !present : present;
    });
  }
  const positive = COMPARE[operator] ?? COMPARE[NEGATED[operator] ?? ''];
  if (!positive) throw new InvalidPolicy(`unknown condition operator ${operatorAsWritten}`);
  const negated = operator in NEGATED;
  if (!present) {
    // The IAM reference: an absent key makes a condition false, except ...IfExists and negated
    // operators (true); with a set operator, ForAllValues is true over no values and ForAnyValue false.
    if (ifExists) return true;
    if (set === 'all') return true;
    if (set === 'any') return false;
    return negated;
  }
  const requestValue = context[key] as string;
  const anyMatch = policyValues.some((p) => positive(requestValue, p));
  return negated ? !anyMatch : anyMatch;
}

function conditionsHold(condition: Json, context: Record<string, string>): boolean {
  if (condition === undefined) return true;
  if (!isObject(condition)) throw new InvalidPolicy('Condition must be an object');
  // Every operator, and every key under it, must hold (AND); the values of one key are ORed above.
  return Object.entries(condition).every(([operator, keys]) => {
    if (!isObject(keys)) throw new InvalidPolicy('Condition operator maps keys to values');
    return Object.entries(keys).every(([key, values]) =>
      clauseHolds(operator, key.toLowerCase(), asList(values).map(conditionValue), context),
    );
  });
}

// ---- Statements and policies ------------------------------------------------------------------------

function statementDenies(statement: Json, request: Request): boolean {
  if (!isObject(statement)) throw new InvalidPolicy('a statement is an object');
  // Evaluate every element first, so an invalid statement is invalid whatever the request.
  const isDeny = statement['Effect'] === 'Deny';
  if (statement['Effect'] !== 'Deny' && statement['Effect'] !== 'Allow')
    throw new InvalidPolicy('Effect is Allow or Deny');
  const principal = principalApplies(statement, request.principal);
  const action = listElementApplies(statement, 'Action', request.action, true);
  const resource = listElementApplies(statement, 'Resource', request.resource, false);
  const condition = conditionsHold(statement['Condition'], request.context);
  return isDeny && principal && action && resource && condition;
}

function statementsOf(policy: Json): Json[] {
  if (!isObject(policy)) throw new InvalidPolicy('a policy is an object');
  const statements = asList(policy['Statement']);
  if (policy['Statement'] === undefined || statements.length === 0) throw new InvalidPolicy('no statements');
  return statements;
}

/** Does some Deny statement of the policy apply to the request? Throws InvalidPolicy for a policy AWS refuses. */
function denies(policy: Json, request: Request): boolean {
  let denied = false;
  for (const statement of statementsOf(policy)) denied = statementDenies(statement, request) || denied;
  return denied;
}

// ---- The request universe and the two verdicts ---------------------------------------------------------

export const BUCKET = 'example-bucket';
export const OWNER_ACCOUNT = '111122223333';
export const KMS_KEY_A = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const KMS_KEY_B = 'arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const KMS_KEY_UNLISTED = 'arn:aws:kms:us-east-1:444455556666:key/ffffffff-ffff-ffff-ffff-ffffffffffff';
export const SSE_VALUES = ['AES256', 'aws:kms', 'aws:kms:dsse'] as const;

const PRINCIPALS: Principal[] = [
  { kind: 'anonymous' },
  { kind: 'aws', arn: `arn:aws:iam::${OWNER_ACCOUNT}:role/Admin`, account: OWNER_ACCOUNT },
  { kind: 'aws', arn: `arn:aws:iam::${OWNER_ACCOUNT}:user/alice`, account: OWNER_ACCOUNT },
  { kind: 'aws', arn: 'arn:aws:iam::444455556666:role/Partner', account: '444455556666' },
  { kind: 'service', name: 'cloudtrail.amazonaws.com' },
];

/** Real S3 actions, bucket-level and object-level; every one is tried on the bucket and on every object. */
const S3_ACTIONS = [
  's3:PutObject',
  's3:GetObject',
  's3:DeleteObject',
  's3:PutObjectAcl',
  's3:RestoreObject',
  's3:AbortMultipartUpload',
  's3:ListBucket',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:GetBucketLocation',
];

const OBJECT_KEYS = [
  'report.csv',
  'logs/2026/01/app.log',
  'logs',
  'private/secret.txt',
  'public/index.html',
  'x',
  'a/b/c',
];
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const OBJECT_ARNS = OBJECT_KEYS.map((k) => `${BUCKET_ARN}/${k}`);

const SSE = 's3:x-amz-server-side-encryption';
const KMS_KEY = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const SECURE_TRANSPORT = 'aws:securetransport';
const TLS_VERSION = 's3:tlsversion';
const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'];

/** Keys the universe sets itself: the transport, the upload headers and the principal's account. */
const BUILT_IN_KEYS = new Set([SECURE_TRANSPORT, TLS_VERSION, SSE, KMS_KEY, 'aws:principalaccount']);

/** Every condition clause of the policy as [lower-cased key, operator, values]. */
function clausesOf(policy: Json): [string, string, string[]][] {
  const clauses: [string, string, string[]][] = [];
  for (const statement of statementsOf(policy)) {
    const condition = isObject(statement) ? statement['Condition'] : undefined;
    if (!isObject(condition)) continue;
    for (const [operator, block] of Object.entries(condition)) {
      if (isObject(block))
        for (const [key, values] of Object.entries(block))
          clauses.push([key.toLowerCase(), operator, asList(values).map(String)]);
    }
  }
  return clauses;
}

function mentionedKeys(policy: Json): Set<string> {
  return new Set(clausesOf(policy).map(([key]) => key));
}

/**
 * Any other key the policy tests (aws:SourceIp, aws:SourceVpce, s3:prefix …) is tried absent, with every
 * value the policy names for it (a CIDR's own address), and with a value it names nowhere.
 */
function otherKeyDimensions(policy: Json): Dimension[] {
  const values = new Map<string, Set<string | undefined>>();
  for (const [key, operator, written] of clausesOf(policy)) {
    if (BUILT_IN_KEYS.has(key)) continue;
    const set =
      values.get(key) ??
      new Set<string | undefined>([undefined, key === 'aws:sourceip' ? '0.0.0.1' : 'value-named-nowhere']);
    if (operator !== 'Null') for (const v of written) set.add(/IpAddress/.test(operator) ? (v.split('/')[0] ?? v) : v);
    values.set(key, set);
  }
  return [...values.entries()].map(([key, set]) => [key, [...set]]);
}

/** Every combination of the dimensions' values (undefined leaves the key absent). */
function* contexts(dimensions: Dimension[]): Generator<Record<string, string>> {
  const [first, ...rest] = dimensions;
  if (!first) {
    yield {};
    return;
  }
  const [key, values] = first;
  for (const tail of contexts(rest)) {
    for (const value of values) yield value === undefined ? tail : { ...tail, [key]: value };
  }
}

/**
 * A key that no condition of the policy mentions cannot change any outcome, so it is tried with one
 * value only; that keeps the enumeration small without losing a request that could make a difference.
 */
function reduce(dimensions: Dimension[], mentioned: Set<string>): Dimension[] {
  return dimensions.map(([key, values]) => [key, mentioned.has(key) ? values : values.slice(0, 1)]);
}

function principalContext(who: Principal): Record<string, string> {
  return who.kind === 'aws' ? { 'aws:principalaccount': who.account } : {};
}

type Dimension = [string, (string | undefined)[]];

const PLAIN_HTTP: Dimension[] = [
  [SECURE_TRANSPORT, ['false']],
  [TLS_VERSION, [undefined]],
];
const ANY_TRANSPORT: Dimension[] = [
  [SECURE_TRANSPORT, ['true', 'false']],
  [TLS_VERSION, [undefined, ...TLS_VERSIONS]],
];

/** The upload headers an action can carry: the SSE header and KMS key id exist on uploads only. */
function uploadDimensions(action: string, sse: (string | undefined)[]): Dimension[][] {
  if (action.toLowerCase() !== 's3:putobject') return [[]];
  return sse.map((value) => {
    const kmsKeys =
      value === 'aws:kms' || value === 'aws:kms:dsse'
        ? [undefined, KMS_KEY_A, KMS_KEY_B, KMS_KEY_UNLISTED]
        : [undefined];
    return [
      [SSE, [value]],
      [KMS_KEY, kmsKeys],
    ];
  });
}

/**
 * Every request of the scope. `transport` dimensions are fixed by the question asked (plain HTTP, HTTPS
 * below a version) unless `reducibleTransport` says any transport will do.
 */
function* requests(
  policy: Json,
  scope: {
    actions: string[];
    resources: string[];
    transport: Dimension[];
    reducibleTransport?: boolean;
    sse: (string | undefined)[];
  },
): Generator<Request> {
  const mentioned = mentionedKeys(policy);
  for (const principal of PRINCIPALS) {
    for (const action of scope.actions) {
      for (const upload of uploadDimensions(action, scope.sse)) {
        const reducible = [
          ...(scope.reducibleTransport ? scope.transport : []),
          ...upload,
          ...otherKeyDimensions(policy),
        ];
        const dimensions = [...(scope.reducibleTransport ? [] : scope.transport), ...reduce(reducible, mentioned)];
        for (const context of contexts(dimensions)) {
          for (const resource of scope.resources) {
            yield { principal, action, resource, context: { ...principalContext(principal), ...context } };
          }
        }
      }
    }
  }
}

export type ReferenceVerdict = { pass: true; requests: number } | { pass: false; requests: number; witness: Request };

function everyDenied(policy: Json, all: Iterable<Request>): ReferenceVerdict {
  let count = 0;
  for (const request of all) {
    count++;
    if (!denies(policy, request)) return { pass: false, requests: count, witness: request };
  }
  return { pass: true, requests: count };
}

/** TLS passes when every S3 action over plain HTTP, on the bucket and on every object, is denied for every principal. */
export function referenceTlsVerdict(policy: Json): ReferenceVerdict {
  const sse = [undefined, ...SSE_VALUES];
  return everyDenied(
    policy,
    requests(policy, { actions: S3_ACTIONS, resources: [BUCKET_ARN, ...OBJECT_ARNS], transport: PLAIN_HTTP, sse }),
  );
}

/** SSE passes when every PutObject without the x-amz-server-side-encryption header, to every object, is denied for every principal. */
export function referenceSseVerdict(policy: Json): ReferenceVerdict {
  return everyDenied(
    policy,
    requests(policy, {
      actions: ['s3:PutObject'],
      resources: OBJECT_ARNS,
      transport: ANY_TRANSPORT,
      reducibleTransport: true,
      sse: [undefined],
    }),
  );
}

/** The uploads with this SSE value that some principal can make to some object (none denied). */
export function acceptedUploads(policy: Json, sseValue: string): Request[] {
  const accepted: Request[] = [];
  for (const request of requests(policy, {
    actions: ['s3:PutObject'],
    resources: OBJECT_ARNS,
    transport: ANY_TRANSPORT,
    reducibleTransport: true,
    sse: [sseValue],
  })) {
    if (!denies(policy, request)) accepted.push(request);
  }
  return accepted;
}

/** Is every HTTPS request below this TLS version denied (any action, principal, resource)? */
export function referenceRefusesTlsBelow(policy: Json, version: string): ReferenceVerdict {
  const below = TLS_VERSIONS.filter((v) => Number(v) < Number(version));
  const transport: Dimension[] = [
    [SECURE_TRANSPORT, ['true']],
    [TLS_VERSION, below],
  ];
  return everyDenied(
    policy,
    requests(policy, {
      actions: S3_ACTIONS,
      resources: [BUCKET_ARN, ...OBJECT_ARNS],
      transport,
      sse: [undefined, ...SSE_VALUES],
    }),
  );
}

export function describeRequest(r: Request): string {
  const who =
    r.principal.kind === 'anonymous' ? 'anonymous' : r.principal.kind === 'aws' ? r.principal.arn : r.principal.name;
  return `${who} ${r.action} ${r.resource} ${JSON.stringify(r.context)}`;
}
