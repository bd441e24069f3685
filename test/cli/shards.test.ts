import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCli, startCli, type CliProcessResult } from '../support/cli-process.js';
import { demoWorkspace } from '../support/demo-workspace.js';

// The demo's three tenants: by sha256 of the id, acme is shard 1 of 2, globex and northwind shard 2 (test/operate/shard.test.ts).
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let bundle: string;
let shards: CliProcessResult[];
let whole: CliProcessResult;
let sharded: string;
let unsharded: string;

const run = (out: string, ...extra: string[]) =>
  startCli(bundle, [
    'run',
    '-c',
    path.join(ws.root, 'config', 'demo.yaml'),
    '-p',
    '2026-10',
    '-o',
    out,
    '--json',
    ...extra,
  ]).done;

beforeAll(async () => {
  ws = await demoWorkspace();
  bundle = await bundledCli();
  sharded = path.join(ws.root, 'sharded');
  unsharded = path.join(ws.root, 'whole');
  // The two shards side by side in one output folder (each holds its own lock), then one run of all three.
  shards = await Promise.all([run(sharded, '--shard', '1/2'), run(sharded, '--shard', '2/2')]);
  whole = await run(unsharded, '--tenants-at-once', '3');
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

const parsed = (r: CliProcessResult) =>
  JSON.parse(r.stdout) as {
    exitCode: number;
    shard?: { index: number; count: number; tenants: string[] };
    packets: Array<{ tenant: string }>;
    portfolio?: unknown;
  };

describe('run --shard i/n', () => {
  it('makes only the packets of its shard, and no portfolio', () => {
    const [one, two] = shards.map(parsed);
    expect(one!.shard).toEqual({ index: 1, count: 2, tenants: ['acme'] });
    expect(two!.shard).toEqual({ index: 2, count: 2, tenants: ['northwind', 'globex'] });
    expect(one!.packets.map((p) => p.tenant)).toEqual(['acme']);
    expect(two!.packets.map((p) => p.tenant)).toEqual(['northwind', 'globex']);
    expect(one!.portfolio).toBeUndefined();
    expect(two!.portfolio).toBeUndefined();
    // acme complete, globex incomplete on purpose: 0 and 3.
    expect(shards.map((s) => s.code)).toEqual([0, 3]);
    expect(readdirSync(path.join(sharded, '2026-10')).sort()).toEqual(['acme', 'globex', 'northwind']);
  });

  it('runs tenants side by side in one process and reports them in the configuration order', () => {
    const w = parsed(whole);
    expect(w.packets.map((p) => p.tenant)).toEqual(['northwind', 'acme', 'globex']);
    expect(whole.code).toBe(3);
  });

  it('gives the same packets as one run of every tenant', () => {
    for (const tenant of ['acme', 'globex', 'northwind']) {
      const manifest = (out: string) => readFileSync(path.join(out, '2026-10', tenant, 'manifest.json'));
      expect(manifest(sharded).equals(manifest(unsharded))).toBe(true);
    }
  });
});

describe('portfolio <period-folder>', () => {
  it('rebuilds the portfolio of the shards identical to the one a whole run writes', async () => {
    const r = await startCli(bundle, ['portfolio', path.join(sharded, '2026-10')]).done;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('globex 2026-10: INCOMPLETE, evidence INCOMPLETE (4 missing)');
    expect(r.stdout).toContain('portfolio of 3 tenant(s): 3 verified packet(s), 0 not usable');
    for (const file of ['portfolio.json', 'portfolio.xlsx'])
      expect(
        readFileSync(path.join(sharded, '2026-10', file)).equals(readFileSync(path.join(unsharded, '2026-10', file))),
      ).toBe(true);
  });

  it('checks every hash and re-derives every packet; only --rerender re-renders, and so names a swapped PDF', async () => {
    const period = path.join(ws.root, 'swapped', '2026-10');
    cpSync(path.join(sharded, '2026-10'), period, { recursive: true });
    const folder = path.join(period, 'northwind');
    cpSync(path.join(period, 'acme', 'acme-2026-10.pdf'), path.join(folder, 'northwind-2026-10.pdf'));
    // The forger's next step: the manifest's hash of the PDF recomputed.
    const manifestFile = path.join(folder, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
      files: Array<{ path: string; sha256: string; size: number }>;
    };
    const pdf = readFileSync(path.join(folder, 'northwind-2026-10.pdf'));
    const entry = manifest.files.find((f) => f.path === 'northwind-2026-10.pdf')!;
    Object.assign(entry, { sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.length });
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

    const light = await startCli(bundle, ['portfolio', period]).done;
    expect(light.stdout).toContain('northwind 2026-10: COMPLIANT, evidence complete');
    expect(light.stdout).toContain('portfolio of 3 tenant(s): 3 verified packet(s), 0 not usable');
    const deep = await startCli(bundle, ['portfolio', period, '--rerender']).done;
    expect(deep.code).toBe(1);
    expect(deep.stdout).toContain(
      'northwind 2026-10: UNVERIFIED, not counted: packet does not verify: rendered: northwind-2026-10.pdf is not what packet.json renders to',
    );
    expect(deep.stdout).toContain('portfolio of 3 tenant(s): 2 verified packet(s), 1 not usable');
  });

  it('names a tampered packet and a missing one, counts neither, and exits 1', async () => {
    appendFileSync(path.join(sharded, '2026-10', 'acme', 'packet.json'), ' ');
    rmSync(path.join(sharded, '2026-10', 'northwind'), { recursive: true });
    const r = await startCli(bundle, [
      'portfolio',
      path.join(sharded, '2026-10'),
      '-c',
      path.join(ws.root, 'config', 'demo.yaml'),
    ]).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^acme 2026-10: UNVERIFIED, not counted: packet does not verify: .*packet\.json/m);
    expect(r.stdout).toContain('northwind 2026-10: UNREADABLE, not counted: no packet folder for this period');
    expect(r.stdout).toContain('portfolio of 3 tenant(s): 1 verified packet(s), 2 not usable');
    const json = JSON.parse(readFileSync(path.join(sharded, '2026-10', 'portfolio.json'), 'utf8')) as {
      tenants: Array<{ tenant: string; status: string; objectsPct: number | null }>;
    };
    // Riskiest first: the two packets that cannot be used, then globex.
    expect(json.tenants.at(-1)!.tenant).toBe('globex');
    expect(json.tenants.map((t) => [t.tenant, t.status, t.objectsPct]).sort()).toEqual([
      ['acme', 'unverified', null],
      ['globex', 'incomplete', expect.any(Number)],
      ['northwind', 'unreadable', null],
    ]);
  });

  it('refuses a folder that is not a period folder', async () => {
    const r = await startCli(bundle, ['portfolio', ws.root]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a period folder (expected output/<YYYY-MM>)');
  });
});

describe('run --shard: bad specs', () => {
  it.each([
    ['0/2', 'shards are numbered from 1'],
    ['3/2', 'there is no shard 3 of 2'],
    ['abc', 'is not of the form <i>/<n>'],
  ])('%s exits 2 before anything is read', async (spec, message) => {
    const r = await startCli(bundle, ['run', '-c', '/nonexistent.yaml', '--shard', spec]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
