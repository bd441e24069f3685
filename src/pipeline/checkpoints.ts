/**
 * Resuming a run that was killed: each tenant's collected sources are checkpointed, with the sha256 of
 * every file, under `<out>/<period>/.resume/<tenant>/`, outside the packet folder: `<source>.json`
 * lists the files and `<source>.pack` holds their bytes one after another in that order (one file per
 * source, not a copy of each: 1,000 buckets are some 13,000 small files, and creating, then deleting,
 * a copy of each cost the run more CPU than collecting them). A run started again
 * for the same period (same configuration and tool version) copies back every checkpoint whose files
 * still hash as recorded and collects only the rest; a tenant whose packet was finished and still
 * verifies is not made again. A file that does not match its hash drops that checkpoint and the ones
 * after it (they were collected from its results), with a notice. A run that ends normally removes
 * its tenants' checkpoints, so the next run collects afresh.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, rmdir, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { TOOL } from '../tool.js';
import { hashTree, sha256, type FileHash, type HashedFile } from '../util/hash.js';
import { stableJson, writeFileAtomic, writeTextAtomic } from '../util/atomic-write.js';
import { stableJsonPieces } from '../util/json-pieces.js';

const RESUME_DIR = '.resume';

/** The units a tenant's collection is checkpointed in, in the order they are collected. */
export const CHECKPOINT_SOURCES = ['accounts', 'logs', 'awsConfig'] as const;
export type CheckpointSource = (typeof CHECKPOINT_SOURCES)[number];

const DONE_FILE = 'packet-done.json';

/**
 * Files read (saving) or written (restoring) at once; their bytes go to or come from the pack in order,
 * one write or read of the pack per batch (at 10,000 buckets the first checkpoint packs some 100,000
 * files: batches of 32 made 3,000 writes of the pack, each a trip to the thread pool).
 */
const FILES_AT_ONCE = 256;
/**
 * At most this many bytes of files in memory at once. A larger file (an inventory's unencrypted-object
 * list: some 150 bytes an object, 110 MB for 700,000 objects, past Node's 2 GiB read limit for 15
 * million) goes to and from the pack alone, in pieces of PIECE_BYTES, never read whole.
 */
const BYTES_AT_ONCE = 8 * 1024 * 1024;
const PIECE_BYTES = 1024 * 1024;

/** A run of small files read or written together, or one large file moved in pieces. */
type PackSegment<F> = { batch: F[] } | { large: F };

/** `files` in pack order, grouped as they are read and written (see BYTES_AT_ONCE). */
export function packSegments<F extends { size: number }>(files: readonly F[]): Array<PackSegment<F>> {
  const segments: Array<PackSegment<F>> = [];
  let batch: F[] = [];
  let bytes = 0;
  const close = () => {
    if (batch.length > 0) segments.push({ batch });
    batch = [];
    bytes = 0;
  };
  for (const f of files) {
    if (f.size > BYTES_AT_ONCE) {
      close();
      segments.push({ large: f });
      continue;
    }
    if (batch.length === FILES_AT_ONCE || bytes + f.size > BYTES_AT_ONCE) close();
    batch.push(f);
    bytes += f.size;
  }
  close();
  return segments;
}

/** What a checkpoint is of: a checkpoint of another configuration, period or tool version is never used. */
interface CheckpointScope {
  tenant: string;
  period: string;
  configSha256: string;
}

interface CheckpointRecord extends CheckpointScope {
  /** 2: the files' bytes are in `<source>.pack` (1 kept a copy of each file in a folder). */
  checkpointVersion: 2;
  tool: string;
  source: CheckpointSource;
  /** The clock of the run that collected it: the resumed run collects the rest as of the same time. */
  runClock: string;
  /** In the order their bytes follow one another in the pack. */
  files: Array<{ path: string } & FileHash>;
}

interface DoneRecord extends CheckpointScope {
  checkpointVersion: 1;
  tool: string;
  /** sha256 of the finished packet's manifest.json. */
  manifestSha256: string;
}

/** What a resumed tenant took from its checkpoints. */
export interface Restored {
  sources: CheckpointSource[];
  /** The clock of the run that made the checkpoints, when any was used. */
  runClock?: string;
  notices: string[];
}

function isSafeRelative(p: unknown): p is string {
  if (typeof p !== 'string' || p === '' || path.isAbsolute(p) || p.includes('\\')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null;
  }
}

