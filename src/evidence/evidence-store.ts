import pLimit from 'p-limit';
import path from 'node:path';
import type { Period } from '../config/period.js';
import type { TenantConfig } from '../config/schema.js';
import type {
  AccountEvidence,
  BucketEvidence,
  ExcludedBucket,
  KeyEvidence,
  RunInfo,
  TenantEvidence,
} from './bundle.js';
import type { InventoryEvidence } from './inventory.js';
import type { GetBucketLocationOutput, ListAliasesOutput } from './aws-shapes.js';
import type { EvidenceRecord, FiledRecord } from './record.js';
import { readAnswer, readStoredRecord } from './answers.js';
import { stableJson } from '../util/atomic-write.js';
import { recordAsIs, recordedJson, type RecordLocations } from './recorded-locations.js';
import { hashTree } from '../util/hash.js';
import { copyWith } from '../util/copy-with.js';
import { WrittenEvidence } from './written-evidence.js';
import { directoryBucketIndex, readDirectoryBucketIndex, type DirectoryBucketIndex } from './directory-buckets.js';
import { readTableBucketIndex, tableBucketIndex, type TableBucketIndex } from './table-buckets.js';
import { EvidenceReadError, hashesTaken, noteHashes, readEvidenceJson, type EvidenceShape } from './read-evidence.js';
import { z } from 'zod';
import { threadFileSink, type FileSink } from '../util/background-files.js';

/**
 * The evidence folder of one packet. Every record is its own file; `evidence/index.json` says which
 * file holds what, so the loader never has to guess from file names.
 */
export const EVIDENCE_DIR = 'evidence';

/**
 * Writes a packet's evidence files. The folder is one no reader sees until the whole packet is moved
 * into place (runTenant's staging folder, doctor's temporary one), so each file is written in place:
 * a collection writes some 13 files per bucket, and a temporary sibling and a rename for each doubled
 * the file-system work of the run.
 *
 * A live run writes one file per AWS answer, thousands of them. The text, hash and parsed record
 * are made here; the write itself goes to the file-writing thread (util/background-files.ts), one
 * synchronous write per file there, so a slow disk never holds up the event loop that handles the
 * calls in flight. Each write's promise settles once the file is on disk, or with why it is not.
 */
export class EvidenceWriter {
  /** Folders made, or asked for, so far: a collection writes thousands of files into a few hundred folders. */
  private readonly folders = new Set<string>();
  /** Every file written, with its hash and (until analysed) its content. */
  readonly written = new WrittenEvidence();

  /** `record` rewrites absolute local locations into their recorded (config-relative) form. */
  constructor(
    readonly packetDir: string,
    private readonly record: RecordLocations = recordAsIs,
    private readonly sink: FileSink = threadFileSink(),
  ) {}

  /** Absolute path for a path relative to the packet folder. */
  abs(relative: string): string {
    const parts = relative.split('/');
    // Evidence paths are built from names AWS returned; none may climb out of the packet folder.
    if (path.isAbsolute(relative) || parts.some((p) => p === '..' || p === '.'))
      throw new Error(`evidence path "${relative}" is not inside the packet folder`);
    return path.join(this.packetDir, ...parts);
  }

  /** Writes `value`'s text; resolves with the text once the file is written. */
  private async write(relative: string, value: unknown): Promise<string> {
    const file = this.abs(relative);
    const text = recordedJson(value, this.record, stableJson);
    const dir = path.dirname(file);
    const makeDir = this.folders.has(dir) ? undefined : dir;
    this.folders.add(dir);
    try {
      await this.sink.write(file, text, makeDir);
    } catch (err) {
      // A folder that could not be made is not remembered: the next write there tries again.
      if (makeDir !== undefined) this.folders.delete(makeDir);
      throw err;
    }
    return text;
  }

  async writeJson(relative: string, value: unknown): Promise<string> {
    this.written.noteJson(relative, await this.write(relative, value));
    return relative;
  }

  /**
   * Writes the record as it was received; returns it as analysis reads it (the file read back,
   * answers checked against their shape), so the collector and the analysis share one copy.
   */
  async writeRecord<T>(relative: string, record: EvidenceRecord<T>): Promise<FiledRecord<T>> {
    const read = this.written.noteRecord(relative, await this.write(relative, record));
    // Not an evidence record at all: analysis refuses the file when it reads it (loadEvidence).
    if ('problem' in read) return readAnswer<T>({ ...record, file: relative } as FiledRecord);
    return read.record as FiledRecord<T>;
  }
}

/** Folder-safe form of a name that may hold '/' or ':' (aliases, ARNs). */
export function safeSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  // "." and ".." are names of folders that already exist: never one of ours.
  return safe === '.' || safe === '..' || safe === '' ? safe.replace(/./g, '_') || '_' : safe;
}

