/**
 * Bucket-policy semantics: does the policy enforce the SSE header on uploads, and refuse plain HTTP?
 * Pure: the policy text and the bucket name in, a verdict with reasons out.
 */
import { parsePolicyDocument } from './document.js';
import { analyzeSse, type SseEnforcement } from './sse.js';
import { analyzeTls, type TlsEnforcement } from './tls.js';

export type PolicyAnalysis =
  { state: 'parsed'; sse: SseEnforcement; tls: TlsEnforcement } | { state: 'unparsable'; error: string };

export function analyzeBucketPolicy(policyText: string, bucket: string): PolicyAnalysis {
  const parsed = parsePolicyDocument(policyText);
  if (!parsed.ok) return { state: 'unparsable', error: parsed.error };
  return { state: 'parsed', sse: analyzeSse(parsed.statements, bucket), tls: analyzeTls(parsed.statements, bucket) };
}

export type { SseEnforcement } from './sse.js';
export type { TlsEnforcement } from './tls.js';