/** No checkpoint follows this one's: nothing is compared with the files held once it is saved or restored. */
const LAST_SOURCE: CheckpointSource = CHECKPOINT_SOURCES[CHECKPOINT_SOURCES.length - 1]!;

export class TenantCheckpoints {
  /**
   * Files of the staging folder already in a checkpoint (restored or saved), by path: what the next
   * save leaves out. Let go of once the last source is in a checkpoint, since no save follows: at
   * 10,000 buckets it is some 112,000 paths and hashes, held otherwise through analysis and render.
   */
  private readonly held = new Map<string, string>();

  private constructor(
    readonly dir: string,
    private readonly scope: CheckpointScope,
  ) {}

  /** How many files the next save would compare with (none once the last source is in a checkpoint). */
  filesHeld(): number {
    return this.held.size;
  }

  static at(outDir: string, scope: CheckpointScope): TenantCheckpoints {
    return new TenantCheckpoints(path.join(outDir, scope.period, RESUME_DIR, scope.tenant), scope);
  }

  private matchesScope(r: Partial<CheckpointRecord | DoneRecord>, version: number): boolean {
    return (
      r.checkpointVersion === version &&
      r.tool === `${TOOL.name}@${TOOL.version}` &&
      r.tenant === this.scope.tenant &&
      r.period === this.scope.period &&
      r.configSha256 === this.scope.configSha256
    );
  }

  /**
   * The sha256 of the manifest of a packet this tenant finished in the interrupted run, if that run
   * recorded one for this scope. The caller still verifies the packet folder before using it.
   */
  async finishedManifest(): Promise<string | undefined> {
    const done = (await readJson(path.join(this.dir, DONE_FILE))) as Partial<DoneRecord> | undefined | null;
    if (!done || !this.matchesScope(done, 1) || typeof done.manifestSha256 !== 'string') return undefined;
    return done.manifestSha256;
  }