export const evidencePaths = {
  run: `${EVIDENCE_DIR}/run.json`,
  tenant: `${EVIDENCE_DIR}/tenant.json`,
  index: `${EVIDENCE_DIR}/index.json`,
  account: (a: string) => `${EVIDENCE_DIR}/accounts/${safeSegment(a)}`,
  bucket: (a: string, b: string) => `${EVIDENCE_DIR}/accounts/${safeSegment(a)}/s3/${safeSegment(b)}`,
  key: (a: string, region: string, id: string) =>
    `${EVIDENCE_DIR}/accounts/${safeSegment(a)}/kms/${safeSegment(region)}/${safeSegment(id)}`,
};

interface EvidenceIndex {
  accounts: Array<{ id: string; listBuckets: string; aliases: string[] }>;
  buckets: Array<{
    name: string;
    account: string;
    region?: string;
    files: {
      /** Absent when the account's list-buckets.json gave the bucket's region. */
      location?: string;
      tagging: string;
      encryption: string;
      policy: string;
      publicAccessBlock: string;
      inventory: string;
    };
    /** Operation name -> file, for BucketEvidence.extra. */
    extra?: Record<string, string>;
  }>;
  excludedBuckets: ExcludedBucket[];
  /** Absent in evidence collected before scope could be undetermined. */
  undeterminedBuckets?: ExcludedBucket[];
  keys: Array<{
    reference: string;
    referencedBy: string[];
    account: string;
    region: string;
    files: { describe: string; rotation?: string; policy?: string };
    extra?: Record<string, string>;
  }>;
  /** Absent in evidence collected before table buckets were read. */
  tableBuckets?: TableBucketIndex[];
  /** Absent in evidence collected before directory buckets were read. */
  directoryBuckets?: DirectoryBucketIndex[];
  collectionProblems: Array<{ scope: string; message: string }>;
}

function extraFiles(extra: Record<string, FiledRecord>): Record<string, string> {
  return Object.fromEntries(Object.entries(extra).map(([op, r]) => [op, r.file]));
}

async function readExtra(
  packetDir: string,
  files: Record<string, string> | undefined,
  written?: WrittenEvidence,
): Promise<{ extra?: Record<string, FiledRecord> }> {
  if (!files) return {};
  const extra: Record<string, FiledRecord> = {};
  for (const [op, file] of Object.entries(files)) extra[op] = await readRecord(packetDir, file, written);
  return { extra };
}

/** Writes run.json, tenant.json and index.json for evidence whose records are already on disk. */
export async function writeEvidenceIndex(writer: EvidenceWriter, ev: Omit<TenantEvidence, 'files'>): Promise<void> {
  const index: EvidenceIndex = {
    accounts: ev.accounts.map((a) => ({
      id: a.id,
      listBuckets: a.listBuckets.file,
      aliases: a.aliases.map((r) => r.file),
    })),
    buckets: ev.buckets.map((b) => ({
      name: b.name,
      account: b.account,
      ...(b.region ? { region: b.region } : {}),
      files: {
        ...(b.location ? { location: b.location.file } : {}),
        tagging: b.tagging.file,
        encryption: b.encryption.file,
        policy: b.policy.file,
        publicAccessBlock: b.publicAccessBlock.file,
        inventory: b.inventory.file,
      },
      ...(b.extra ? { extra: extraFiles(b.extra) } : {}),
    })),
    excludedBuckets: ev.excludedBuckets,
    undeterminedBuckets: ev.undeterminedBuckets,
    keys: ev.keys.map((k) => ({
      reference: k.reference,
      referencedBy: k.referencedBy,
      account: k.account,
      region: k.region,
      files: {
        describe: k.describe.file,
        ...(k.rotation ? { rotation: k.rotation.file } : {}),
        ...(k.policy ? { policy: k.policy.file } : {}),
      },
      ...(k.extra ? { extra: extraFiles(k.extra) } : {}),
    })),
    ...(ev.tableBuckets ? { tableBuckets: tableBucketIndex(ev.tableBuckets) } : {}),
    ...(ev.directoryBuckets ? { directoryBuckets: directoryBucketIndex(ev.directoryBuckets) } : {}),
    collectionProblems: ev.collectionProblems,
  };
  await writer.writeJson(evidencePaths.run, ev.run);
  await writer.writeJson(evidencePaths.tenant, { tenant: ev.tenant, period: ev.period });
  await writer.writeJson(evidencePaths.index, index);
}

/** One stored record, read through the shape of its answer (evidence/answers.ts). */
export async function readRecord<T>(
  packetDir: string,
  relative: string,
  written?: WrittenEvidence,
): Promise<FiledRecord<T>> {
  const read =
    (written?.record(relative) as { record: FiledRecord<T> } | { problem: string } | undefined) ??
    readStoredRecord<T>(await readEvidenceJson<unknown>(packetDir, relative), relative);
  if ('problem' in read) throw new EvidenceReadError(read.problem);
  return read.record;
}

