import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * What a careful forger does after editing a packet folder: rewrite manifest.json's file list with
 * fresh sha256 and sizes (`header` may edit the rest), so only re-deriving or re-rendering can tell.
 */
export function recomputeHashes(dir: string, header?: (m: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  header?.(manifest);
  manifest.files = filesUnder(dir)
    .filter((p) => p !== 'manifest.json')
    .sort()
    .map((p) => {
      const bytes = readFileSync(path.join(dir, p));
      return { path: p, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * A forger's signature: manifest.json signed with a key pair of their own (ECDSA P-256, as KMS signs),
 * stored as the tool stores a KMS signature and naming `keyId`, which is only a field of the file.
 * Valid over the manifest with the stored public key, so only a pin on the public key tells.
 */
export function forgeSignature(dir: string, keyId: string): void {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const manifest = readFileSync(path.join(dir, 'manifest.json'));
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  writeFileSync(path.join(dir, 'manifest.public-key.der'), der);
  const record = {
    signatureVersion: 1,
    keyId,
    signingAlgorithm: 'ECDSA_SHA_256',
    messageType: 'DIGEST',
    manifestSha256: hex(manifest),
    signedAt: '2026-11-02T06:00:00.000Z',
    signature: sign('sha256', manifest, { key: privateKey, dsaEncoding: 'der' }).toString('base64'),
    publicKeyFile: 'manifest.public-key.der',
    publicKeySha256: hex(der),
  };
  writeFileSync(path.join(dir, 'manifest.signature.json'), `${JSON.stringify(record, null, 2)}\n`);
}
