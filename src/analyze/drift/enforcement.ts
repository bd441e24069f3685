/**
 * Did a bucket policy's guardrails weaken? The policy analysis is run on the approved and on the
 * current policy and the verdicts are compared: a lower level (yes > partial > no), more SSE
 * values or KMS keys let through, or a lower minimum TLS version.
 */
import type { PolicySnapshot } from '../../evidence/baseline-snapshot.js';
import type { EnforcementLevel } from '../../model/packet.js';
import { analyzeBucketPolicy, type SseEnforcement, type TlsEnforcement } from '../policy/index.js';

export type PolicyEnforcement =
  { state: 'known'; sse: SseEnforcement; tls: TlsEnforcement } | { state: 'unknown'; reason: string };

export interface Weakening {
  guardrail: 'SSE' | 'TLS';
  /** e.g. "TLS enforcement fell from yes to partial" */
  description: string;
  /** Labels (Sid or #n) of the approved statements that gave the stronger verdict. */
  statements: string[];
}

const RANK: Record<EnforcementLevel, number> = { yes: 3, partial: 2, no: 1, unknown: 0 };

function hasNoStatements(document: unknown): boolean {
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  return statements === undefined || statements === null || (Array.isArray(statements) && statements.length === 0);
}

export function enforcementOf(policy: PolicySnapshot, bucket: string): PolicyEnforcement {
  if (policy.state === 'present' && hasNoStatements(policy.document)) return enforcementOf({ state: 'none' }, bucket);
  switch (policy.state) {
    case 'none': {
      const none = { level: 'no' as const, reason: 'no bucket policy', statements: [] };
      return { state: 'known', sse: { ...none, allowedValues: 'any' }, tls: none };
    }
    case 'present': {
      const analysis = analyzeBucketPolicy(JSON.stringify(policy.document), bucket);
      if (analysis.state === 'unparsable') return { state: 'unknown', reason: analysis.error };
      return { state: 'known', sse: analysis.sse, tls: analysis.tls };
    }
    case 'unparsable':
      return { state: 'unknown', reason: `the policy is not valid JSON (${policy.error})` };
    case 'unreadable':
      return { state: 'unknown', reason: `the policy could not be read (${policy.errorCode})` };
  }
}

function added<T>(before: T[], after: T[]): T[] {
  return after.filter((v) => !before.includes(v));
}

function sseWeakening(before: SseEnforcement, after: SseEnforcement): string | undefined {
  if (RANK[after.level] < RANK[before.level]) return `SSE enforcement fell from ${before.level} to ${after.level}`;
  if (before.level === 'no') return undefined;
  if (before.allowedValues !== 'any') {
    if (after.allowedValues === 'any') return 'uploads with any x-amz-server-side-encryption value are now accepted';
    const more = added(before.allowedValues, after.allowedValues);
    if (more.length > 0) return `uploads with ${more.join(', ')} are now accepted`;
  }
  if (before.requiredKmsKeys) {
    if (!after.requiredKmsKeys) return 'uploads no longer have to name one of the required KMS keys';
    const more = added(before.requiredKmsKeys, after.requiredKmsKeys);
    if (more.length > 0) return `uploads with KMS key ${more.join(', ')} are now accepted`;
  }
  return undefined;
}

function tlsWeakening(before: TlsEnforcement, after: TlsEnforcement): string | undefined {
  if (RANK[after.level] < RANK[before.level]) return `TLS enforcement fell from ${before.level} to ${after.level}`;
  if (before.minimumTlsVersion !== undefined) {
    if (after.minimumTlsVersion === undefined)
      return `a minimum TLS version (${before.minimumTlsVersion}) is no longer enforced`;
    if (Number(after.minimumTlsVersion) < Number(before.minimumTlsVersion)) {
      return `the minimum TLS version fell from ${before.minimumTlsVersion} to ${after.minimumTlsVersion}`;
    }
  }
  return undefined;
}

/** Empty when either side is unknown: that is reported as "not comparable", not as a weakening. */
export function weakenings(before: PolicyEnforcement, after: PolicyEnforcement): Weakening[] {
  if (before.state !== 'known' || after.state !== 'known') return [];
  const out: Weakening[] = [];
  const sse = sseWeakening(before.sse, after.sse);
  if (sse) out.push({ guardrail: 'SSE', description: sse, statements: before.sse.statements });
  const tls = tlsWeakening(before.tls, after.tls);
  if (tls) out.push({ guardrail: 'TLS', description: tls, statements: before.tls.statements });
  return out;
}

/** A rise in either guardrail, for marking a change as an improvement. */
export function strengthened(before: PolicyEnforcement, after: PolicyEnforcement): boolean {
  if (before.state !== 'known' || after.state !== 'known') return false;
  return RANK[after.sse.level] > RANK[before.sse.level] || RANK[after.tls.level] > RANK[before.tls.level];
}
