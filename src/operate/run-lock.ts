import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

export const LOCK_FILE = '.s3-evidence.lock';

/** What the lock file holds: enough to tell whether its holder is still running. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
  token: string;
}

/** A usage-level refusal (exit 2): the scheduler sees that this run did nothing. */
export class RunLockedError extends UsageError {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      holder
        ? `${lockFile} is held by pid ${holder.pid} on ${holder.host} since ${holder.startedAt} (${holder.command}); another run is using this output folder`
        : `${lockFile} exists and cannot be read; another run may be starting in this output folder`,
    );
    this.name = 'RunLockedError';
  }
}

export interface LockOptions {
  command?: string;
  /** The lock file's name in the output folder; default LOCK_FILE (a shard of a run takes one of its own). */
  fileName?: string;
  now?: () => Date;
  /** A lock older than this is stale whatever its host (a container that was killed); default 12 h. */
  maxAgeMs?: number;
  host?: string;
  /** Whether a pid runs on this host; default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

export interface RunLock {
  file: string;
  /** The stale lock this one replaced, if any. */
  replaced?: LockHolder;
  release(): Promise<void>;
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.startedAt === 'string')
      return h as LockHolder;
  } catch {
    // unreadable or half-written: judged by the file's age below
  }
  return undefined;
}

/**
 * Why a lock is stale, or undefined when its holder may still be running: a dead pid on this host,
 * or older than maxAge (a pid on another host cannot be checked).
 */
function staleReason(
  holder: LockHolder,
  opts: Required<Pick<LockOptions, 'maxAgeMs' | 'host' | 'isAlive'>> & { now: Date },
): string | undefined {
  if (holder.host === opts.host && !opts.isAlive(holder.pid))
    return `pid ${holder.pid} no longer runs on ${holder.host}`;
  const age = opts.now.getTime() - Date.parse(holder.startedAt);
  if (!(age <= opts.maxAgeMs))
    return `started ${holder.startedAt}, more than ${Math.round(opts.maxAgeMs / 60_000)} minutes ago`;
  return undefined;
}

/**
 * Takes `<outDir>/.s3-evidence.lock` (or `options.fileName`) with an exclusive create. A stale lock is moved aside (rename is
 * atomic, so of two runs taking over the same stale lock only one wins) and the create retried once.
 */
export async function acquireRunLock(outDir: string, options: LockOptions = {}): Promise<RunLock> {
  const file = path.join(outDir, options.fileName ?? LOCK_FILE);
  const now = options.now ?? (() => new Date());
  const judge = {
    maxAgeMs: options.maxAgeMs ?? 12 * 3600_000,
    host: options.host ?? os.hostname(),
    isAlive: options.isAlive ?? pidIsAlive,
  };
  const me: LockHolder = {
    pid: process.pid,
    host: judge.host,
    startedAt: now().toISOString(),
    command: options.command ?? 'run',
    token: randomUUID(),
  };
  await mkdir(outDir, { recursive: true });

  const create = async (): Promise<boolean> => {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${JSON.stringify(me, null, 2)}\n`);
      } finally {
        await fh.close();
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  };
  const release = async () => {
    const current = await readHolder(file);
    if (current?.token === me.token) await rm(file, { force: true });
  };

  if (await create()) return { file, release };
  const holder = await readHolder(file);
  let stale: string | undefined;
  if (holder) stale = staleReason(holder, { ...judge, now: now() });
  else {
    const age = now().getTime() - (await stat(file).catch(() => ({ mtimeMs: now().getTime() }))).mtimeMs;
    stale = age > 60_000 ? 'unreadable lock file older than a minute' : undefined;
  }
  if (!stale) throw new RunLockedError(file, holder);
  try {
    await rename(file, `${file}.stale-${me.token}`);
    await rm(`${file}.stale-${me.token}`, { force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (await create()) return { file, release, ...(holder ? { replaced: holder } : {}) };
  throw new RunLockedError(file, await readHolder(file));
}

/** Runs `fn` holding the output folder's lock; the lock is released however `fn` ends. */
export async function withRunLock<T>(
  outDir: string,
  fn: (lock: RunLock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await acquireRunLock(outDir, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
