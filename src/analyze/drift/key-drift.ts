/**
 * Drift of one KMS key: its key policy and its rotation.
 *
 * critical: rotation turned off (then graded as the rotation control, which judges it); an Allow
 *           statement (added or changed) grants a principal no Allow statement of the approved policy granted.
 * medium:   other policy changes, a longer rotation period, a side unreadable.
 * info:     rotation turned on or made more frequent, a Deny statement added.
 */
import type { KeySnapshot, RotationSnapshot } from '../../evidence/baseline-snapshot.js';
import type { DriftItem } from '../../model/governance-sections.js';
import { canonicalPolicy, type CanonicalContent } from './canonical.js';
import { named, notComparable, statementChanges, statementItem, type Subject } from './policy-items.js';

/** "AWS:arn:aws:iam::1:root", "Service:logs.amazonaws.com"; an Allow with NotPrincipal grants "everyone except …". */
function grantees(content: CanonicalContent): string[] {
  if (content.Effect !== 'Allow') return [];
  if (content.NotPrincipal) {
    return [
      `everyone except ${Object.entries(content.NotPrincipal)
        .flatMap(([t, vs]) => vs.map((v) => `${t}:${v}`))
        .join(', ')}`,
    ];
  }
  return Object.entries(content.Principal ?? {}).flatMap(([type, values]) => values.map((v) => `${type}:${v}`));
}

function grantedBy(document: unknown): Set<string> {
  const policy = canonicalPolicy(document);
  return new Set(policy.ok ? policy.statements.flatMap((s) => grantees(s.content)) : []);
}

function keyPolicyDrift(subject: Subject, before: KeySnapshot['policy'], after: KeySnapshot['policy']): DriftItem[] {
  const unknown = notComparable(subject, 'key policy', before, after);
  if (unknown) return [unknown];
  if (before.state !== 'present' || after.state !== 'present') {
    if (before.state === after.state) return [];
    const added = after.state === 'present';
    return [
      {
        ...subject,
        kind: added ? 'policy_added' : 'policy_removed',
        severity: 'medium',
        summary: `The key policy of ${named(subject)} is ${added ? 'present now but was absent' : 'absent now but was present'} when the baseline was approved.`,
        before: before.state === 'present' ? before.document : null,
        after: after.state === 'present' ? after.document : null,
      },
    ];
  }
  const diff = statementChanges(subject, 'key policy', before.document, after.document);
  if ('item' in diff) return diff.item ? [diff.item] : [];
  const approved = grantedBy(before.document);
  return diff.changes.map((change) =>
    statementItem(subject, 'key policy', change, (c) => {
      if (c.kind !== 'removed') {
        const fresh = grantees(c.after.content).filter((g) => !approved.has(g));
        if (fresh.length > 0)
          return { severity: 'critical', note: `grants ${fresh.join(', ')}, which the baseline did not` };
        if (c.kind === 'added' && c.after.content.Effect === 'Deny') return { severity: 'info' };
      }
      return { severity: 'medium' };
    }),
  );
}

function describeRotation(r: RotationSnapshot): string {
  switch (r.state) {
    case 'enabled':
      return r.periodDays ? `on (every ${r.periodDays} days)` : 'on';
    case 'disabled':
      return 'off';
    case 'aws_managed':
      return 'managed by AWS';
    case 'not_collected':
      return 'not collected';
    case 'unreadable':
      return `unreadable (${r.errorCode})`;
  }
}

function rotationDrift(subject: Subject, before: RotationSnapshot, after: RotationSnapshot): DriftItem[] {
  const from = describeRotation(before);
  const to = describeRotation(after);
  if (from === to) return [];
  const item = (
    kind: DriftItem['kind'],
    severity: DriftItem['severity'],
    summary: string,
    weakens?: string[],
  ): DriftItem[] => [{ ...subject, kind, severity, ...(weakens ? { weakens } : {}), summary, before, after }];
  const comparable = (r: RotationSnapshot) =>
    r.state === 'enabled' || r.state === 'disabled' || r.state === 'aws_managed';
  if (!comparable(before) || !comparable(after)) {
    return item(
      'not_comparable',
      'medium',
      `Rotation of ${named(subject)} cannot be compared with the baseline: it was ${from}, it is ${to}.`,
    );
  }
  if (before.state === 'enabled' && after.state !== 'enabled') {
    return item(
      'key_rotation',
      after.state === 'disabled' ? 'critical' : 'medium',
      `Automatic rotation of ${named(subject)} turned ${after.state === 'disabled' ? 'off' : to}.`,
      after.state === 'disabled' ? ['kms-customer-keys-rotate'] : undefined,
    );
  }
  if (before.state !== 'enabled' && after.state === 'enabled')
    return item('key_rotation', 'info', `Automatic rotation of ${named(subject)} turned ${to}.`);
  if (before.state === 'enabled' && after.state === 'enabled') {
    const longer = (after.periodDays ?? 365) > (before.periodDays ?? 365);
    return item(
      'key_rotation',
      longer ? 'medium' : 'info',
      `Rotation period of ${named(subject)} changed from ${from} to ${to}.`,
    );
  }
  return item('key_rotation', 'medium', `Rotation of ${named(subject)} changed from ${from} to ${to}.`);
}

export function keyDrift(before: KeySnapshot, after: KeySnapshot): DriftItem[] {
  const subject: Subject = { resource: after.id, resourceType: 'key' };
  return [
    ...rotationDrift(subject, before.rotation, after.rotation),
    ...keyPolicyDrift(subject, before.policy, after.policy),
  ];
}
