/**
 * Real signatures over a precomputed SHA-256 digest (KMS MessageType DIGEST), which node:crypto
 * cannot make directly: ECDSA P-256 by hand with BigInt, RSASSA-PSS and PKCS#1 v1.5 by encoding
 * the message representative here and applying the raw RSA private operation.
 */
import {
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  privateEncrypt,
  randomBytes,
  constants,
  type KeyObject,
} from 'node:crypto';

export type FakeKeySpec = 'ECC_NIST_P256' | 'RSA_2048';

export interface FakeKeyPair {
  spec: FakeKeySpec;
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo, as kms:GetPublicKey returns it. */
  publicKeyDer: Buffer;
}

export const SIGNING_ALGORITHMS: Record<FakeKeySpec, string[]> = {
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  RSA_2048: ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'],
};

export function makeKeyPair(spec: FakeKeySpec): FakeKeyPair {
  const pair =
    spec === 'ECC_NIST_P256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { spec, privateKey: pair.privateKey, publicKeyDer: pair.publicKey.export({ format: 'der', type: 'spki' }) };
}

// ---- ECDSA P-256 (FIPS 186-4 / SEC 1), affine coordinates; slow but tiny and only for tests.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};
type Point = { x: bigint; y: bigint } | null;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function inv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}
function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return null;
  const l =
    p.x === q.x ? mod(3n * p.x * p.x - 3n, P) * inv(2n * p.y, P) : mod(q.y - p.y, P) * inv(mod(q.x - p.x, P), P);
  const x = mod(l * l - p.x - q.x, P);
  return { x, y: mod(l * (p.x - x) - p.y, P) };
}
function multiply(k: bigint, p: Point): Point {
  let r: Point = null;
  for (let add_ = p; k > 0n; k >>= 1n, add_ = add(add_, add_)) if (k & 1n) r = add(r, add_);
  return r;
}
function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}
const fromB64url = (s: string) => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);

function ecdsaSign(privateKey: KeyObject, digest: Buffer): Buffer {
  const d = fromB64url(privateKey.export({ format: 'jwk' }).d!);
  const z = BigInt(`0x${digest.toString('hex')}`);
  for (;;) {
    const k = mod(BigInt(`0x${randomBytes(32).toString('hex')}`), N);
    if (k === 0n) continue;
    const r = mod(multiply(k, G)!.x, N);
    const s = mod(inv(k, N) * (z + r * d), N);
    if (r === 0n || s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

// ---- RSA (RFC 8017): EMSA-PSS with MGF1-SHA256 and a 32-byte salt, and EMSA-PKCS1-v1_5.
function mgf1(seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < length; i++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    out.push(createHash('sha256').update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}
function pssEncode(digest: Buffer, emBits: number): Buffer {
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(32);
  const h = createHash('sha256').update(Buffer.alloc(8)).update(digest).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 32 - 32 - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - 33);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Signs a 32-byte SHA-256 digest the way KMS does for the given algorithm. */
export function signDigest(pair: FakeKeyPair, algorithm: string, digest: Buffer): Buffer {
  if (algorithm === 'ECDSA_SHA_256') return ecdsaSign(pair.privateKey, digest);
  if (algorithm === 'RSASSA_PKCS1_V1_5_SHA_256') {
    return privateEncrypt(
      { key: pair.privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([SHA256_DIGEST_INFO, digest]),
    );
  }
  if (algorithm === 'RSASSA_PSS_SHA_256') {
    return privateDecrypt({ key: pair.privateKey, padding: constants.RSA_NO_PADDING }, pssEncode(digest, 2047));
  }
  throw new Error(`unsupported algorithm ${algorithm}`);
}
