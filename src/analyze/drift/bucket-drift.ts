/**
 * Drift of one bucket: default encryption, public access block, bucket policy.
 *
 * critical: default encryption downgraded from SSE-KMS / DSSE-KMS to SSE-S3 (or to none), or its
 *           KMS key moved from a customer key to the AWS-managed aws/s3 key; a public-access-block
 *           setting relaxed; the SSE or TLS guardrail of the policy weakened (statement removed or
 *           narrowed, the policy removed); SSE-C blocking removed.
 * medium:   other changes that affect who may do what or how data is encrypted (another key, a
 *           lesser downgrade, a policy statement added / changed / removed, a side unreadable).
 * info:     improvements (upgrade to a stronger mode, a block turned on, a Deny added) and Bucket Key.
 * A critical item that weakens a guardrail a control judges names that control (`weakens`); the
 * analysis then gives it the control's severity (regradeDrift), the scale the findings use.
 */
import type {
  BucketSnapshot,
  EncryptionSnapshot,
  KeySnapshot,
  PublicAccessBlockSnapshot,
} from '../../evidence/baseline-snapshot.js';
import type { DriftItem } from '../../model/governance-sections.js';
import type { Severity } from '../../model/severity.js';
import { modeForAlgorithm } from '../default-encryption.js';
import { stableStringify } from './canonical.js';
import { enforcementOf, strengthened, weakenings, type Weakening } from './enforcement.js';
import { named, notComparable, statementChanges, statementItem, type Subject } from './policy-items.js';

// ---------------------------------------------------------------- default encryption

interface EncryptionView {
  /** SSE-S3 | SSE-KMS | DSSE-KMS, "none", or the algorithm as written when unknown. */
  mode: string;
  rank: number;
  kmsKeyId?: string;
  /** The key's ARN when the snapshot resolved the reference (so key id vs ARN is not drift). */
  keyIdentity?: string;
  /** KMS mode using the AWS-managed aws/s3 key. */
  awsManagedKey: boolean;
  bucketKeyEnabled: boolean;
  rules: number;
  /** The first rule lists SSE-C in BlockedEncryptionTypes. */
  sseCBlocked: boolean;
}

const MODE_RANK: Record<string, number> = { 'DSSE-KMS': 3, 'SSE-KMS': 2, 'SSE-S3': 1, none: 0 };
const KMS_MODES = new Set(['SSE-KMS', 'DSSE-KMS']);

function keyFor(keyId: string | undefined, keys: KeySnapshot[]): KeySnapshot | undefined {
  return keyId === undefined ? undefined : keys.find((k) => k.id === keyId || k.references.includes(keyId));
}

function isAwsManagedKey(keyId: string | undefined, keys: KeySnapshot[]): boolean {
  if (keyId === undefined || keyId.endsWith('alias/aws/s3')) return true;
  return keyFor(keyId, keys)?.manager === 'AWS';
}

function encryptionView(
  e: Extract<EncryptionSnapshot, { state: 'configured' | 'not_configured' }>,
  keys: KeySnapshot[],
): EncryptionView {
  const rules = e.state === 'configured' ? (e.configuration.Rules ?? []) : [];
  const first = rules[0];
  const algorithm = first?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  const mode = algorithm === undefined ? 'none' : (modeForAlgorithm(algorithm) ?? algorithm);
  const kms = KMS_MODES.has(mode);
  const kmsKeyId = kms ? first?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID : undefined;
  const keyIdentity = keyFor(kmsKeyId, keys)?.arn ?? kmsKeyId;
  return {
    mode,
    rank: MODE_RANK[mode] ?? 0,
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(keyIdentity !== undefined ? { keyIdentity } : {}),
    awsManagedKey: kms && isAwsManagedKey(kmsKeyId, keys),
    bucketKeyEnabled: first?.BucketKeyEnabled === true,
    rules: rules.length,
    sseCBlocked: (first?.BlockedEncryptionTypes?.EncryptionType ?? []).includes('SSE-C'),
  };
}

function describeMode(v: EncryptionView): string {
  if (v.mode === 'none') return 'no default encryption';
  if (!KMS_MODES.has(v.mode)) return v.mode;
  return `${v.mode} with ${v.awsManagedKey ? 'the AWS-managed aws/s3 key' : `key ${v.kmsKeyId}`}`;
}

/** The controls that judge a bucket's default encryption: enabled at all, and as the tenant expects. */
const ENCRYPTION_CONTROLS = {
  removed: ['s3-default-encryption-enabled', 's3-default-encryption-matches-expectation'],
  weakened: ['s3-default-encryption-matches-expectation'],
};

/** The control that judges each policy guardrail. */
const GUARDRAIL_CONTROL: Record<Weakening['guardrail'], string> = {
  SSE: 's3-policy-denies-unencrypted-uploads',
  TLS: 's3-policy-denies-insecure-transport',
};

