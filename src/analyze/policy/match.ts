/**
 * Coverage of Action / Resource / Principal elements. Wildcards: `*` any run of characters, `?` one.
 * Action names compare case-insensitively; ARNs case-sensitively.
 */

export type Reach = 'all' | 'some' | 'none';

export function globMatches(pattern: string, text: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(text);
}

/**
 * How much of the set "`prefix` followed by at least one character" the glob `pattern` matches: 'all'
 * of it, 'some' of it, or 'none'. What follows the prefix is an object key or an action name, never
 * empty, so `arn:aws:s3:::bucket/?*` covers every object and `arn:aws:s3:::bucket/` none.
 */
export function patternReachOverPrefix(pattern: string, prefix: string): Reach {
  if (coversAll(pattern, 0, prefix, 0)) return 'all';
  return matchesSome(pattern, 0, prefix, 0) ? 'some' : 'none';
}

/** Does the glob match every non-empty string? Only stars with at most one `?` among them do. */
function matchesEveryNonEmpty(rest: string): boolean {
  return /^[*?]*$/.test(rest) && rest.includes('*') && rest.split('?').length <= 2;
}

function coversAll(p: string, i: number, x: string, j: number): boolean {
  // Once the prefix is consumed, what is left of the pattern must match every non-empty suffix.
  if (j === x.length) return matchesEveryNonEmpty(p.slice(i));
  if (i === p.length) return false;
  const c = p[i];
  // A star either ends here or swallows one more character of the prefix (and may go on into the suffix).
  if (c === '*') return coversAll(p, i + 1, x, j) || coversAll(p, i, x, j + 1);
  return (c === '?' || c === x[j]) && coversAll(p, i + 1, x, j + 1);
}

function matchesSome(p: string, i: number, x: string, j: number): boolean {
  if (j === x.length) return i < p.length; // a non-empty rest matches some non-empty suffix
  if (i === p.length) return false;
  const c = p[i];
  if (c === '*') return true; // the star can swallow the rest of the prefix
  return (c === '?' || c === x[j]) && matchesSome(p, i + 1, x, j + 1);
}

/** An Action or NotAction element: NotAction applies the statement to every action NOT listed. */
export interface ActionElement {
  negated: boolean;
  patterns: string[];
}

export function actionCovers(element: ActionElement, action: string): boolean {
  const listed = element.patterns.some((p) => globMatches(p, action, true));
  return element.negated ? !listed : listed;
}

/** How much of the S3 API ("s3:" + any action name) the element applies to. */
export function s3ActionReach(element: ActionElement): Reach {
  const reaches = element.patterns.map((p) => patternReachOverPrefix(p.toLowerCase(), 's3:'));
  const best: Reach = reaches.includes('all') ? 'all' : reaches.includes('some') ? 'some' : 'none';
  if (!element.negated) return best;
  return best === 'all' ? 'none' : best === 'some' ? 'some' : 'all';
}

/** A Resource or NotResource element. */
export interface ResourceElement {
  negated: boolean;
  patterns: string[];
}

export interface BucketReach {
  /** The bucket itself (arn:aws:s3:::bucket): bucket-level actions such as ListBucket. */
  bucket: boolean;
  /** Its objects (arn:aws:s3:::bucket/<any key>). */
  objects: Reach;
  /** Patterns that explain a partial or missing reach, as written. */
  limitingPatterns: string[];
}

/** Patterns for other partitions (aws-cn, aws-us-gov) are compared as if in the aws partition. */
function toAwsPartition(pattern: string): string {
  return pattern.replace(/^arn:aws-(cn|us-gov|iso|iso-b):/, 'arn:aws:');
}

function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function bucketReach(element: ResourceElement, bucket: string): BucketReach {
  const arn = bucketArn(bucket);
  const objectPrefix = `${arn}/`;
  const patterns = element.patterns.map((p) => ({ written: p, pattern: toAwsPartition(p) }));
  const matchesBucket = patterns.some((p) => globMatches(p.pattern, arn, false));
  const reaches = patterns.map((p) => ({ ...p, reach: patternReachOverPrefix(p.pattern, objectPrefix) }));
  const best: Reach = reaches.some((r) => r.reach === 'all')
    ? 'all'
    : reaches.some((r) => r.reach === 'some')
      ? 'some'
      : 'none';
  const touching = reaches.filter((r) => r.reach !== 'none').map((r) => r.written);
  if (!element.negated) {
    return {
      bucket: matchesBucket,
      objects: best,
      limitingPatterns: best === 'all' ? [] : best === 'some' ? touching : element.patterns,
    };
  }
  const objects: Reach = best === 'all' ? 'none' : best === 'some' ? 'some' : 'all';
  return { bucket: !matchesBucket, objects, limitingPatterns: touching };
}

/** The Principal / NotPrincipal element, reduced to "everyone" or a description of who. */
export type PrincipalScope = { everyone: true } | { everyone: false; description: string };

export function principalScope(principal: unknown, notPrincipal: unknown): PrincipalScope {
  if (notPrincipal !== undefined) {
    return { everyone: false, description: `everyone except ${principalNames(notPrincipal).join(', ')}` };
  }
  if (principal === undefined)
    return { everyone: false, description: 'no principal at all (the statement names none)' };
  if (principal === '*') return { everyone: true };
  if (typeof principal === 'object' && principal !== null && !Array.isArray(principal)) {
    const aws = (principal as Record<string, unknown>)['AWS'];
    const awsList = Array.isArray(aws) ? aws : [aws];
    if (awsList.includes('*')) return { everyone: true };
  }
  const names = principalNames(principal);
  return { everyone: false, description: `${names.length === 1 ? 'principal' : 'principals'} ${names.join(', ')}` };
}

function principalNames(element: unknown): string[] {
  if (typeof element !== 'object' || element === null) return [String(element)];
  const names: string[] = [];
  for (const value of Object.values(element as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) names.push(String(v));
  }
  return names;
}
