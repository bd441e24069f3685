import { z } from 'zod';

/** The signature of a packet's manifest.json, stored beside it (see MANIFEST_COMPANIONS). */
export const SIGNATURE_FILE = 'manifest.signature.json';
export const PUBLIC_KEY_FILE = 'manifest.public-key.der';

/** KMS signing algorithms over a SHA-256 digest, in the order the tool prefers them. */
export const SIGNING_ALGORITHMS = ['ECDSA_SHA_256', 'RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export function isSigningAlgorithm(v: unknown): v is SigningAlgorithm {
  return typeof v === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(v);
}

/**
 * The outline of a signature file, what `sign` writes and what a read must find before any of it is
 * believed. The algorithm is a text here, so that a file naming one the tool does not support is
 * still read and the algorithm reported by name where it is checked (isSigningAlgorithm).
 */
const signatureFileSchema = z.object({
  signatureVersion: z.literal(1),
  /** The key ARN KMS reported for the Sign call. */
  keyId: z.string(),
  signingAlgorithm: z.string(),
  /** KMS was given the SHA-256 digest of manifest.json (MessageType DIGEST). */
  messageType: z.literal('DIGEST'),
  manifestSha256: z.string(),
  /** When the signature was made (this tool's clock, right after kms:Sign answered). */
  signedAt: z.string(),
  /** Base64 of the signature bytes as KMS returned them (DER for ECDSA). */
  signature: z.string(),
  /** File holding the public key, DER SubjectPublicKeyInfo from kms:GetPublicKey, and its sha256. */
  publicKeyFile: z.literal(PUBLIC_KEY_FILE),
  publicKeySha256: z.string(),
  /** The kms:Sign request id, to find the call in CloudTrail. */
  requestId: z.string().optional(),
});

/** A signature file as read: its algorithm is whatever text it names until checked. */
export type StoredSignature = z.infer<typeof signatureFileSchema>;

/** A signature as `sign` makes it: the same outline, with an algorithm the tool signs with. */
export type ManifestSignature = StoredSignature & { signingAlgorithm: SigningAlgorithm };

/**
 * A signature file's text as a signature, or why it is not one (`{}`, `[]`, `null`, a field of
 * another type): such a file is unreadable, never a signature whose parts fail one by one.
 */
export function parseSignatureFile(text: string): StoredSignature | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { problem: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = signatureFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `not a signature file: ${issue.path.join('.') || '(top level)'}: ${issue.message}` };
  }
  return parsed.data;
}