function guardrailControls(ws: readonly Weakening[]): string[] {
  return [...new Set(ws.map((w) => GUARDRAIL_CONTROL[w.guardrail]))];
}

function encryptionJudgement(
  b: EncryptionView,
  a: EncryptionView,
): { severity: Severity; text: string; weakens?: string[] } {
  const from = describeMode(b);
  const to = describeMode(a);
  if (KMS_MODES.has(b.mode) && a.rank < MODE_RANK['SSE-KMS']!)
    return {
      severity: 'critical',
      text: `downgraded from ${from} to ${to}`,
      weakens: a.mode === 'none' ? ENCRYPTION_CONTROLS.removed : ENCRYPTION_CONTROLS.weakened,
    };
  if (KMS_MODES.has(b.mode) && KMS_MODES.has(a.mode) && !b.awsManagedKey && a.awsManagedKey) {
    return {
      severity: 'critical',
      weakens: ENCRYPTION_CONTROLS.weakened,
      text: `KMS key changed from customer-managed key ${b.kmsKeyId} to the AWS-managed aws/s3 key`,
    };
  }
  if (a.rank < b.rank || (a.mode !== b.mode && !(a.mode in MODE_RANK)))
    return { severity: 'medium', text: `changed from ${from} to ${to}` };
  if (a.rank > b.rank) return { severity: 'info', text: `upgraded from ${from} to ${to}` };
  if (a.keyIdentity !== b.keyIdentity || a.awsManagedKey !== b.awsManagedKey)
    return { severity: 'medium', text: `changed from ${from} to ${to}` };
  // Accepting uploads under keys the tenant does not hold again weakens what the SSE-C control judges.
  if (b.sseCBlocked && !a.sseCBlocked)
    return {
      severity: 'critical',
      text: 'no longer blocks SSE-C uploads (BlockedEncryptionTypes SSE-C removed)',
      weakens: ['s3-sse-c-uploads-blocked'],
    };
  if (!b.sseCBlocked && a.sseCBlocked) return { severity: 'info', text: 'now blocks SSE-C uploads' };
  if (a.rules !== b.rules)
    return { severity: 'info', text: `now has ${a.rules} encryption rule(s), had ${b.rules} (S3 applies the first)` };
  return { severity: 'info', text: `S3 Bucket Key turned ${a.bucketKeyEnabled ? 'on' : 'off'}` };
}

function encryptionDrift(
  subject: Subject,
  before: BucketSnapshot,
  after: BucketSnapshot,
  keys: { before: KeySnapshot[]; after: KeySnapshot[] },
): DriftItem[] {
  const b = before.encryption;
  const a = after.encryption;
  const identity = (e: EncryptionSnapshot) =>
    e.state === 'unreadable' ? `unreadable:${e.errorCode}` : stableStringify(e);
  if (identity(b) === identity(a)) return [];
  const value = (e: EncryptionSnapshot) => (e.state === 'configured' ? e.configuration : e);
  if (b.state === 'unreadable' || a.state === 'unreadable') {
    const side =
      a.state === 'unreadable'
        ? `is unreadable now (${a.errorCode})`
        : `was unreadable when the baseline was approved (${(b as { errorCode: string }).errorCode})`;
    return [
      {
        ...subject,
        kind: 'not_comparable',
        severity: 'medium',
        summary: `The default encryption of ${named(subject)} cannot be compared with the baseline: it ${side}.`,
        before: value(b),
        after: value(a),
      },
    ];
  }
  const bv = encryptionView(b, keys.before);
  const av = encryptionView(a, keys.after);
  const { kmsKeyId: _b, ...bSame } = bv;
  const { kmsKeyId: _a, ...aSame } = av;
  if (stableStringify(bSame) === stableStringify(aSame)) return [];
  const { severity, text, weakens } = encryptionJudgement(bv, av);
  return [
    {
      ...subject,
      kind: 'default_encryption',
      severity,
      ...(weakens ? { weakens } : {}),
      summary: `Default encryption of ${named(subject)} ${text}.`,
      before: value(b),
      after: value(a),
    },
  ];
}

// ---------------------------------------------------------------- public access block

const BLOCK_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

function blockFlags(
  p: Extract<PublicAccessBlockSnapshot, { state: 'configured' | 'not_configured' }>,
): Record<string, boolean> {
  const c = p.state === 'configured' ? p.configuration : {};
  return Object.fromEntries(BLOCK_SETTINGS.map((s) => [s, c[s] === true]));
}

