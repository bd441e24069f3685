import pLimit, { type LimitFunction } from 'p-limit';
import type {
  DescribeKeyOutput,
  GetKeyPolicyOutput,
  GetKeyRotationStatusOutput,
  ListAliasesOutput,
} from '../evidence/aws-shapes.js';
import type { AccountEvidence, KeyEvidence } from '../evidence/bundle.js';
import type { FiledRecord } from '../evidence/record.js';
import { evidencePaths, safeSegment, type EvidenceWriter } from '../evidence/evidence-store.js';
import { parseKeyReference } from './key-reference.js';
import type { AccountSource, KeyExtraOperation, KeyOperation } from './source.js';

const KEY_FILE: Record<KeyOperation | KeyExtraOperation, string> = {
  DescribeKey: 'describe-key.json',
  GetKeyRotationStatus: 'get-key-rotation-status.json',
  GetKeyPolicy: 'get-key-policy.json',
  ListResourceTags: 'list-resource-tags.json',
};

/** A wanted reference as read: its key's account, region and DescribeKey record. */
export type KeyRead = Pick<KeyEvidence, 'reference' | 'account' | 'region' | 'describe'>;

/** One key as read: the records every reference that resolves to it shares. */
type KeyRecords = Pick<KeyEvidence, 'describe' | 'rotation' | 'policy' | 'extra'>;

interface Wanted {
  reference: string;
  /** The key's account (from its ARN), else the referencing account. */
  account: string;
  /** The tenant account that referenced the key; keys in other accounts are read through it. */
  via: string;
  region: string;
  referencedBy: Set<string>;
  /** The key's records once read; undefined when no account can read it. */
  read: Promise<KeyRecords | undefined>;
}

/**
 * Reads the KMS keys buckets and the config name, each key once, while the buckets are still being
 * read: a reference is resolved as soon as it is wanted (an alias through its account and region's
 * ListAliases, read once; a key ARN or bare id to its key id), and every reference to one key in one
 * account and region shares one set of reads (DescribeKey, rotation, policy, tags). KMS is asked by key
 * id in the key's own account, and by the reference (an ARN) across accounts, so what is asked does
 * not depend on which reference came first. Each reference keeps its own KeyEvidence.
 */
export class KeyReads {
  private readonly wanted = new Map<string, Wanted>();
  private readonly aliases = new Map<string, Promise<FiledRecord<ListAliasesOutput>>>();
  private readonly reads = new Map<string, Promise<KeyRecords>>();
  private readonly limit: LimitFunction;
  private done = 0;

  constructor(
    private readonly sources: ReadonlyMap<string, AccountSource>,
    private readonly writer: EvidenceWriter,
    concurrency: number,
    private readonly onRead?: (p: { account: string; done: number; total: number }) => void,
    /** Told of each wanted reference once its key is read (what a later phase can start reading by). */
    private readonly onKeyRead?: (key: KeyRead) => void,
  ) {
    this.limit = pLimit(concurrency);
  }

  /** `account`/`region`: where the reference was found (a bucket's), used when the reference names neither. */
  want(reference: string, account: string, region: string, by: string): void {
    const ref = parseKeyReference(reference);
    const owner = ref.account ?? account;
    const keyRegion = ref.region ?? region;
    const id = `${owner}|${keyRegion}|${reference}`;
    let entry = this.wanted.get(id);
    if (!entry) {
      const w = { reference, account: owner, via: account, region: keyRegion, referencedBy: new Set<string>() };
      const read = this.resolveAndRead(w);
      // Failures (a folder that cannot be written) surface when the keys are gathered, not before.
      read.then(
        (records) => {
          if (records) this.onKeyRead?.({ reference, account: owner, region: keyRegion, describe: records.describe });
        },
        () => undefined,
      );
      entry = { ...w, read };
      this.wanted.set(id, entry);
    }
    entry.referencedBy.add(by);
  }