  /** Records that the tenant's packet is in place, by its manifest's sha256. */
  async markFinished(manifestSha256: string): Promise<void> {
    const done: DoneRecord = {
      checkpointVersion: 1,
      tool: `${TOOL.name}@${TOOL.version}`,
      ...this.scope,
      manifestSha256,
    };
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, DONE_FILE), stableJson(done));
  }

  /**
   * Copies the usable checkpoints, in collection order, into `staging`. The first one missing, made
   * for another scope, or with a file that does not hash as recorded ends the restore: it and every
   * later checkpoint are removed and collected again.
   */
  async restore(staging: string): Promise<Restored> {
    const restored: Restored = { sources: [], notices: [] };
    for (const source of CHECKPOINT_SOURCES) {
      const problem = await this.restoreOne(source, staging, restored);
      if (typeof problem === 'object') break;
      if (problem !== undefined) {
        restored.notices.push(
          `${this.scope.tenant}: the checkpoint of ${source} is not used (${problem}); ${source} and what follows are collected again`,
        );
        break;
      }
      restored.sources.push(source);
    }
    for (const source of CHECKPOINT_SOURCES.slice(restored.sources.length)) await this.drop(source);
    if (restored.sources.length === CHECKPOINT_SOURCES.length) this.held.clear();
    return restored;
  }

  private async restoreOne(
    source: CheckpointSource,
    staging: string,
    restored: Restored,
  ): Promise<{ absent: true } | string | undefined> {
    const record = (await readJson(path.join(this.dir, `${source}.json`))) as
      Partial<CheckpointRecord> | undefined | null;
    if (record === undefined) return { absent: true };
    if (record === null || typeof record !== 'object') return `${source}.json is not readable JSON`;
    if (!this.matchesScope(record, 2) || record.source !== source)
      return 'made for another configuration, period or tool version';
    if (typeof record.runClock !== 'string' || Number.isNaN(Date.parse(record.runClock))) return 'no run clock';
    if (restored.runClock !== undefined && restored.runClock !== record.runClock) return 'made by another run';
    if (!Array.isArray(record.files)) return 'no file list';
    for (const f of record.files)
      if (!isSafeRelative(f?.path) || typeof f.sha256 !== 'string' || !Number.isSafeInteger(f.size) || f.size < 0)
        return 'a file entry is malformed';
    const files = record.files;
    let pack: FileHandle;
    try {
      pack = await open(path.join(this.dir, `${source}.pack`), 'r');
    } catch {
      return `${source}.pack is missing`;
    }
    try {
      const packSize = (await pack.stat()).size;
      if (packSize !== files.reduce((n, f) => n + f.size, 0)) return `${source}.pack does not hold the files listed`;
      // Every file is checked before any is copied: a checkpoint is used whole or not at all.
      const mismatch = await checkPack(pack, files);
      if (mismatch) return mismatch;
      await copyPack(pack, files, staging, (f) => this.held.set(f.path, f.sha256));
    } finally {
      await pack.close();
    }
    restored.runClock = record.runClock;
    return undefined;
  }

  /**
   * Checkpoints what `source` added to `staging`: every file new or changed since the last checkpoint,
   * copied with its hash; the record is written last, so a run killed while copying leaves none.
   * `known`: hashes the run already has (files it wrote itself), so they are not read back.
   */
  async save(
    source: CheckpointSource,
    staging: string,
    runClock: Date,
    known?: ReadonlyMap<string, HashedFile>,
  ): Promise<void> {
    const changed = (await hashTree(staging, '', known)).filter((f) => this.held.get(f.path) !== f.sha256);
    await rm(path.join(this.dir, source), { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    // The bytes packed are the bytes hashed: the record is made from what was read, not from `known`.
    const files: CheckpointRecord['files'] = [];
    const pack = await open(path.join(this.dir, `${source}.pack`), 'w');
    try {
      for (const segment of packSegments(changed)) {
        if ('large' in segment) {
          files.push(await packLargeFile(pack, staging, segment.large, source));
          continue;
        }
        const batch = segment.batch;
        // Read synchronously: thousands of small files, each four thread-pool trips (open, stat, read,
        // close) through the promise API: 13,000 files took ~0.6-1 s of CPU that way, ~0.15 s like this.
        const contents = batch.map((f) => readFileSync(path.join(staging, ...f.path.split('/'))));
        batch.forEach((f, j) => files.push(packedEntry(f, contents[j]!)));
        // Written as they were read, not copied into one buffer first.
        await writeAll(pack, contents, source);
      }
    } finally {
      await pack.close();
    }
    const record: CheckpointRecord = {
      checkpointVersion: 2,
      tool: `${TOOL.name}@${TOOL.version}`,
      ...this.scope,
      source,
      runClock: runClock.toISOString(),
      files,
    };
    // Written last: a run killed while packing leaves no record, so the pack is never taken up. In
    // pieces (the text stableJson gives): at 10,000 buckets the list is some 100,000 files, 21 MB of text.
    await writeTextAtomic(path.join(this.dir, `${source}.json`), stableJsonPieces(record));
    if (source === LAST_SOURCE) this.held.clear();
    else for (const f of files) this.held.set(f.path, f.sha256);
  }

  private async drop(source: CheckpointSource): Promise<void> {
    await rm(path.join(this.dir, `${source}.json`), { force: true });
    await rm(path.join(this.dir, `${source}.pack`), { force: true });
    // A folder of copies left by a version that kept one.
    await rm(path.join(this.dir, source), { recursive: true, force: true });
  }

  /** Removes the tenant's checkpoints (the run is over), and `.resume/` once no tenant has any. */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await rmdir(path.dirname(this.dir)).catch(() => undefined);
  }
}

/**
 * The checkpoint's entry for a file read as `bytes`: the hashed entry itself when its hash and size
 * are those of the bytes (a file the run wrote, whose entry WrittenEvidence holds: the record and the
 * held map then share its strings instead of keeping a copy of 100,000 paths and hashes), else a new one.
 */
export function packedEntry(hashed: HashedFile, bytes: Uint8Array): HashedFile {
  const hash = sha256(bytes);
  return hash === hashed.sha256 && bytes.length === hashed.size
    ? hashed
    : { path: hashed.path, sha256: hash, size: bytes.length };
}

/** Appends `contents` to the pack, all of it. */
async function writeAll(pack: FileHandle, contents: Buffer[], source: CheckpointSource): Promise<void> {
  const expected = contents.reduce((n, c) => n + c.length, 0);
  const { bytesWritten } = await pack.writev(contents);
  if (bytesWritten !== expected) throw new Error(`checkpoint ${source}: wrote ${bytesWritten} of ${expected} bytes`);
}

