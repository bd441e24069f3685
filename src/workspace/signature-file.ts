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
