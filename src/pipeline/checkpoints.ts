/**
 * Resuming a run that was killed: each tenant's collected sources are checkpointed, with the sha256 of
 * every file, under `<out>/<period>/.resume/<tenant>/`, outside the packet folder. A run started again
 * for the same period (same configuration and tool version) copies back every checkpoint whose files
 * still hash as recorded and collects only the rest; a tenant whose packet was finished and still
 * verifies is not made again. A file that does not match its hash drops that checkpoint and the ones
 * after it (they were collected from its results), with a notice. A run that ends normally removes
 * its tenants' checkpoints, so the next run collects afresh.
 */
import { copyFile, mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { TOOL } from '../tool.js';
import { hashTree, sha256, sha256File, type FileHash } from '../util/hash.js';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';

const RESUME_DIR = '.resume';

/** The units a tenant's collection is checkpointed in, in the order they are collected. */
export const CHECKPOINT_SOURCES = ['accounts', 'logs', 'awsConfig'] as const;
export type CheckpointSource = (typeof CHECKPOINT_SOURCES)[number];

const DONE_FILE = 'packet-done.json';

/** What a checkpoint is of: a checkpoint of another configuration, period or tool version is never used. */
interface CheckpointScope {
  tenant: string;
  period: string;
  configSha256: string;
}

interface CheckpointRecord extends CheckpointScope {
  checkpointVersion: 1;
  tool: string;
  source: CheckpointSource;
  /** The clock of the run that collected it: the resumed run collects the rest as of the same time. */
  runClock: string;
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

export class TenantCheckpoints {
  /** Files of the staging folder already in a checkpoint (restored or saved), by path. */
  private readonly held = new Map<string, string>();

  private constructor(
    readonly dir: string,
    private readonly scope: CheckpointScope,
  ) {}

  static at(outDir: string, scope: CheckpointScope): TenantCheckpoints {
    return new TenantCheckpoints(path.join(outDir, scope.period, RESUME_DIR, scope.tenant), scope);
  }

  private matchesScope(r: Partial<CheckpointRecord | DoneRecord>): boolean {
    return (
      r.checkpointVersion === 1 &&
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
    if (!done || !this.matchesScope(done) || typeof done.manifestSha256 !== 'string') return undefined;
    return done.manifestSha256;
  }

  /** Records that the tenant's packet is in place (its manifest's sha256). */
  async markFinished(manifestText: string): Promise<void> {
    const done: DoneRecord = {
      checkpointVersion: 1,
      tool: `${TOOL.name}@${TOOL.version}`,
      ...this.scope,
      manifestSha256: sha256(manifestText),
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
    if (!this.matchesScope(record) || record.source !== source)
      return 'made for another configuration, period or tool version';
    if (typeof record.runClock !== 'string' || Number.isNaN(Date.parse(record.runClock))) return 'no run clock';
    if (restored.runClock !== undefined && restored.runClock !== record.runClock) return 'made by another run';
    if (!Array.isArray(record.files)) return 'no file list';
    const copies = path.join(this.dir, source);
    for (const f of record.files) {
      if (!isSafeRelative(f?.path) || typeof f.sha256 !== 'string') return 'a file entry is malformed';
      const actual = await sha256File(path.join(copies, ...f.path.split('/'))).catch(() => undefined);
      if (!actual) return `${f.path} is missing`;
      if (actual.sha256 !== f.sha256 || actual.size !== f.size) return `${f.path} does not match its recorded sha256`;
    }
    for (const f of record.files) {
      const target = path.join(staging, ...f.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(copies, ...f.path.split('/')), target);
      this.held.set(f.path, f.sha256);
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
    known?: ReadonlyMap<string, FileHash>,
  ): Promise<void> {
    const files = (await hashTree(staging, '', known)).filter((f) => this.held.get(f.path) !== f.sha256);
    const copies = path.join(this.dir, source);
    await rm(copies, { recursive: true, force: true });
    for (const f of files) {
      const target = path.join(copies, ...f.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(path.join(staging, ...f.path.split('/')), target);
    }
    const record: CheckpointRecord = {
      checkpointVersion: 1,
      tool: `${TOOL.name}@${TOOL.version}`,
      ...this.scope,
      source,
      runClock: runClock.toISOString(),
      files: files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
    };
    await writeFileAtomic(path.join(this.dir, `${source}.json`), stableJson(record));
    for (const f of files) this.held.set(f.path, f.sha256);
  }

  private async drop(source: CheckpointSource): Promise<void> {
    await rm(path.join(this.dir, `${source}.json`), { force: true });
    await rm(path.join(this.dir, source), { recursive: true, force: true });
  }

  /** Removes the tenant's checkpoints (the run is over), and `.resume/` once no tenant has any. */
  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await rmdir(path.dirname(this.dir)).catch(() => undefined);
  }
}