/** Appends one large file to the pack in pieces; its entry is made from the bytes packed, as packedEntry's is. */
async function packLargeFile(
  pack: FileHandle,
  staging: string,
  hashed: HashedFile,
  source: CheckpointSource,
): Promise<HashedFile> {
  const hash = createHash('sha256');
  let size = 0;
  const file = await open(path.join(staging, ...hashed.path.split('/')), 'r');
  // One piece, read into again only once the pack has taken what was read into it before.
  const piece = Buffer.allocUnsafe(PIECE_BYTES);
  try {
    for (;;) {
      const { bytesRead } = await file.read(piece, 0, PIECE_BYTES, null);
      if (bytesRead === 0) break;
      const bytes = piece.subarray(0, bytesRead);
      hash.update(bytes);
      size += bytesRead;
      await writeAll(pack, [bytes], source);
    }
  } finally {
    await file.close();
  }
  const sha = hash.digest('hex');
  return sha === hashed.sha256 && size === hashed.size ? hashed : { path: hashed.path, sha256: sha, size };
}

/** `size` bytes of the pack from `position`, or undefined when the pack ends before them. */
async function readPack(pack: FileHandle, position: number, size: number): Promise<Buffer | undefined> {
  const bytes = Buffer.alloc(size);
  const { bytesRead } = await pack.read(bytes, 0, size, position);
  return bytesRead === size ? bytes : undefined;
}

/**
 * Calls `fn` with each piece of the `size` bytes at `position` of the pack, in order, waiting for it
 * before the next (the piece is read into again); false when the pack ends before them.
 */
async function eachPieceOfPack(
  pack: FileHandle,
  position: number,
  size: number,
  fn: (piece: Buffer) => unknown,
): Promise<boolean> {
  const buffer = Buffer.alloc(Math.min(PIECE_BYTES, size));
  for (let done = 0; done < size;) {
    const length = Math.min(buffer.length, size - done);
    const { bytesRead } = await pack.read(buffer, 0, length, position + done);
    if (bytesRead !== length) return false;
    await fn(buffer.subarray(0, length));
    done += length;
  }
  return true;
}

/** The first file of the pack whose bytes do not hash as recorded (or the pack's end), else undefined. */
async function checkPack(
  pack: FileHandle,
  files: ReadonlyArray<{ path: string } & FileHash>,
): Promise<string | undefined> {
  let position = 0;
  for (const segment of packSegments(files)) {
    if ('large' in segment) {
      const f = segment.large;
      const hash = createHash('sha256');
      if (!(await eachPieceOfPack(pack, position, f.size, (piece) => hash.update(piece)))) return 'the pack ends early';
      if (hash.digest('hex') !== f.sha256) return `${f.path} does not match its recorded sha256`;
      position += f.size;
      continue;
    }
    const size = segment.batch.reduce((n, f) => n + f.size, 0);
    const chunk = await readPack(pack, position, size);
    if (!chunk) return 'the pack ends early';
    let offset = 0;
    for (const f of segment.batch)
      if (sha256(chunk.subarray(offset, (offset += f.size))) !== f.sha256)
        return `${f.path} does not match its recorded sha256`;
    position += size;
  }
  return undefined;
}

/** Writes every file of a checked pack into `staging`, telling `onFile` of each. */
async function copyPack(
  pack: FileHandle,
  files: ReadonlyArray<{ path: string } & FileHash>,
  staging: string,
  onFile: (file: { path: string } & FileHash) => void,
): Promise<void> {
  const folders = new Set<string>();
  const targetOf = async (f: { path: string }) => {
    const target = path.join(staging, ...f.path.split('/'));
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    return target;
  };
  let position = 0;
  for (const segment of packSegments(files)) {
    if ('large' in segment) {
      const f = segment.large;
      const out = await open(await targetOf(f), 'w');
      try {
        const copied = await eachPieceOfPack(pack, position, f.size, async (piece) => {
          const { bytesWritten } = await out.write(piece);
          if (bytesWritten !== piece.length)
            throw new Error(`${f.path}: wrote ${bytesWritten} of ${piece.length} bytes`);
        });
        if (!copied) throw new Error(`${f.path}: the pack ended while it was copied`);
      } finally {
        await out.close();
      }
      onFile(f);
      position += f.size;
      continue;
    }
    const size = segment.batch.reduce((n, f) => n + f.size, 0);
    const chunk = await readPack(pack, position, size);
    if (!chunk) throw new Error('the pack ended while it was copied');
    let offset = 0;
    await Promise.all(
      segment.batch.map(async (f) => {
        const bytes = chunk.subarray(offset, (offset += f.size));
        await writeFile(await targetOf(f), bytes);
        onFile(f);
      }),
    );
    position += size;
  }
}
