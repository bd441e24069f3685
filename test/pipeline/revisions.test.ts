import { createHash } from 'node:crypto';
import { cp, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REVISION_NOTE, settleRevision, type RevisionNote } from '../../src/pipeline/revisions.js';
import { buildManifest, checkFiles, readManifest, writeManifest } from '../../src/workspace/manifest.js';
import { packetFolder } from '../operate/packet-folder.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

async function setup(): Promise<{ finalDir: string; periodDir: string }> {
  const finalDir = await packetFolder();
  roots.push(path.dirname(path.dirname(finalDir)));
  return { finalDir, periodDir: path.dirname(finalDir) };
}

/** A staging copy of the packet, with packet.json changed (and the manifest rebuilt) when `change` is set. */
async function staging(finalDir: string, name: string, change?: string): Promise<string> {
  const dir = path.join(path.dirname(finalDir), name);
  await cp(finalDir, dir, { recursive: true });
  await rm(path.join(dir, REVISION_NOTE), { force: true });
  if (change) {
    await writeFile(path.join(dir, 'packet.json'), change);
    const m = await readManifest(dir);
    const { files: _f, manifestVersion: _v, ...meta } = m;
    await writeManifest(dir, await buildManifest(dir, meta));
  }
  return dir;
}

const sha = async (f: string) =>
  createHash('sha256')
    .update(await readFile(f))
    .digest('hex');
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('settleRevision', () => {
  it('no earlier packet: new', async () => {
    const { finalDir } = await setup();
    const s = await staging(finalDir, '.acme.staging-1');
    await rm(finalDir, { recursive: true });
    expect(await settleRevision({ staging: s, finalDir, now: new Date('2026-11-02T08:00:00Z') })).toEqual({
      state: 'new',
    });
  });

  it('an identical earlier packet stays where it is; nothing is moved', async () => {
    const { finalDir, periodDir } = await setup();
    const s = await staging(finalDir, '.acme.staging-1');
    expect(await settleRevision({ staging: s, finalDir, now: new Date('2026-11-02T08:00:00Z') })).toEqual({
      state: 'unchanged',
    });
    expect(await exists(finalDir)).toBe(true);
    expect(await exists(path.join(periodDir, '.revisions'))).toBe(false);
  });

  it('a different earlier packet is kept under .revisions/, and the new one names it in revision.json, listed in its manifest', async () => {
    const { finalDir, periodDir } = await setup();
    const oldManifestSha = await sha(path.join(finalDir, 'manifest.json'));
    const s = await staging(finalDir, '.acme.staging-1', '{"schemaVersion":1,"status":"attention"}\n');
    const outcome = await settleRevision({ staging: s, finalDir, now: new Date('2026-11-02T08:00:00Z') });
    expect(outcome).toMatchObject({ state: 'revised', movedTo: '.revisions/acme-20261102T080000Z' });
    expect(await exists(finalDir)).toBe(false);
    const kept = path.join(periodDir, '.revisions', 'acme-20261102T080000Z');
    expect(await sha(path.join(kept, 'manifest.json'))).toBe(oldManifestSha);
    expect((await checkFiles(kept, await readManifest(kept))).every((c) => c.state === 'ok')).toBe(true);
    const note = JSON.parse(await readFile(path.join(s, REVISION_NOTE), 'utf8')) as RevisionNote;
    expect(note).toEqual({
      supersedes: {
        movedTo: '.revisions/acme-20261102T080000Z',
        supersededAt: '2026-11-02T08:00:00.000Z',
        manifestSha256: oldManifestSha,
        collectedAt: '2026-11-02T08:00:00Z',
      },
      earlier: [],
    });
    const checks = await checkFiles(s, await readManifest(s));
    expect(checks.find((c) => c.path === REVISION_NOTE)).toEqual({ path: REVISION_NOTE, state: 'ok' });
    expect(checks.every((c) => c.state === 'ok')).toBe(true);
  });

  // An earlier manifest read as verify reads it: such a packet is not left in place, and it is described
  // by where it went only (the file a link leads to, or a file past the limit, is not the packet's to hash).
  const unreadManifests: Array<[string, (manifest: string) => Promise<void>]> = [
    [
      'a link to an identical copy outside: not followed',
      async (manifest) => {
        const outside = path.join(os.tmpdir(), `s3e-revision-outside-${process.pid}.json`);
        roots.push(outside);
        await cp(manifest, outside);
        await rm(manifest);
        await symlink(outside, manifest);
      },
    ],
    // 300 MiB, sparse.
    ['past the limit for a file read whole: not read', (manifest) => truncate(manifest, 300 * 1024 * 1024)],
  ];
  it.each(unreadManifests)('an earlier packet whose manifest.json is %s; the packet is kept aside', async (_, make) => {
    const { finalDir, periodDir } = await setup();
    const s = await staging(finalDir, '.acme.staging-1');
    await make(path.join(finalDir, 'manifest.json'));
    const outcome = await settleRevision({ staging: s, finalDir, now: new Date('2026-11-02T08:00:00Z') });
    expect(outcome).toMatchObject({ state: 'revised', movedTo: '.revisions/acme-20261102T080000Z' });
    expect(await exists(path.join(periodDir, '.revisions', 'acme-20261102T080000Z'))).toBe(true);
    expect((JSON.parse(await readFile(path.join(s, REVISION_NOTE), 'utf8')) as RevisionNote).supersedes).toEqual({
      movedTo: '.revisions/acme-20261102T080000Z',
      supersededAt: '2026-11-02T08:00:00.000Z',
    });
  });

  it('a second revision in the same second gets its own folder, and the chain of earlier ones is carried', async () => {
    const { finalDir, periodDir } = await setup();
    const now = new Date('2026-11-02T08:00:00Z');
    const s1 = await staging(finalDir, '.s1', 'one\n');
    await settleRevision({ staging: s1, finalDir, now });
    await cp(s1, finalDir, { recursive: true });
    const s2 = await staging(finalDir, '.s2', 'two\n');
    const second = await settleRevision({ staging: s2, finalDir, now });
    expect(second).toMatchObject({ state: 'revised', movedTo: '.revisions/acme-20261102T080000Z-2' });
    const note = JSON.parse(await readFile(path.join(s2, REVISION_NOTE), 'utf8')) as RevisionNote;
    expect(note.earlier.map((e) => e.movedTo)).toEqual(['.revisions/acme-20261102T080000Z']);
    expect(await exists(path.join(periodDir, '.revisions', 'acme-20261102T080000Z-2', REVISION_NOTE))).toBe(true);
  });

  it('re-running with the same content as a revised packet is unchanged (its revision note does not count)', async () => {
    const { finalDir } = await setup();
    const now = new Date('2026-11-02T08:00:00Z');
    const s1 = await staging(finalDir, '.s1', 'one\n');
    await settleRevision({ staging: s1, finalDir, now });
    await cp(s1, finalDir, { recursive: true });
    const again = await staging(finalDir, '.s3', 'one\n');
    expect(await settleRevision({ staging: again, finalDir, now })).toEqual({ state: 'unchanged' });
  });
});