/** The outlines of run.json, tenant.json and index.json, as far as loadEvidence walks them. */
const RUN_SHAPE = z.looseObject({ tool: z.looseObject({ name: z.string(), version: z.string() }) });
const TENANT_SHAPE = z.looseObject({
  tenant: z.looseObject({ id: z.string() }),
  period: z.looseObject({ label: z.string() }),
});
const INDEX_SHAPE = z.looseObject({
  accounts: z.array(z.looseObject({ id: z.string(), listBuckets: z.string(), aliases: z.array(z.string()) })),
  buckets: z.array(z.looseObject({ name: z.string(), account: z.string(), files: z.looseObject({}) })),
  excludedBuckets: z.array(z.unknown()),
  keys: z.array(z.looseObject({ files: z.looseObject({ describe: z.string() }) })),
  collectionProblems: z.array(z.unknown()),
});

/** Files read at once while loading evidence. */
const READS_AT_ONCE = 32;

/** `fn` over every item, READS_AT_ONCE at a time; results in the items' order. */
async function inOrder<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(READS_AT_ONCE);
  return Promise.all(items.map((item) => limit(() => fn(item))));
}

/**
 * Reads a packet folder's evidence back into the bundle analysis takes. `written`: what this run's
 * writer put there, taken from memory (the same values a read gives) instead of read back.
 */
export async function loadEvidence(packetDir: string, written?: WrittenEvidence): Promise<TenantEvidence> {
  const readJsonOf = <T>(relative: string, shape?: EvidenceShape) =>
    readEvidenceJson<T>(packetDir, relative, written, shape);
  const readRecordOf = <T>(relative: string) => readRecord<T>(packetDir, relative, written);
  const run = await readJsonOf<RunInfo>(evidencePaths.run, RUN_SHAPE);
  const { tenant, period } = await readJsonOf<{ tenant: TenantConfig; period: Period }>(
    evidencePaths.tenant,
    TENANT_SHAPE,
  );
  const index = await readJsonOf<EvidenceIndex>(evidencePaths.index, INDEX_SHAPE);
  const accounts: AccountEvidence[] = [];
  for (const a of index.accounts) {
    accounts.push({
      id: a.id,
      listBuckets: await readRecordOf(a.listBuckets),
      aliases: await Promise.all(a.aliases.map((f) => readRecordOf<ListAliasesOutput>(f))),
    });
  }
  // Buckets and keys are read side by side (their files are many and small), kept in index order.
  const buckets: BucketEvidence[] = await inOrder(index.buckets, async (b) => ({
    name: b.name,
    account: b.account,
    ...(b.region ? { region: b.region } : {}),
    ...(b.files.location ? { location: await readRecordOf<GetBucketLocationOutput>(b.files.location) } : {}),
    tagging: await readRecordOf(b.files.tagging),
    encryption: await readRecordOf(b.files.encryption),
    policy: await readRecordOf(b.files.policy),
    publicAccessBlock: await readRecordOf(b.files.publicAccessBlock),
    inventory: copyWith(await readJsonOf<InventoryEvidence>(b.files.inventory), { file: b.files.inventory }),
    ...(await readExtra(packetDir, b.extra, written)),
  }));
  const keys: KeyEvidence[] = await inOrder(index.keys, async (k) => ({
    reference: k.reference,
    referencedBy: k.referencedBy,
    account: k.account,
    region: k.region,
    describe: await readRecordOf(k.files.describe),
    ...(k.files.rotation ? { rotation: await readRecordOf(k.files.rotation) } : {}),
    ...(k.files.policy ? { policy: await readRecordOf(k.files.policy) } : {}),
    ...(await readExtra(packetDir, k.extra, written)),
  }));
  const tableBuckets = index.tableBuckets ? await readTableBucketIndex(index.tableBuckets, readRecordOf) : undefined;
  const directoryBuckets = index.directoryBuckets
    ? await readDirectoryBucketIndex(index.directoryBuckets, readRecordOf)
    : undefined;
  // In `verify`, the files just read are hashed from those bytes, and these hashes serve its manifest check.
  const files = await hashTree(packetDir, EVIDENCE_DIR, written?.fileHashes() ?? hashesTaken(packetDir));
  noteHashes(packetDir, files);
  return {
    run,
    tenant,
    period,
    accounts,
    buckets,
    excludedBuckets: index.excludedBuckets,
    undeterminedBuckets: index.undeterminedBuckets ?? [],
    keys,
    ...(tableBuckets ? { tableBuckets } : {}),
    ...(directoryBuckets ? { directoryBuckets } : {}),
    collectionProblems: index.collectionProblems,
    files,
  };
}
