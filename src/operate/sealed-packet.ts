/**
 * A signed or published packet is sealed: what was signed or handed over must stay as it is. `render`
 * and `analyze` refuse it unless asked to revise, and a revision is made beside it and the sealed
 * packet kept under `<period>/.revisions/`, as `run` keeps a packet it replaces.
 */
import { cp, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { settleRevision, type RevisionOutcome } from '../pipeline/revisions.js';
import { MANIFEST_COMPANIONS } from '../workspace/manifest.js';
import { RECEIPT_FILE, type PublishReceipt } from './publish/receipt.js';
import { SIGNATURE_FILE } from '../workspace/signature-file.js';

export interface Seal {
  /** manifest.signature.json is present: the KMS key it names, if readable. */
  signed?: { keyId?: string };
  /** publish-receipt.json says objects were uploaded: where. */
  published?: { location: string };
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/** What seals the packet in `folder`, or undefined when nothing does. An unreadable seal file still seals. */
export async function sealOf(folder: string): Promise<Seal | undefined> {
  const seal: Seal = {};
  const signature = await readText(path.join(folder, SIGNATURE_FILE));
  if (signature !== undefined) {
    let keyId: string | undefined;
    try {
      const parsed = JSON.parse(signature) as { keyId?: unknown };
      if (typeof parsed.keyId === 'string') keyId = parsed.keyId;
    } catch {
      // a signature file that does not parse still says someone signed this packet
    }
    seal.signed = keyId ? { keyId } : {};
  }
  const receiptText = await readText(path.join(folder, RECEIPT_FILE));
  if (receiptText !== undefined) {
    try {
      const receipt = JSON.parse(receiptText) as Partial<PublishReceipt>;
      const uploaded = Array.isArray(receipt.uploaded) ? receipt.uploaded.length : 0;
      if (receipt.state === 'published' || uploaded > 0)
        seal.published = { location: `s3://${receipt.bucket ?? '?'}/${receipt.keyPrefix ?? ''}` };
    } catch {
      seal.published = { location: `an unreadable ${RECEIPT_FILE}` };
    }
  }
  return seal.signed || seal.published ? seal : undefined;
}

export function describeSeal(seal: Seal): string {
  const parts: string[] = [];
  if (seal.signed) parts.push(`signed${seal.signed.keyId ? ` with ${seal.signed.keyId}` : ''}`);
  if (seal.published) parts.push(`published to ${seal.published.location}`);
  return parts.join(' and ');
}

/** The packet is sealed and the command was not asked to revise it (exit 2). */
export class SealedPacketError extends UsageError {
  constructor(folder: string, command: string, seal: Seal) {
    super(
      `${command}: ${folder} is ${describeSeal(seal)}; ${command} would change it and it would no longer verify. ` +
        `Pass --revise to keep it under ${path.join(path.dirname(folder), '.revisions')}/ and write a new packet in its place`,
    );
    this.name = 'SealedPacketError';
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Remakes a sealed packet: copies it (without its signature and publish receipt, which belong to the
 * sealed bytes) into a staging folder beside it, lets `remake` rewrite the copy, then settles it as
 * `run` does: an identical result leaves the sealed packet alone, a different one moves the sealed
 * packet into `.revisions/` (named in the new packet's revision.json) and puts the copy in its place.
 */
export async function reviseSealedPacket<T>(
  folder: string,
  now: Date,
  remake: (staging: string) => Promise<T>,
): Promise<{ result: T; revision: RevisionOutcome }> {
  const staging = path.join(path.dirname(folder), `.${path.basename(folder)}.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    await cp(folder, staging, {
      recursive: true,
      filter: (src) => path.dirname(src) !== folder || !MANIFEST_COMPANIONS.has(path.basename(src)),
    });
    const result = await remake(staging);
    const revision = await settleRevision({ staging, finalDir: folder, now });
    if (revision.state === 'unchanged') await rm(staging, { recursive: true, force: true });
    else if (!(await exists(folder))) await rename(staging, folder);
    return { result, revision };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
