import { z } from 'zod';

/** The signature of a packet's manifest.json, stored beside it (see MANIFEST_COMPANIONS). */
export const SIGNATURE_FILE = 'manifest.signature.json';
export const PUBLIC_KEY_FILE = 'manifest.public-key.der';

/** KMS signing algorithms over a SHA-256 digest, in the order the tool prefers them. */
export const SIGNING_ALGORITHMS = ['ECDSA_SHA_256', 'RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export interface ManifestSignature {
  signatureVersion: 1;
  /** The key ARN KMS reported for the Sign call. */
  keyId: string;
  signingAlgorithm: SigningAlgorithm;
  /** KMS was given the SHA-256 digest of manifest.json (MessageType DIGEST). */
  messageType: 'DIGEST';
  manifestSha256: string;
  /** When the signature was made (this tool's clock, right after kms:Sign answered). */
  signedAt: string;
  /** Base64 of the signature bytes as KMS returned them (DER for ECDSA). */
  signature: string;
  /** File holding the public key, DER SubjectPublicKeyInfo from kms:GetPublicKey, and its sha256. */
  publicKeyFile: typeof PUBLIC_KEY_FILE;
  publicKeySha256: string;
  /** The kms:Sign request id, to find the call in CloudTrail. */
  requestId?: string;
}

export function isSigningAlgorithm(v: unknown): v is SigningAlgorithm {
  return typeof v === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(v);
}

/**
 * The outline a signature file must have before any of it is believed: what `sign` writes. The
 * algorithm is left a text here; an unsupported one is reported by name where it is checked.
 */
const signatureFileSchema = z.object({
  signatureVersion: z.literal(1),
  keyId: z.string(),
  signingAlgorithm: z.string(),
  messageType: z.literal('DIGEST'),
  manifestSha256: z.string(),
  signedAt: z.string(),
  signature: z.string(),
  publicKeyFile: z.literal(PUBLIC_KEY_FILE),
  publicKeySha256: z.string(),
  requestId: z.string().optional(),
});

/** A signature file as read: its algorithm is whatever text it names until checked (isSigningAlgorithm). */
export type StoredSignature = z.infer<typeof signatureFileSchema>;

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
