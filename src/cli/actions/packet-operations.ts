/**
 * What `run` does around each packet (output-folder lock, --sign-with, --publish, the portfolio), what
 * `verify` adds (the signature), and the KMS and S3 clients `sign` and `publish` share with them. The
 * AWS SDK is imported only when a packet is signed or published: an offline run never loads it.
 */
import { readFile } from 'node:fs/promises';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config/schema.js';
import { liveOptionsFromConfig, resolveLiveOptions, type LiveOptions } from '../../collect/live/options.js';
import { parseKeyReference } from '../../collect/key-reference.js';
import { UsageError } from '../../errors.js';
import type { TenantRunResult } from '../../pipeline/run-tenant.js';
import type { PacketFigures } from '../../model/packet-figures.js';
import { writePortfolio } from '../../operate/portfolio.js';
import type { PublishReceipt, PublishTarget } from '../../operate/publish/index.js';
import { parsePublishUrl } from '../../operate/publish/target.js';
import { withRunLock, type RunLock } from '../../operate/run-lock.js';
import type { ManifestSignature, SignatureCheck, SigningKey } from '../../operate/sign/index.js';
import { SIGNATURE_FILE } from '../../workspace/signature-file.js';
import { verifyManifestSignature, type TrustAnchors } from '../../workspace/verify-signature.js';

export interface AwsOptions {
  profile?: string;
  endpointUrl?: string;
}

export function liveOptions(config: Config | undefined, opts: AwsOptions, region?: string): LiveOptions {
  return liveOptionsFromConfig(config?.collection, {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(region ? { defaultRegion: region } : {}),
  });
}

export interface RunOperationOptions extends AwsOptions {
  publish?: string;
  signWith?: string;
}

export interface Signing {
  kms: KMSClient;
  key: SigningKey;
}

/** The KMS key `keyRef` names, checked for signing (GetPublicKey) before any packet is touched. */
export async function openSigning(
  config: Config | undefined,
  opts: AwsOptions,
  keyRef: string,
  flag: string,
): Promise<Signing> {
  const region = parseKeyReference(keyRef).region ?? 'us-east-1';
  const live = liveOptions(config, opts, region);
  const [{ kmsClientFor }, { baseCredentials }, { fetchSigningKey }] = await Promise.all([
    import('../../collect/live/clients.js'),
    import('../../collect/live/credentials.js'),
    import('../../operate/sign/sign-manifest.js'),
  ]);
  const kms = kmsClientFor(resolveLiveOptions(live), region, baseCredentials(live));
  try {
    return { kms, key: await fetchSigningKey(kms, keyRef) };
  } catch (err) {
    kms.destroy();
    throw new UsageError(`${flag} ${keyRef}: ${(err as Error).message}`);
  }
}

export interface Publishing {
  target: PublishTarget;
  s3: S3Client;
  settings: NonNullable<Config['publish']>;
}

/** The publish target `url` names and an S3 client for it; needs `publish.kmsKeyId` in the configuration. */
export async function openPublishing(config: Config, opts: AwsOptions, url: string, flag: string): Promise<Publishing> {
  let target: PublishTarget;
  try {
    target = parsePublishUrl(url);
  } catch (err) {
    throw new UsageError((err as Error).message.replace('--publish', flag));
  }
  if (!config.publish)
    throw new UsageError(
      `${flag} needs \`publish.kmsKeyId\` in the configuration (the SSE-KMS key for the uploaded objects)`,
    );
  const region = config.publish.region ?? parseKeyReference(config.publish.kmsKeyId).region ?? 'us-east-1';
  const live = liveOptions(config, opts, region);
  const [{ s3ClientFor }, { baseCredentials }] = await Promise.all([
    import('../../collect/live/clients.js'),
    import('../../collect/live/credentials.js'),
  ]);
  const s3 = s3ClientFor(resolveLiveOptions(live), region, baseCredentials(live), { followRegionRedirects: true });
  return { target, s3, settings: config.publish };
}

