import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pidIsAlive } from './run-lock.js';

/** A work folder a run or render left behind: `<period>/.<tenant>.staging-<pid>` or `<period>/<tenant>/.render-<pid>`. */
export interface StaleWorkFolder {
  /** Relative to the output folder, '/' separated. */
  folder: string;
  pid: number;
}

const STAGING = /^\.[a-z0-9][a-z0-9-]*\.staging-(\d+)$/;
const RENDER = /^\.render-(\d+)$/;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

async function folders(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return [];
    throw err;
  }
}

/**
 * Removes the staging and render folders of processes that no longer run on this host (a run that
 * was killed never reaches its clean-up). Folders of a live process are left alone. Call it holding
 * the output folder's lock.
 */
export async function removeStaleWorkFolders(
  outDir: string,
  isAlive: (pid: number) => boolean = pidIsAlive,
  /** Only these tenants' folders (a shard's: another shard's may belong to a live process on another host). */
  tenants?: ReadonlySet<string>,
): Promise<StaleWorkFolder[]> {
  const removed: StaleWorkFolder[] = [];
  const consider = async (rel: string[], pattern: RegExp, name: string) => {
    const m = pattern.exec(name);
    if (!m) return;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) return;
    await rm(path.join(outDir, ...rel, name), { recursive: true, force: true });
    removed.push({ folder: [...rel, name].join('/'), pid });
  };
  for (const period of (await folders(outDir)).filter((n) => PERIOD.test(n)).sort()) {
    for (const name of (await folders(path.join(outDir, period))).sort()) {
      const tenant = name.startsWith('.') ? /^\.(.*)\.staging-\d+$/.exec(name)?.[1] : name;
      if (tenants && (tenant === undefined || !tenants.has(tenant))) continue;
      if (name.startsWith('.')) await consider([period], STAGING, name);
      else
        for (const inner of (await folders(path.join(outDir, period, name))).sort())
          await consider([period, name], RENDER, inner);
    }
  }
  return removed;
}
