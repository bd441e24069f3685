import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock, LOCK_FILE, RunLockedError, withRunLock } from '../../src/operate/run-lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-lock-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const holder = (over: Record<string, unknown>) =>
  JSON.stringify({
    pid: 4242,
    host: 'box-1',
    startedAt: '2026-11-02T07:00:00.000Z',
    command: 'run',
    token: 't',
    ...over,
  });
const now = () => new Date('2026-11-02T08:00:00Z');

describe('run lock', () => {
  it('a second run on the same output folder is refused while the first holds the lock; free again after', async () => {
    const out = path.join(dir, 'a');
    const first = await acquireRunLock(out, { command: 'run --period 2026-10' });
    const err = await acquireRunLock(out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as Error).message).toContain(`held by pid ${process.pid} on ${os.hostname()}`);
    expect((err as Error).message).toContain('(run --period 2026-10)');
    await first.release();
    const second = await acquireRunLock(out);
    await second.release();
  });

  it('withRunLock releases the lock when the work throws', async () => {
    const out = path.join(dir, 'b');
    await expect(
      withRunLock(out, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(readFile(path.join(out, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a lock whose pid is dead on this host is stale and taken over', async () => {
    const out = path.join(dir, 'c');
    await acquireRunLock(out).then((l) => l.release());
    await writeFile(path.join(out, LOCK_FILE), holder({ host: 'box-1' }));
    const lock = await acquireRunLock(out, { host: 'box-1', isAlive: () => false, now });
    expect(lock.replaced).toMatchObject({ pid: 4242, host: 'box-1' });
    await lock.release();
  });

  it('a live pid on this host keeps its lock; on another host the lock holds until it is older than maxAge', async () => {
    const out = path.join(dir, 'd');
    await acquireRunLock(out).then((l) => l.release());
    await writeFile(path.join(out, LOCK_FILE), holder({ host: 'box-1' }));
    await expect(acquireRunLock(out, { host: 'box-1', isAlive: () => true, now })).rejects.toBeInstanceOf(
      RunLockedError,
    );
    await writeFile(path.join(out, LOCK_FILE), holder({ host: 'container-9' }));
    // one hour old, max age two hours: another host's run may still be going
    await expect(
      acquireRunLock(out, { host: 'box-1', isAlive: () => false, now, maxAgeMs: 2 * 3600_000 }),
    ).rejects.toBeInstanceOf(RunLockedError);
    // max age 30 minutes: stale
    const lock = await acquireRunLock(out, { host: 'box-1', now, maxAgeMs: 30 * 60_000 });
    expect(lock.replaced?.host).toBe('container-9');
    await lock.release();
  });

  it('release leaves a lock that is no longer its own alone', async () => {
    const out = path.join(dir, 'e');
    const lock = await acquireRunLock(out);
    await writeFile(path.join(out, LOCK_FILE), holder({ token: 'someone-else' }));
    await lock.release();
    expect(JSON.parse(await readFile(path.join(out, LOCK_FILE), 'utf8')).token).toBe('someone-else');
  });
});
