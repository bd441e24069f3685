import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sha256 } from '../util/hash.js';
import { readFailure } from '../util/read-failure.js';
import { MANIFEST_FILE } from './manifest.js';
import { readOwnFile } from './own-file.js';
import {
  isSigningAlgorithm,
  parseSignatureFile,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  type StoredSignature,
  type SigningAlgorithm,
} from './signature-file.js';

export type SignatureCheck =
  | { state: 'absent' }
  | {
      state: 'verified' | 'failed';
      keyId?: string;
      algorithm?: string;
      signedAt?: string;
      manifestSha256?: string;
      publicKeySha256?: string;
      /** Why it failed; empty when verified. */
      problems: string[];
    };

export interface TrustAnchors {
  /**
   * The key id manifest.signature.json must name (ARN as KMS reports it). A name only: whoever writes
   * the file writes it, so it proves who signed only together with `trustedPublicKey`.
   */
  expectKeyId?: string;
  /** A trusted copy of the signer's public key (PEM or DER SPKI); the stored one must equal it. */
  trustedPublicKey?: Buffer;
  /** Whose key `trustedPublicKey` is, in the words of a problem (default "the trusted public key"). */
  trustedPublicKeyIs?: string;
}

function publicKeyFrom(bytes: Buffer): KeyObject {
  const pem = bytes.toString('utf8');
  return pem.includes('-----BEGIN')
    ? createPublicKey(pem)
    : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
}

function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' });
}

/** node:crypto verify options for each KMS algorithm (KMS uses a salt as long as the digest for PSS). */
function verifyKey(key: KeyObject, algorithm: SigningAlgorithm) {
  if (algorithm === 'RSASSA_PSS_SHA_256') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  if (algorithm === 'RSASSA_PKCS1_V1_5_SHA_256') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

/** True when `signature` is a valid signature of `message` (hashed with SHA-256) under `key`. */
export function signatureValid(
  message: Buffer,
  signature: Buffer,
  key: KeyObject,
  algorithm: SigningAlgorithm,
): boolean {
  try {
    return verify('sha256', message, verifyKey(key, algorithm), signature);
  } catch {
    return false;
  }
}

/**
 * Checks manifest.signature.json offline: the manifest's digest, the signature under the stored
 * public key, and (when given) that key against the caller's trust anchors.
 */
export async function verifyManifestSignature(packetDir: string, trust: TrustAnchors = {}): Promise<SignatureCheck> {
  let sig: StoredSignature;
  try {
    const read = parseSignatureFile((await readOwnFile(packetDir, SIGNATURE_FILE)).toString('utf8'));
    if ('problem' in read) return { state: 'failed', problems: [`${SIGNATURE_FILE} unreadable: ${read.problem}`] };
    sig = read;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return trust.expectKeyId || trust.trustedPublicKey
        ? { state: 'failed', problems: [`${SIGNATURE_FILE} is missing but a signature was required`] }
        : { state: 'absent' };
    }
    return { state: 'failed', problems: [`${SIGNATURE_FILE} unreadable: ${readFailure(err)}`] };
  }
  const problems: string[] = [];
  const base = {
    keyId: sig.keyId,
    algorithm: sig.signingAlgorithm,
    signedAt: sig.signedAt,
    manifestSha256: sig.manifestSha256,
    publicKeySha256: sig.publicKeySha256,
  };
  let manifest: Buffer;
  try {
    manifest = await readOwnFile(packetDir, MANIFEST_FILE);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `unreadable: ${readFailure(err)}`;
    return { state: 'failed', ...base, problems: [`${MANIFEST_FILE} ${why}`] };
  }
  if (sha256(manifest) !== sig.manifestSha256)
    problems.push(
      `${MANIFEST_FILE} has changed since it was signed (sha256 ${sha256(manifest)}, signed ${sig.manifestSha256})`,
    );
  let key: KeyObject | undefined;
  try {
    const stored = await readOwnFile(packetDir, PUBLIC_KEY_FILE);
    if (sha256(stored) !== sig.publicKeySha256)
      problems.push(`${PUBLIC_KEY_FILE} is not the public key recorded in ${SIGNATURE_FILE}`);
    key = publicKeyFrom(stored);
  } catch (err) {
    problems.push(`${PUBLIC_KEY_FILE} unreadable: ${readFailure(err)}`);
  }
  if (trust.expectKeyId && trust.expectKeyId !== sig.keyId)
    problems.push(`signed with ${sig.keyId}, not the expected key ${trust.expectKeyId}`);
  if (key && trust.trustedPublicKey) {
    let trusted: KeyObject | undefined;
    try {
      trusted = publicKeyFrom(trust.trustedPublicKey);
    } catch (err) {
      problems.push(`the trusted public key cannot be read: ${(err as Error).message}`);
    }
    if (trusted && !spkiDer(trusted).equals(spkiDer(key)))
      problems.push(`the stored public key is not ${trust.trustedPublicKeyIs ?? 'the trusted public key'}`);
  }
  if (!isSigningAlgorithm(sig.signingAlgorithm)) problems.push(`unsupported signing algorithm ${sig.signingAlgorithm}`);
  else if (key && !signatureValid(manifest, Buffer.from(sig.signature, 'base64'), key, sig.signingAlgorithm)) {
    problems.push(`the signature does not verify over ${MANIFEST_FILE} with the stored public key`);
  }
  return { state: problems.length === 0 ? 'verified' : 'failed', ...base, problems };
}
