/**
 * kms:Sign over the manifest digest and offline verification with node:crypto: the real KMS client
 * against the fake endpoint (which signs with real key pairs), then tampering and wrong keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import { appendFile, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsClientFor } from '../../src/collect/live/clients.js';
import { resolveLiveOptions } from '../../src/collect/live/options.js';
import {
  fetchSigningKey,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  signManifest,
  verifyManifestSignature,
  type ManifestSignature,
} from '../../src/operate/sign/index.js';
import { checkFiles, readManifest } from '../../src/workspace/manifest.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { packetFolder } from './packet-folder.js';

const OPERATOR = '999900000000';
const EC_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/sign-ec`;
const RSA_KEY = `arn:aws:kms:eu-west-1:${OPERATOR}:key/sign-rsa`;
let fake: FakeAws;
const folders: string[] = [];

const kms = () =>
  kmsClientFor(
    resolveLiveOptions({ endpoint: fake.endpoint, maxAttempts: 1, timeoutMs: 5000 }),
    'eu-west-1',
    async () => fake.callerCredentials,
  );

async function signedFolder(
  keyId: string,
  at = '2026-11-02T09:15:00Z',
): Promise<{ dir: string; sig: ManifestSignature }> {
  const dir = await packetFolder();
  folders.push(path.dirname(path.dirname(dir)));
  const client = kms();
  const sig = await signManifest({
    kms: client,
    key: await fetchSigningKey(client, keyId),
    packetDir: dir,
    now: () => new Date(at),
  });
  return { dir, sig };
}

beforeAll(async () => {
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDOPERATOR', account: OPERATOR, arn: `arn:aws:iam::${OPERATOR}:role/evidence-runner` },
    accounts: [
      {
        id: OPERATOR,
        buckets: [],
        keys: [
          { id: 'sign-ec', region: 'eu-west-1', signing: { spec: 'ECC_NIST_P256' } },
          { id: 'sign-rsa', region: 'eu-west-1', signing: { spec: 'RSA_2048' } },
          { id: 'data-key', region: 'eu-west-1' },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await fake?.close();
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

describe('signManifest (ECDSA P-256)', () => {
  let dir: string;
  let sig: ManifestSignature;
  beforeAll(async () => {
    fake.recorder.reset();
    ({ dir, sig } = await signedFolder(EC_KEY));
  });

  it('asks KMS for the public key, then signs the 32-byte SHA-256 digest with MessageType DIGEST', () => {
    expect(fake.recorder.operations('kms')).toEqual(['GetPublicKey', 'Sign']);
    expect(sig).toMatchObject({
      keyId: EC_KEY,
      signingAlgorithm: 'ECDSA_SHA_256',
      messageType: 'DIGEST',
      signedAt: '2026-11-02T09:15:00.000Z',
    });
  });

  it('stores the signature and the DER public key beside the manifest; the manifest still verifies', async () => {
    const stored = JSON.parse(await readFile(path.join(dir, SIGNATURE_FILE), 'utf8')) as ManifestSignature;
    expect(stored.signature).toBe(sig.signature);
    const der = await readFile(path.join(dir, PUBLIC_KEY_FILE));
    expect(der[0]).toBe(0x30); // a DER SEQUENCE: SubjectPublicKeyInfo
    expect((await checkFiles(dir, await readManifest(dir))).every((c) => c.state === 'ok')).toBe(true);
  });

  it('verifies offline and reports key id, algorithm and signing time', async () => {
    fake.recorder.reset();
    const check = await verifyManifestSignature(dir, { expectKeyId: EC_KEY });
    expect(check).toMatchObject({
      state: 'verified',
      keyId: EC_KEY,
      algorithm: 'ECDSA_SHA_256',
      signedAt: '2026-11-02T09:15:00.000Z',
      problems: [],
    });
    expect(fake.recorder.calls).toEqual([]); // offline: no AWS call
  });

  it('a changed byte in the manifest fails', async () => {
    const { dir: d } = await signedFolder(EC_KEY);
    const text = await readFile(path.join(d, 'manifest.json'), 'utf8');
    await writeFile(path.join(d, 'manifest.json'), text.replace('"tenant": "acme"', '"tenant": "acmf"'));
    const check = await verifyManifestSignature(d);
    expect(check.state).toBe('failed');
    expect(check.state === 'failed' && check.problems.join('\n')).toContain(
      'manifest.json has changed since it was signed',
    );
    expect(check.state === 'failed' && check.problems.join('\n')).toContain('the signature does not verify');
  });

  it('a manifest changed and its recorded digest rewritten to match still fails on the signature', async () => {
    const { dir: d } = await signedFolder(EC_KEY);
    await appendFile(path.join(d, 'manifest.json'), ' ');
    const s = JSON.parse(await readFile(path.join(d, SIGNATURE_FILE), 'utf8')) as ManifestSignature;
    const { createHash } = await import('node:crypto');
    s.manifestSha256 = createHash('sha256')
      .update(await readFile(path.join(d, 'manifest.json')))
      .digest('hex');
    await writeFile(path.join(d, SIGNATURE_FILE), JSON.stringify(s));
    const check = await verifyManifestSignature(d);
    expect(check.state === 'failed' && check.problems).toEqual([
      'the signature does not verify over manifest.json with the stored public key',
    ]);
  });

  it('a wrong key fails: another key pair swapped in, an unexpected key id, a different trusted key', async () => {
    const { dir: d } = await signedFolder(EC_KEY);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
    // pinned key id / trusted public key
    const byId = await verifyManifestSignature(d, { expectKeyId: RSA_KEY });
    expect(byId.state === 'failed' && byId.problems).toEqual([
      `signed with ${EC_KEY}, not the expected key ${RSA_KEY}`,
    ]);
    const byKey = await verifyManifestSignature(d, { trustedPublicKey: other });
    expect(byKey.state === 'failed' && byKey.problems).toEqual(['the stored public key is not the trusted public key']);
    // the stored public key replaced (and its recorded hash with it): the signature no longer verifies
    await writeFile(path.join(d, PUBLIC_KEY_FILE), other);
    const s = JSON.parse(await readFile(path.join(d, SIGNATURE_FILE), 'utf8')) as ManifestSignature;
    const { createHash } = await import('node:crypto');
    s.publicKeySha256 = createHash('sha256').update(other).digest('hex');
    await writeFile(path.join(d, SIGNATURE_FILE), JSON.stringify(s));
    const swapped = await verifyManifestSignature(d);
    expect(swapped.state === 'failed' && swapped.problems).toEqual([
      'the signature does not verify over manifest.json with the stored public key',
    ]);
  });

  it('a signature file or public key that is a link is refused, never followed', async () => {
    const { dir: d } = await signedFolder(EC_KEY);
    const moveOut = async (name: string) => {
      const outside = path.join(path.dirname(d), `elsewhere-${name}`);
      await rename(path.join(d, name), outside);
      await symlink(outside, path.join(d, name));
      return async () => {
        await rm(path.join(d, name));
        await rename(outside, path.join(d, name));
      };
    };
    const putBack = await moveOut(SIGNATURE_FILE);
    expect(await verifyManifestSignature(d)).toEqual({
      state: 'failed',
      problems: [
        `${SIGNATURE_FILE} unreadable: it is a symbolic link; a packet's ${SIGNATURE_FILE} is a file of its own folder`,
      ],
    });
    await putBack();
    await moveOut(PUBLIC_KEY_FILE);
    const linkedKey = await verifyManifestSignature(d);
    expect(linkedKey.state === 'failed' && linkedKey.problems).toEqual([
      `${PUBLIC_KEY_FILE} unreadable: it is a symbolic link; a packet's ${PUBLIC_KEY_FILE} is a file of its own folder`,
    ]);
  });

  it('a signature file that is not one ({}, [], null, garbage, a field of another type) is unreadable, one reason, no crash', async () => {
    const { dir: d } = await signedFolder(EC_KEY);
    const good = JSON.parse(await readFile(path.join(d, SIGNATURE_FILE), 'utf8')) as Record<string, unknown>;
    const cases: [string, string][] = [
      ['{}', 'not a signature file: signatureVersion: '],
      ['[]', 'not a signature file: (top level): '],
      ['null', 'not a signature file: (top level): '],
      ['\u0001garbage', 'not valid JSON ('],
      [JSON.stringify({ ...good, signature: 5 }), 'not a signature file: signature: '],
      [JSON.stringify({ ...good, publicKeyFile: '../elsewhere.der' }), 'not a signature file: publicKeyFile: '],
    ];
    for (const [text, reason] of cases) {
      await writeFile(path.join(d, SIGNATURE_FILE), text);
      const check = await verifyManifestSignature(d);
      expect(check.state, text).toBe('failed');
      const problems = check.state === 'failed' ? check.problems : [];
      expect(problems, text).toHaveLength(1);
      expect(problems[0], text).toContain(`${SIGNATURE_FILE} unreadable: ${reason}`);
    }
  });

  it('no signature file: absent, unless a key was required', async () => {
    const d = await packetFolder();
    folders.push(path.dirname(path.dirname(d)));
    expect(await verifyManifestSignature(d)).toEqual({ state: 'absent' });
    expect((await verifyManifestSignature(d, { expectKeyId: EC_KEY })).state).toBe('failed');
  });
});

describe('signManifest (RSA 2048)', () => {
  it('prefers RSASSA_PSS_SHA_256 and verifies offline', async () => {
    const { dir, sig } = await signedFolder(RSA_KEY);
    expect(sig.signingAlgorithm).toBe('RSASSA_PSS_SHA_256');
    expect(await verifyManifestSignature(dir)).toMatchObject({
      state: 'verified',
      keyId: RSA_KEY,
      algorithm: 'RSASSA_PSS_SHA_256',
    });
  });

  it('a symmetric key is refused before anything is signed', async () => {
    const client = kms();
    await expect(fetchSigningKey(client, `arn:aws:kms:eu-west-1:${OPERATOR}:key/data-key`)).rejects.toMatchObject({
      name: 'InvalidKeyUsageException',
    });
  });
});