  /** Every wanted key's evidence, sorted by account, region and reference; alias lists go to their accounts. */
  async gather(accounts: AccountEvidence[]): Promise<KeyEvidence[]> {
    const sorted = [...this.wanted.values()].sort(
      (a, b) =>
        a.account.localeCompare(b.account) ||
        a.region.localeCompare(b.region) ||
        a.reference.localeCompare(b.reference),
    );
    const keys: KeyEvidence[] = [];
    for (const w of sorted) {
      const records = await w.read;
      if (!records) continue;
      keys.push({
        reference: w.reference,
        referencedBy: [...w.referencedBy].sort(),
        account: w.account,
        region: w.region,
        ...records,
      });
    }
    // Alias lists by account and region, whatever order they were first needed in.
    const lists = [...this.aliases].sort(([a], [b]) => a.localeCompare(b));
    for (const [cacheKey, rec] of lists) {
      const account = cacheKey.split('|')[0];
      accounts.find((a) => a.id === account)?.aliases.push(await rec);
    }
    return keys;
  }

  private aliasesOf(source: AccountSource, region: string): Promise<FiledRecord<ListAliasesOutput>> {
    const cacheKey = `${source.account}|${region}`;
    let list = this.aliases.get(cacheKey);
    if (!list) {
      list = (async () =>
        this.writer.writeRecord(
          `${evidencePaths.account(source.account)}/kms/${safeSegment(region)}/list-aliases.json`,
          await source.listAliases(region),
        ))();
      this.aliases.set(cacheKey, list);
    }
    return list;
  }

  private async resolveAndRead(w: Omit<Wanted, 'read'>): Promise<KeyRecords | undefined> {
    // A key in an account the tenant does not list is read through the account that referenced it.
    const source = this.sources.get(w.account) ?? this.sources.get(w.via);
    if (!source) return undefined;
    const own = source.account === w.account;
    const ref = parseKeyReference(w.reference);
    let keyId = w.reference;
    // Aliases are read for every region of an own account's keys: they name keys on the page.
    const aliases = own ? await this.aliasesOf(source, w.region) : undefined;
    if (ref.kind === 'alias' && aliases?.outcome === 'ok') {
      const target = aliases.response.Aliases?.find((a) => a.AliasName === ref.aliasName)?.TargetKeyId;
      if (target) keyId = target;
    }
    const resolved = parseKeyReference(keyId);
    const name = resolved.kind === 'key' ? resolved.keyId : resolved.aliasName;
    // Across accounts only the ARN names the key; in its own account its id (or unresolved alias) does.
    const askAs = own ? name : w.reference;
    const identity = `${w.account}|${w.region}|${resolved.kind}|${name}`;
    let read = this.reads.get(identity);
    if (!read) {
      read = this.limit(() => this.readKey(source, w.account, w.region, askAs, name));
      this.reads.set(identity, read);
    }
    return read;
  }

  private async readKey(
    source: AccountSource,
    account: string,
    region: string,
    keyId: string,
    folder: string,
  ): Promise<KeyRecords> {
    const dir = evidencePaths.key(account, region, folder);
    const call = async <T>(op: KeyOperation | KeyExtraOperation) =>
      (await this.writer.writeRecord(`${dir}/${KEY_FILE[op]}`, {
        ...(await source.keyCall(op, keyId, region)),
        account,
      })) as FiledRecord<T>;
    const describe = await call<DescribeKeyOutput>('DescribeKey');
    const records: KeyRecords = { describe };
    if (describe.outcome === 'ok') {
      const customer = describe.response.KeyMetadata?.KeyManager === 'CUSTOMER';
      // KMS rotates automatically only material it generated: for imported or custom-key-store material
      // GetKeyRotationStatus answers UnsupportedOperationException, so it is not asked.
      const origin = describe.response.KeyMetadata?.Origin;
      const rotates = origin === undefined || origin === 'AWS_KMS';
      const [rotation, policy, tags] = await Promise.all([
        customer && rotates ? call<GetKeyRotationStatusOutput>('GetKeyRotationStatus') : undefined,
        call<GetKeyPolicyOutput>('GetKeyPolicy'),
        customer ? call('ListResourceTags') : undefined,
      ]);
      if (rotation) records.rotation = rotation;
      records.policy = policy;
      if (tags) records.extra = { ListResourceTags: tags };
    }
    this.onRead?.({ account, done: ++this.done, total: this.reads.size });
    return records;
  }
}
