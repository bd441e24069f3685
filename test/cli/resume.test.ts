import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCli, startCli, type CliProcessResult } from '../support/cli-process.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { listFilesRecursive } from '../../src/util/hash.js';

/**
 * A run killed with SIGKILL in the middle of a tenant's collection, started again: it takes up the
 * finished packets and the checkpointed sources, collects only the rest, and its packets are the bytes
 * an uninterrupted run makes. Offline demo exports, one tenant at a time (northwind, acme, globex).
 */
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let bundle: string;
let reference: string;

const SOURCES = ['accounts', 'logs', 'awsConfig'] as const;
/** The progress phases each checkpointed source covers. */
const PHASES: Record<(typeof SOURCES)[number], string[]> = {
  accounts: ['buckets', 'keys', 'inventory'],
  logs: ['logs'],
  awsConfig: ['awsConfig'],
};

const runArgs = (out: string, ...extra: string[]) => [
  'run',
  '-c',
  path.join(ws.root, 'config', 'demo.yaml'),
  '-p',
  '2026-10',
  '-o',
  out,
  '--tenants-at-once',
  '1',
  ...extra,
];

/** Starts a run and SIGKILLs it as soon as `file` (relative to the period folder) exists. */
async function killedWhen(out: string, file: string): Promise<CliProcessResult> {
  const child = startCli(bundle, runArgs(out));
  const target = path.join(out, '2026-10', file);
  let ended = false;
  void child.done.then(() => (ended = true));
  while (!ended && !existsSync(target)) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  return child.done;
}

/** Which checkpoints of each tenant a killed run left complete (the record is written last). */
function checkpointsLeft(out: string): Record<string, string[]> {
  const dir = path.join(out, '2026-10', '.resume');
  const left: Record<string, string[]> = {};
  for (const tenant of readdirSync(dir))
    left[tenant] = [...SOURCES, 'packet-done'].filter((s) => existsSync(path.join(dir, tenant, `${s}.json`)));
  return left;
}

interface Resumed {
  packets: Array<{ tenant: string; resumed?: { packet?: true; sources?: string[]; notices?: string[] } }>;
}

/** Progress phases each tenant started, from --progress json on stderr. */
function phasesStarted(stderr: string): Record<string, string[]> {
  const started: Record<string, string[]> = {};
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { tenant: string; phase: string; state: string };
    if (e.state === 'start') (started[e.tenant] ??= []).push(e.phase);
  }
  return started;
}

/** Every packet folder of `out` holds the files of the uninterrupted run's, byte for byte. */
async function samePacketFolders(out: string): Promise<void> {
  for (const tenant of ['northwind', 'acme', 'globex']) {
    const a = path.join(out, '2026-10', tenant);
    const b = path.join(reference, '2026-10', tenant);
    const files = await listFilesRecursive(a);
    expect(files).toEqual(await listFilesRecursive(b));
    for (const f of files) expect(readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))), f).toBe(true);
  }
}

