import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stableJson, writeFileAtomic } from '../../util/atomic-write.js';
import { sha256 } from '../../util/hash.js';
import { MANIFEST_FILE } from '../../workspace/manifest.js';
import {
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  SIGNING_ALGORITHMS,
  type ManifestSignature,
  type SigningAlgorithm,
} from '../../workspace/signature-file.js';
import { signatureValid } from '../../workspace/verify-signature.js';

class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningError';
  }
}

/** The signing key's public half and the algorithm the tool will use with it. */
export interface SigningKey {
  keyId: string;
  publicKeyDer: Buffer;
  algorithm: SigningAlgorithm;
}

/** kms:GetPublicKey once per run: the key must be SIGN_VERIFY and offer a SHA-256 algorithm. */
export async function fetchSigningKey(kms: KMSClient, keyId: string): Promise<SigningKey> {
  const out = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (out.KeyUsage && out.KeyUsage !== 'SIGN_VERIFY')
    throw new SigningError(`${keyId} is a ${out.KeyUsage} key; --sign-with needs an asymmetric SIGN_VERIFY key`);
  const offered = out.SigningAlgorithms ?? [];
  const algorithm = SIGNING_ALGORITHMS.find((a) => offered.includes(a));
  if (!algorithm)
    throw new SigningError(
      `${keyId} offers ${offered.join(', ') || 'no signing algorithm'}; the tool signs SHA-256 digests (${SIGNING_ALGORITHMS.join(', ')})`,
    );
  if (!out.PublicKey) throw new SigningError(`kms:GetPublicKey returned no public key for ${keyId}`);
  return { keyId: out.KeyId ?? keyId, publicKeyDer: Buffer.from(out.PublicKey), algorithm };
}

/**
 * Signs the SHA-256 digest of the packet's manifest.json with kms:Sign (MessageType DIGEST), checks
 * the signature locally with the public key, and writes manifest.signature.json and the public key
 * beside the manifest.
 */
export async function signManifest(args: {
  kms: KMSClient;
  key: SigningKey;
  packetDir: string;
  now?: () => Date;
}): Promise<ManifestSignature> {
  const { kms, key, packetDir } = args;
  const manifest = await readFile(path.join(packetDir, MANIFEST_FILE));
  const digest = createHash('sha256').update(manifest).digest();
  const out = await kms.send(
    new SignCommand({ KeyId: key.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: key.algorithm }),
  );
  const signedAt = (args.now ?? (() => new Date()))().toISOString();
  if (!out.Signature) throw new SigningError(`kms:Sign returned no signature for ${key.keyId}`);
  const signature = Buffer.from(out.Signature);
  const publicKey = createPublicKey({ key: key.publicKeyDer, format: 'der', type: 'spki' });
  if (!signatureValid(manifest, signature, publicKey, key.algorithm)) {
    throw new SigningError(`the signature kms:Sign returned does not verify with the public key of ${key.keyId}`);
  }
  const record: ManifestSignature = {
    signatureVersion: 1,
    keyId: out.KeyId ?? key.keyId,
    signingAlgorithm: key.algorithm,
    messageType: 'DIGEST',
    manifestSha256: digest.toString('hex'),
    signedAt,
    signature: signature.toString('base64'),
    publicKeyFile: PUBLIC_KEY_FILE,
    publicKeySha256: sha256(key.publicKeyDer),
    ...(out.$metadata.requestId ? { requestId: out.$metadata.requestId } : {}),
  };
  await writeFileAtomic(path.join(packetDir, PUBLIC_KEY_FILE), key.publicKeyDer);
  await writeFileAtomic(path.join(packetDir, SIGNATURE_FILE), stableJson(record));
  return record;
}
