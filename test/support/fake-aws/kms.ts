/**
 * AWS KMS, JSON 1.1 protocol: POST / with `X-Amz-Target: TrentService.<Operation>`, JSON bodies,
 * errors as `{"__type": "...", "message": "..."}` (HTTP 400 for client errors and throttling).
 */
import { createHash } from 'node:crypto';
import { keyArn, type FakeAccount, type FakeKey, type Scenario } from './scenario.js';
import { epochSeconds, type Identified, type WireAnswer, type WireRequest } from './wire.js';
import { makeKeyPair, signDigest, SIGNING_ALGORITHMS, type FakeKeyPair } from './signing.js';

/** One real key pair per signing key, made on first use. */
const keyPairs = new WeakMap<FakeKey, FakeKeyPair>();
function keyPairOf(key: FakeKey): FakeKeyPair {
  let pair = keyPairs.get(key);
  if (!pair) keyPairs.set(key, (pair = makeKeyPair(key.signing!.spec)));
  return pair;
}

const JSON_TYPE = 'application/x-amz-json-1.1';

export function identifyKms(req: WireRequest): Identified {
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : target || 'Unknown';
  const keyId = parseBody(req).KeyId;
  return { operation, ...(typeof keyId === 'string' ? { key: keyId } : {}) };
}

function parseBody(req: WireRequest): Record<string, unknown> {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function kmsError(req: WireRequest, status: number, type: string, message: string): WireAnswer {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify({ __type: type, message }),
  };
}

export function kmsThrottle(req: WireRequest): WireAnswer {
  return kmsError(req, 400, 'ThrottlingException', 'Rate exceeded');
}

function ok(req: WireRequest, value: unknown): WireAnswer {
  return {
    status: 200,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': req.requestId },
    body: JSON.stringify(value),
  };
}

const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/** The key a KeyId names, as KMS resolves it: ARNs name their account and region, bare ids the caller's. */
function resolveKey(
  world: Scenario,
  req: WireRequest,
  keyId: string,
): { owner: FakeAccount; key: FakeKey } | undefined {
  let account = req.identity!.account;
  let region = req.region;
  let id: string | undefined;
  let alias: string | undefined;
  const k = KEY_ARN.exec(keyId);
  const a = ALIAS_ARN.exec(keyId);
  if (k) [region, account, id] = [k[1]!, k[2]!, k[3]!];
  else if (a) [region, account, alias] = [a[1]!, a[2]!, a[3]!];
  else if (keyId.startsWith('alias/')) alias = keyId;
  else id = keyId;
  if (region !== req.region) return undefined; // KMS only answers for keys of the endpoint's region
  const owner = world.accounts.find((x) => x.id === account);
  const key = owner?.keys?.find((x) => x.region === region && (id ? x.id === id : x.aliases?.includes(alias!)));
  return owner && key ? { owner, key } : undefined;
}

const CROSS_ACCOUNT_OK = new Set(['DescribeKey', 'GetKeyRotationStatus']);