beforeAll(async () => {
  ws = await demoWorkspace();
  bundle = await bundledCli();
  reference = path.join(ws.root, 'reference');
  const r = await startCli(bundle, runArgs(reference, '--quiet')).done;
  expect(r.code).toBe(3);
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('run, killed and started again', () => {
  it('reuses the finished packet and the checkpointed sources, collects the rest, and makes the same packets', async () => {
    const out = path.join(ws.root, 'killed');
    // acme's logs are checkpointed: northwind is finished, acme half-way (its AWS Config may or may not be).
    const killed = await killedWhen(out, '.resume/acme/logs.json');
    expect(killed.signal).toBe('SIGKILL');
    const left = checkpointsLeft(out);
    expect(left.northwind).toEqual(['accounts', 'logs', 'awsConfig', 'packet-done']);
    expect(left.acme!.slice(0, 2)).toEqual(['accounts', 'logs']);
    expect(left.acme).not.toContain('packet-done');
    expect(left.globex).toBeUndefined();
    expect(existsSync(path.join(out, '2026-10', 'acme'))).toBe(false);

    const again = await startCli(bundle, [...runArgs(out), '--json', '--progress', 'json']).done;
    expect(again.code).toBe(3);
    const summary = JSON.parse(again.stdout) as Resumed;
    const byTenant = Object.fromEntries(summary.packets.map((p) => [p.tenant, p.resumed]));
    expect(byTenant.northwind).toEqual({ packet: true });
    expect(byTenant.acme).toEqual({ sources: left.acme });
    expect(byTenant.globex).toBeUndefined();

    // Nothing is collected again for northwind; for acme only the sources not checkpointed; globex in full.
    const started = phasesStarted(again.stderr);
    expect(started.northwind).toBeUndefined();
    const acmeCollected = started.acme!.filter(
      (p) => p !== 'governance' && ['buckets', 'keys', 'inventory', 'logs', 'awsConfig'].includes(p),
    );
    const notCheckpointed = SOURCES.filter((s) => !left.acme!.includes(s)).flatMap((s) => PHASES[s]);
    expect(acmeCollected).toEqual(notCheckpointed);
    expect(started.globex).toEqual(expect.arrayContaining(['buckets', 'keys', 'inventory', 'logs', 'awsConfig']));

    await samePacketFolders(out);
    // The checkpoints served their run: none is left, and none is in a packet.
    expect(existsSync(path.join(out, '2026-10', '.resume'))).toBe(false);
    for (const tenant of ['northwind', 'acme', 'globex']) {
      const files = await listFilesRecursive(path.join(out, '2026-10', tenant));
      expect(files.filter((f) => /resume|checkpoint|packet-done/.test(f))).toEqual([]);
    }
  });

  it('collects again, with a notice, a source whose checkpointed file was changed', async () => {
    const out = path.join(ws.root, 'tampered');
    await killedWhen(out, '.resume/acme/logs.json');
    // One of acme's checkpointed evidence files, changed after the kill: its hash no longer matches.
    const resume = path.join(out, '2026-10', '.resume', 'acme');
    const record = JSON.parse(readFileSync(path.join(resume, 'accounts.json'), 'utf8')) as {
      files: Array<{ path: string; size: number }>;
    };
    const at = record.files.findIndex((f) => f.path.startsWith('evidence/accounts/'));
    const victim = record.files[at]!.path;
    // Its bytes in the pack, changed in place (same length): only its hash tells.
    const start = record.files.slice(0, at).reduce((n, f) => n + f.size, 0);
    const pack = readFileSync(path.join(resume, 'accounts.pack'));
    const bytes = pack.subarray(start, start + record.files[at]!.size);
    const changed = Buffer.from(bytes.toString('latin1').replace(/"ok"/, '"OK"'), 'latin1');
    expect(changed.equals(bytes)).toBe(false);
    changed.copy(pack, start);
    writeFileSync(path.join(resume, 'accounts.pack'), pack);

    const again = await startCli(bundle, [...runArgs(out), '--json', '--progress', 'json']).done;
    const summary = JSON.parse(again.stdout) as Resumed & { notes?: string[] };
    const acme = summary.packets.find((p) => p.tenant === 'acme')!;
    expect(acme.resumed?.sources).toBeUndefined();
    expect(acme.resumed?.notices).toEqual([
      `acme: the checkpoint of accounts is not used (${victim} does not match its recorded sha256); accounts and what follows are collected again`,
    ]);
    expect(summary.notes).toContain(acme.resumed!.notices![0]);
    expect(phasesStarted(again.stderr).acme).toEqual(
      expect.arrayContaining(['buckets', 'keys', 'inventory', 'logs', 'awsConfig']),
    );
    await samePacketFolders(out);
  });

  it('makes a finished packet again when its manifest is a link, even to the same bytes', async () => {
    const out = path.join(ws.root, 'linked');
    await killedWhen(out, '.resume/acme/logs.json');
    // northwind was finished; its manifest is replaced by a link to an identical copy kept elsewhere.
    const manifest = path.join(out, '2026-10', 'northwind', 'manifest.json');
    const copy = path.join(ws.root, 'northwind-manifest-copy.json');
    writeFileSync(copy, readFileSync(manifest));
    rmSync(manifest);
    symlinkSync(copy, manifest);

    const again = await startCli(bundle, [...runArgs(out), '--json']).done;
    const summary = JSON.parse(again.stdout) as Resumed;
    // Its collected sources are still checkpointed: the packet is made again from them, nothing collected.
    expect(summary.packets.find((p) => p.tenant === 'northwind')?.resumed).toEqual({
      sources: ['accounts', 'logs', 'awsConfig'],
      notices: ['northwind: the packet the interrupted run finished is no longer in place; it is made again'],
    });
    expect(lstatSync(manifest).isFile()).toBe(true);
    // The same packet, made again; the folder that held the link is kept aside as an earlier revision.
    const packetOf = (root: string) => readFileSync(path.join(root, '2026-10', 'northwind', 'packet.json'));
    expect(packetOf(out).equals(packetOf(reference))).toBe(true);
    expect(existsSync(path.join(out, '2026-10', 'northwind', 'revision.json'))).toBe(true);
  });

  it('--no-resume collects everything again', async () => {
    const out = path.join(ws.root, 'fresh');
    await killedWhen(out, '.resume/acme/logs.json');
    const again = await startCli(bundle, [...runArgs(out), '--json', '--no-resume']).done;
    const summary = JSON.parse(again.stdout) as Resumed;
    expect(summary.packets.map((p) => p.resumed)).toEqual([undefined, undefined, undefined]);
    expect(existsSync(path.join(out, '2026-10', '.resume'))).toBe(false);
    await samePacketFolders(out);
  });
});
