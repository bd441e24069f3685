import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleWorkFolders } from '../../src/operate/stale-work.js';

let out: string;
beforeEach(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 's3e-stale-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

function dir(rel: string): string {
  const abs = path.join(out, ...rel.split('/'));
  mkdirSync(abs, { recursive: true });
  writeFileSync(path.join(abs, 'half-written.json'), '{');
  return abs;
}

describe('removeStaleWorkFolders', () => {
  it('removes staging and render folders of dead pids, keeps those of live pids and everything else', async () => {
    const alive = new Set([111, process.pid]);
    dir('2026-10/.acme.staging-999');
    dir('2026-10/.acme.staging-111');
    dir(`2026-10/.globex.staging-${process.pid}`);
    dir('2026-10/northwind/.render-998');
    dir('2026-10/northwind/.render-111');
    dir('2026-10/northwind/evidence');
    dir('2026-10/.revisions/northwind');
    dir('2026-09/.acme.staging-997');
    dir('notes/.x.staging-996');
    const removed = await removeStaleWorkFolders(out, (pid) => alive.has(pid));
    expect(removed).toEqual([
      { folder: '2026-09/.acme.staging-997', pid: 997 },
      { folder: '2026-10/.acme.staging-999', pid: 999 },
      { folder: '2026-10/northwind/.render-998', pid: 998 },
    ]);
    for (const gone of removed) expect(existsSync(path.join(out, gone.folder))).toBe(false);
    for (const kept of [
      '2026-10/.acme.staging-111',
      `2026-10/.globex.staging-${process.pid}`,
      '2026-10/northwind/.render-111',
      '2026-10/northwind/evidence',
      '2026-10/.revisions/northwind',
      'notes/.x.staging-996',
    ]) {
      expect(existsSync(path.join(out, kept)), kept).toBe(true);
    }
  });

  it('an output folder that does not exist yet has nothing stale', async () => {
    expect(await removeStaleWorkFolders(path.join(out, 'none'), () => false)).toEqual([]);
  });
});