export function answerKms(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const body = parseBody(req);
  const caller = req.identity!;
  if (id.operation === 'ListAliases')
    return listAliases(
      req,
      world.accounts.find((x) => x.id === caller.account),
      body,
    );
  const keyId = typeof body.KeyId === 'string' ? body.KeyId : '';
  if (!keyId)
    return kmsError(
      req,
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  const found = resolveKey(world, req, keyId);
  if (!found) {
    const message = keyId.includes('alias/') ? `Alias ${keyId} is not found.` : `Key '${keyId}' does not exist`;
    return kmsError(req, 400, 'NotFoundException', message);
  }
  const { owner, key } = found;
  const arn = keyArn(owner.id, key);
  if (owner.id !== caller.account && !(CROSS_ACCOUNT_OK.has(id.operation) && key.grantedTo?.includes(caller.account))) {
    return kmsError(
      req,
      400,
      'AccessDeniedException',
      `User: ${caller.arn} is not authorized to perform: kms:${id.operation} on resource: ${arn} because no resource-based policy allows the kms:${id.operation} action`,
    );
  }
  switch (id.operation) {
    case 'DescribeKey':
      return ok(req, {
        KeyMetadata: {
          AWSAccountId: owner.id,
          KeyId: key.id,
          Arn: arn,
          CreationDate: epochSeconds(key.createdAt ?? '2024-03-01T12:00:00Z'),
          Enabled: (key.state ?? 'Enabled') === 'Enabled',
          Description: key.description ?? '',
          KeyState: key.state ?? 'Enabled',
          Origin: key.origin ?? 'AWS_KMS',
          ...(key.validTo
            ? { ValidTo: epochSeconds(key.validTo), ExpirationModel: 'KEY_MATERIAL_EXPIRES' }
            : key.origin === 'EXTERNAL'
              ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
              : {}),
          ...(key.customKeyStoreId ? { CustomKeyStoreId: key.customKeyStoreId } : {}),
          KeyManager: key.manager ?? 'CUSTOMER',
          ...(key.signing
            ? {
                KeyUsage: 'SIGN_VERIFY',
                CustomerMasterKeySpec: key.signing.spec,
                KeySpec: key.signing.spec,
                SigningAlgorithms: SIGNING_ALGORITHMS[key.signing.spec],
              }
            : {
                KeyUsage: 'ENCRYPT_DECRYPT',
                CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
                KeySpec: 'SYMMETRIC_DEFAULT',
                EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
              }),
          MultiRegion: key.multiRegion !== undefined,
          ...(key.multiRegion
            ? {
                MultiRegionConfiguration: {
                  MultiRegionKeyType: key.multiRegion.type,
                  PrimaryKey: {
                    Arn: `arn:aws:kms:${key.multiRegion.primaryRegion}:${owner.id}:key/${key.id}`,
                    Region: key.multiRegion.primaryRegion,
                  },
                  ReplicaKeys: [],
                },
              }
            : {}),
        },
      });
    case 'GetKeyRotationStatus': {
      // KMS rotates only material it generated.
      if ((key.origin ?? 'AWS_KMS') !== 'AWS_KMS')
        return kmsError(req, 400, 'UnsupportedOperationException', `${arn} origin is ${key.origin}`);
      const r = key.rotation ?? { enabled: false };
      return ok(req, {
        KeyId: arn,
        KeyRotationEnabled: r.enabled,
        ...(r.enabled ? { RotationPeriodInDays: r.periodDays ?? 365 } : {}),
        ...(r.enabled && r.nextRotationDate ? { NextRotationDate: epochSeconds(r.nextRotationDate) } : {}),
      });
    }
    case 'GetKeyPolicy':
      return ok(req, { Policy: key.policy ?? defaultKeyPolicy(owner.id), PolicyName: 'default' });
    case 'ListResourceTags':
      return ok(req, {
        Tags: Object.entries(key.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
        Truncated: false,
      });
    case 'GetPublicKey':
    case 'Sign':
      return signingCall(req, id.operation, arn, key, body);
    default:
      return kmsError(req, 400, 'UnknownOperationException', `Unknown operation ${id.operation}`);
  }
}

/** kms:GetPublicKey and kms:Sign (MessageType RAW or DIGEST) for SIGN_VERIFY keys. */
function signingCall(
  req: WireRequest,
  operation: string,
  arn: string,
  key: FakeKey,
  body: Record<string, unknown>,
): WireAnswer {
  if (!key.signing)
    return kmsError(
      req,
      400,
      'InvalidKeyUsageException',
      `You cannot perform this operation on a ENCRYPT_DECRYPT key ${arn}`,
    );
  if ((key.state ?? 'Enabled') !== 'Enabled') return kmsError(req, 400, 'DisabledException', `${arn} is disabled.`);
  const pair = keyPairOf(key);
  const algorithms = SIGNING_ALGORITHMS[key.signing.spec];
  if (operation === 'GetPublicKey') {
    return ok(req, {
      KeyId: arn,
      PublicKey: pair.publicKeyDer.toString('base64'),
      KeySpec: key.signing.spec,
      CustomerMasterKeySpec: key.signing.spec,
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: algorithms,
    });
  }
  const algorithm = String(body.SigningAlgorithm ?? '');
  if (!algorithms.includes(algorithm))
    return kmsError(req, 400, 'InvalidKeyUsageException', `Signing algorithm ${algorithm} is not valid for key ${arn}`);
  const message = Buffer.from(String(body.Message ?? ''), 'base64');
  const type = body.MessageType ?? 'RAW';
  if (type === 'DIGEST' && message.length !== 32) {
    return kmsError(req, 400, 'ValidationException', 'Digest is invalid length for algorithm ' + algorithm);
  }
  const digest = type === 'DIGEST' ? message : createHash('sha256').update(message).digest();
  return ok(req, {
    KeyId: arn,
    Signature: signDigest(pair, algorithm, digest).toString('base64'),
    SigningAlgorithm: algorithm,
  });
}

function defaultKeyPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

function listAliases(req: WireRequest, account: FakeAccount | undefined, body: Record<string, unknown>): WireAnswer {
  const all = (account?.keys ?? [])
    .filter((k) => k.region === req.region)
    .flatMap((k) =>
      (k.aliases ?? []).map((AliasName) => ({
        AliasName,
        AliasArn: `arn:aws:kms:${k.region}:${account!.id}:${AliasName}`,
        TargetKeyId: k.id,
        CreationDate: epochSeconds('2024-03-01T12:00:00Z'),
        LastUpdatedDate: epochSeconds('2024-03-01T12:00:00Z'),
      })),
    )
    .sort((a, b) => a.AliasName.localeCompare(b.AliasName));
  const start = typeof body.Marker === 'string' ? Number(body.Marker) : 0;
  const limit = typeof body.Limit === 'number' ? body.Limit : 100;
  const page = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return ok(req, { Aliases: page, Truncated: more, ...(more ? { NextMarker: String(start + limit) } : {}) });
}
