/**
 * `s3-evidence sign <folder...>` and `s3-evidence publish <folder...>`: what `run --sign-with` and
 * `run --publish` do, on packets already made (a failed upload needs no new collection). Both check the
 * packet verifies first, and both are idempotent: signing a packet already signed by the same key, or
 * publishing one whose objects are already there with the same bytes, succeeds without changing anything.
 */
import { loadConfig } from '../../config/load.js';
import { verifyFolder, verifyMessages } from '../../pipeline/verify-folder.js';
import { publishPacket, type PublishReceipt } from '../../operate/publish/index.js';
import { signManifest, verifyManifestSignature } from '../../operate/sign/index.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { requirePacketFolder } from '../packet-folders.js';
import { openPublishing, openSigning, type AwsOptions } from './packet-operations.js';
import { readPacket } from '../../pipeline/packet-file.js';

export interface SealOptions extends AwsOptions {
  config: string;
  json?: boolean;
}

/** A packet about to be signed or published must verify as it lies (hashes, re-derivation, re-render). */
async function requireVerified(folder: string, command: 'sign' | 'publish'): Promise<void> {
  const report = await verifyFolder(folder);
  const signature = await verifyManifestSignature(folder);
  if (report.ok && signature.state !== 'failed') return;
  const why = [...verifyMessages(report), ...(signature.state === 'failed' ? signature.problems : [])].slice(0, 3);
  throw new UsageError(
    `${command}: ${folder} does not verify (${why.join('; ') || 'see s3-evidence verify'}); ${command} only what verify accepts`,
  );
}

interface SignOutcome {
  folder: string;
  state: 'signed' | 'already_signed';
  keyId: string;
  signingAlgorithm: string;
}

export async function signCommand(folders: string[], opts: SealOptions & { signWith: string }): Promise<number> {
  for (const folder of folders) await requirePacketFolder(folder, 'verify');
  const { config } = await loadConfig(opts.config);
  const signing = await openSigning(config, opts, opts.signWith, '--sign-with');
  const outcomes: SignOutcome[] = [];
  try {
    for (const folder of folders) {
      // Signed by this very key: the stored public key must be the one KMS gave for it, since the key id
      // in the signature file is only a name (any key pair could sign under it).
      const byThisKey = await verifyManifestSignature(folder, {
        expectKeyId: signing.key.keyId,
        trustedPublicKey: signing.key.publicKeyDer,
      });
      if (byThisKey.state === 'verified') {
        // Same key, and the signature still holds for this manifest: nothing to do.
        outcomes.push({
          folder,
          state: 'already_signed',
          keyId: signing.key.keyId,
          signingAlgorithm: byThisKey.algorithm ?? '?',
        });
        continue;
      }
      const existing = await verifyManifestSignature(folder);
      if (existing.state === 'verified')
        throw new UsageError(
          existing.keyId === signing.key.keyId
            ? `sign: ${folder} is signed in the name of ${signing.key.keyId} but not with its key (the stored public key is not the one kms:GetPublicKey gives); a packet carries one signature (re-make it with render --revise to sign it anew)`
            : `sign: ${folder} is already signed with ${existing.keyId ?? 'another key'}, not ${signing.key.keyId}; a packet carries one signature (re-make it with render --revise to sign it anew)`,
        );
      await requireVerified(folder, 'sign');
      const signature = await signManifest({ kms: signing.kms, key: signing.key, packetDir: folder });
      outcomes.push({ folder, state: 'signed', keyId: signature.keyId, signingAlgorithm: signature.signingAlgorithm });
    }
  } finally {
    signing.kms.destroy();
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ signed: outcomes }, null, 2)}\n`);
  else
    for (const o of outcomes)
      process.stdout.write(
        `${o.folder}: ${o.state === 'signed' ? 'manifest signed' : 'already signed, nothing to do'} with ${o.keyId} (${o.signingAlgorithm})\n`,
      );
  return EXIT.complete;
}

function publishLine(folder: string, r: PublishReceipt): string {
  const where = `s3://${r.bucket}/${r.keyPrefix}`;
  const fresh = r.uploaded.filter((u) => !u.alreadyThere).length;
  const there = r.uploaded.length - fresh;
  if (r.state === 'published')
    return `${folder}: published to ${where}: ${fresh} object(s) uploaded, ${there} already there with the same bytes`;
  if (r.state === 'refused_existing')
    return `${folder}: PUBLISH REFUSED, nothing overwritten: ${r.failure?.message ?? r.failure?.key}`;
  return `${folder}: PUBLISH FAILED at ${r.failure?.key}: ${r.failure?.code}: ${r.failure?.message}`;
}

export async function publishCommand(folders: string[], opts: SealOptions & { to: string }): Promise<number> {
  for (const folder of folders) await requirePacketFolder(folder, 'verify');
  const { config } = await loadConfig(opts.config);
  const publishing = await openPublishing(config, opts, opts.to, '--to');
  const receipts: Array<{ folder: string; receipt: PublishReceipt }> = [];
  try {
    for (const folder of folders) {
      await requireVerified(folder, 'publish');
      const packet = await readPacket(folder);
      const receipt = await publishPacket({
        s3: publishing.s3,
        packetDir: folder,
        target: publishing.target,
        period: packet.period.label,
        tenant: packet.tenant.id,
        settings: publishing.settings,
      });
      receipts.push({ folder, receipt });
    }
  } finally {
    publishing.s3.destroy();
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ published: receipts }, null, 2)}\n`);
  else for (const r of receipts) process.stdout.write(`${publishLine(r.folder, r.receipt)}\n`);
  return receipts.every((r) => r.receipt.state === 'published') ? EXIT.complete : EXIT.unexpected;
}