export interface PacketOperations {
  /** Signs then publishes one packet, as asked; failures are reported, never thrown. */
  /** `figures`: the packet's, for the portfolio (without them it reads the packet back and verifies it). */
  afterPacket(result: TenantRunResult, figures?: PacketFigures): Promise<void>;
  /** Writes the portfolio; returns what to add to the run summary and whether anything failed. */
  finish(
    outDir: string,
    period: string,
    /** false for a shard: the period's portfolio is `s3-evidence portfolio`'s once every shard is done. */
    portfolio?: boolean,
  ): Promise<{ summary: Record<string, unknown>; lines: string[]; failed: boolean }>;
}

/**
 * Checks --publish / --sign-with before anything is collected (a bad URL, a missing publish key or a
 * key that cannot sign stops the run up front), and returns the steps to run after each packet.
 */
export async function preparePacketOperations(config: Config, opts: RunOperationOptions): Promise<PacketOperations> {
  const publishing = opts.publish ? await openPublishing(config, opts, opts.publish, '--publish') : undefined;
  let signing: Signing | undefined;
  try {
    signing = opts.signWith ? await openSigning(config, opts, opts.signWith, '--sign-with') : undefined;
  } catch (err) {
    publishing?.s3.destroy();
    throw err;
  }
  const target = publishing?.target;
  const s3 = publishing?.s3;
  const signatures: Array<{ tenant: string } & ({ signature: ManifestSignature } | { error: string })> = [];
  const receipts: Array<{ tenant: string; receipt?: PublishReceipt; error?: string }> = [];
  const written = new Map<string, PacketFigures>();

  return {
    async afterPacket(result, figures) {
      if (figures) written.set(result.tenant, figures);
      let signed = true;
      if (signing) {
        try {
          const { signManifest } = await import('../../operate/sign/sign-manifest.js');
          signatures.push({
            tenant: result.tenant,
            signature: await signManifest({ kms: signing.kms, key: signing.key, packetDir: result.folder }),
          });
        } catch (err) {
          signed = false;
          signatures.push({ tenant: result.tenant, error: (err as Error).message });
        }
      }
      if (target && s3 && publishing) {
        if (!signed) receipts.push({ tenant: result.tenant, error: 'not published: the manifest could not be signed' });
        else {
          const { publishPacket } = await import('../../operate/publish/publish-packet.js');
          receipts.push({
            tenant: result.tenant,
            receipt: await publishPacket({
              s3,
              packetDir: result.folder,
              target,
              period: result.period,
              tenant: result.tenant,
              settings: publishing.settings,
            }),
          });
        }
      }
    },
    async finish(outDir, period, portfolio = true) {
      signing?.kms.destroy();
      s3?.destroy();
      // Each tenant's summary line names a kept earlier revision; these lines are the steps after it.
      const lines: string[] = [];
      for (const s of signatures)
        lines.push(
          'signature' in s
            ? `${s.tenant}: manifest signed with ${s.signature.keyId} (${s.signature.signingAlgorithm})`
            : `${s.tenant}: SIGNING FAILED: ${s.error}`,
        );
      for (const r of receipts) {
        if (!r.receipt) lines.push(`${r.tenant}: PUBLISH FAILED: ${r.error}`);
        else if (r.receipt.state === 'published')
          lines.push(
            `${r.tenant}: published ${r.receipt.uploaded.length} objects to s3://${r.receipt.bucket}/${r.receipt.keyPrefix}`,
          );
        else
          lines.push(
            `${r.tenant}: PUBLISH ${r.receipt.state === 'refused_existing' ? 'REFUSED (already published there; S3 did not overwrite)' : 'FAILED'}: ${r.receipt.failure?.key} ${r.receipt.failure?.code}: ${r.receipt.failure?.message}`,
          );
      }
      const portfolioFiles = portfolio ? await writePortfolio(outDir, period, { writtenThisRun: written }) : undefined;
      const failed = signatures.some((s) => 'error' in s) || receipts.some((r) => r.receipt?.state !== 'published');
      return {
        summary: {
          ...(portfolioFiles ? { portfolio: { json: portfolioFiles.json, xlsx: portfolioFiles.xlsx } } : {}),
          ...(signing ? { signatures } : {}),
          ...(target ? { published: receipts } : {}),
        },
        lines,
        failed,
      };
    },
  };
}