function publicAccessBlockDrift(
  subject: Subject,
  before: PublicAccessBlockSnapshot,
  after: PublicAccessBlockSnapshot,
): DriftItem[] {
  const value = (p: PublicAccessBlockSnapshot) => (p.state === 'configured' ? p.configuration : p);
  if (before.state === 'unreadable' || after.state === 'unreadable') {
    if (before.state === 'unreadable' && after.state === 'unreadable' && before.errorCode === after.errorCode)
      return [];
    const side =
      after.state === 'unreadable'
        ? `is unreadable now (${after.errorCode})`
        : 'was unreadable when the baseline was approved';
    return [
      {
        ...subject,
        kind: 'not_comparable',
        severity: 'medium',
        summary: `The public access block of ${named(subject)} cannot be compared with the baseline: it ${side}.`,
        before: value(before),
        after: value(after),
      },
    ];
  }
  const b = blockFlags(before);
  const a = blockFlags(after);
  const relaxed = BLOCK_SETTINGS.filter((s) => b[s] && !a[s]);
  const tightened = BLOCK_SETTINGS.filter((s) => !b[s] && a[s]);
  if (relaxed.length === 0 && tightened.length === 0) return [];
  const parts = [
    ...(relaxed.length > 0 ? [`${relaxed.join(', ')} turned off`] : []),
    ...(tightened.length > 0 ? [`${tightened.join(', ')} turned on`] : []),
  ];
  return [
    {
      ...subject,
      kind: 'public_access_block',
      severity: relaxed.length > 0 ? 'critical' : 'info',
      summary: `Public access block of ${named(subject)} ${relaxed.length > 0 ? 'relaxed' : 'tightened'}: ${parts.join('; ')}.`,
      before: value(before),
      after: value(after),
    },
  ];
}

// ---------------------------------------------------------------- bucket policy

function policyDrift(
  subject: Subject,
  bucket: string,
  before: BucketSnapshot['policy'],
  after: BucketSnapshot['policy'],
): DriftItem[] {
  const unknown = notComparable(subject, 'bucket policy', before, after);
  if (unknown) return [unknown];
  const eb = enforcementOf(before, bucket);
  const ea = enforcementOf(after, bucket);
  const weak = weakenings(eb, ea);
  const weakText = (ws: Weakening[]) => ws.map((w) => w.description).join('; ');

  if (before.state === 'none' && after.state === 'present') {
    return [
      {
        ...subject,
        kind: 'policy_added',
        severity: strengthened(eb, ea) ? 'info' : 'medium',
        summary: `A bucket policy was added to ${named(subject)}.`,
        before: null,
        after: after.document,
      },
    ];
  }
  if (before.state === 'present' && after.state === 'none') {
    const severity = weak.length > 0 ? 'critical' : 'medium';
    const tail = weak.length > 0 ? `: ${weakText(weak)}` : '';
    return [
      {
        ...subject,
        kind: 'policy_removed',
        severity,
        ...(weak.length > 0 ? { weakens: guardrailControls(weak) } : {}),
        summary: `The bucket policy of ${named(subject)} was removed${tail}.`,
        before: before.document,
        after: null,
      },
    ];
  }
  if (before.state !== 'present' || after.state !== 'present') return [];

  const diff = statementChanges(subject, 'bucket policy', before.document, after.document);
  if ('item' in diff) return diff.item ? [diff.item] : [];
  const attributed = new Set<Weakening>();
  const items = diff.changes.map((change) =>
    statementItem(subject, 'bucket policy', change, (c) => {
      if (c.kind !== 'added') {
        const hits = weak.filter((w) => w.statements.includes(c.before.label));
        hits.forEach((w) => attributed.add(w));
        if (hits.length > 0) return { severity: 'critical', note: weakText(hits), weakens: guardrailControls(hits) };
      }
      if (c.kind === 'added' && c.after.content.Effect === 'Deny') return { severity: 'info' };
      return { severity: 'medium' };
    }),
  );
  const unattributed = weak.filter((w) => !attributed.has(w));
  if (unattributed.length > 0) {
    items.push({
      ...subject,
      kind: 'policy_enforcement',
      severity: 'critical',
      weakens: guardrailControls(unattributed),
      summary: `The bucket policy of ${named(subject)} enforces less than the baseline: ${weakText(unattributed)}.`,
      before: before.document,
      after: after.document,
    });
  }
  return items;
}

export function bucketDrift(
  before: BucketSnapshot,
  after: BucketSnapshot,
  keys: { before: KeySnapshot[]; after: KeySnapshot[] },
): DriftItem[] {
  const subject: Subject = { resource: after.name, resourceType: 'bucket' };
  return [
    ...encryptionDrift(subject, before, after, keys),
    ...publicAccessBlockDrift(subject, before.publicAccessBlock, after.publicAccessBlock),
    ...policyDrift(subject, after.name, before.policy, after.policy),
  ];
}