/**
 * Runs `fn` holding `<out>/.s3-evidence.lock` (a shard: `<out>/.s3-evidence.shard-<i>-of-<n>.lock`, so
 * the shards of one run share the folder); a second run of the same scope on the same folder is refused.
 */
export function withOutputLock<T>(
  outDir: string,
  fn: (lock: RunLock) => Promise<T>,
  shard?: { index: number; count: number },
): Promise<T> {
  return withRunLock(outDir, fn, {
    command: process.argv.slice(1).join(' ') || 'run',
    ...(shard ? { fileName: `.s3-evidence.shard-${shard.index}-of-${shard.count}.lock` } : {}),
  });
}

export interface VerifySignatureOptions extends AwsOptions {
  expectKey?: string;
  trustedPublicKey?: string;
}

/** What signatures are checked against; `unconfirmed`: why the public key of `--expect-key` is not among them. */
export interface SignatureTrust {
  anchors: TrustAnchors;
  unconfirmed?: string;
}

/**
 * The trust anchors `verify` was given. The key id in manifest.signature.json is only a name that
 * whoever wrote the file chose, so `--expect-key` on its own asks KMS for that key's public key
 * (kms:GetPublicKey, read-only, once for all folders) and the stored public key must equal it;
 * `--trusted-public-key` pins the public key offline instead, with no AWS call.
 */
export async function signatureTrust(opts: VerifySignatureOptions): Promise<SignatureTrust> {
  if (opts.trustedPublicKey)
    return {
      anchors: {
        ...(opts.expectKey ? { expectKeyId: opts.expectKey } : {}),
        trustedPublicKey: await readFile(opts.trustedPublicKey),
      },
    };
  if (!opts.expectKey) return { anchors: {} };
  let signing: Signing;
  try {
    signing = await openSigning(undefined, opts, opts.expectKey, '--expect-key');
  } catch (err) {
    return {
      anchors: { expectKeyId: opts.expectKey },
      unconfirmed: `${(err as Error).message}. Without the key's public key, the key id ${SIGNATURE_FILE} names is only a claim: give --trusted-public-key <file> (exported once with aws kms get-public-key) to check it offline`,
    };
  }
  signing.kms.destroy();
  return {
    anchors: {
      expectKeyId: signing.key.keyId,
      trustedPublicKey: signing.key.publicKeyDer,
      trustedPublicKeyIs: `the public key of ${signing.key.keyId} (kms:GetPublicKey)`,
    },
  };
}

/** The offline signature check of one folder against `trust`, and the lines `verify` prints for it. */
export async function signatureCheck(
  folder: string,
  trust: SignatureTrust,
): Promise<{ check: SignatureCheck; lines: string[] }> {
  let check = await verifyManifestSignature(folder, trust.anchors);
  // Signed in the key's name, but whether with its key is not known: never VERIFIED.
  if (trust.unconfirmed && check.state !== 'absent')
    check = { ...check, state: 'failed', problems: [...check.problems, trust.unconfirmed] };
  if (check.state === 'absent') return { check, lines: ['  signature: none (manifest.json is not signed)'] };
  const head = `  signature: ${check.state === 'verified' ? 'VERIFIED' : 'FAILED'}: key ${check.keyId ?? '?'}, ${check.algorithm ?? '?'}, signed ${check.signedAt ?? '?'}`;
  return { check, lines: [head, ...check.problems.map((p) => `    ${p}`)] };
}
