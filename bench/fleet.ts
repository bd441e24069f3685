/**
 * Hundreds of tenants: N generated tenants over offline trees (the demo's three exports, generated once
 * with the demo's fixed seed; each tenant a copy of one demo tenant under its own id), made by the built
 * CLI as processes of their own: one `run` of every tenant, against two `run --shard i/2` side by side
 * followed by `portfolio` of the period folder (what an operator does after the last shard). Reports the
 * wall time of each way, their ratio, the peak RSS and CPU time of every process, and whether both ways
 * gave the same packets and the same portfolio.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { DEMO_PERIOD, generateDemoExports } from '../src/demo/generate-demo.js';
import { projectRoot } from '../src/project-root.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'src', 'cli', 'main.js');

interface ProcessRun {
  seconds: number;
  exitCode: number;
  peakRssMb: number;
  cpuSeconds: number;
  packets: number;
}

export interface FleetBenchResult {
  tenants: number;
  rounds: number;
  /** Cores of the machine and its load average before and after (it may be shared). */
  cpus: number;
  loadAverage: { before: number[]; after: number[] };
  oneProcess: { seconds: number; peakRssMb: number; cpuSeconds: number };
  /** Wall time from starting both shards to the end of `portfolio`; the portfolio's own part apart. */
  twoShards: {
    seconds: number;
    peakRssMb: [number, number];
    cpuSeconds: [number, number];
    tenants: [number, number];
    portfolio: { seconds: number; peakRssMb: number; tenants: number };
  };
  /** One process's wall time over the two shards' (both shards and the portfolio). */
  ratio: number;
  samePackets: boolean;
  /** The portfolio rebuilt from the shards' folders equals the one the single run wrote. */
  samePortfolio: boolean;
}

function runCli(
  args: string[],
  rssFile: string,
  count: (stdout: string) => number = (out) => (JSON.parse(out) as { packets: unknown[] }).packets.length,
): Promise<ProcessRun & { stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(path.join(here, 'product', 'rss-on-exit.js')).href, CLI, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, BENCH_RSS_FILE: rssFile },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0 && code !== 3) {
        reject(new Error(`s3-evidence ${args[0]} exited ${code}: ${err}`));
        return;
      }
      void readFile(rssFile, 'utf8').then((text) => {
        const usage = JSON.parse(text) as { maxRssBytes: number; cpuSeconds: number };
        resolve({
          seconds,
          exitCode: code,
          peakRssMb: usage.maxRssBytes / 1024 / 1024,
          cpuSeconds: usage.cpuSeconds,
          packets: count(out),
          stdout: out,
        });
      }, reject);
    });
  });
}

/** The fleet's configuration: `count` tenants, each a copy of one of the demo's three under its own id. */
async function writeFleetConfig(root: string, count: number): Promise<string> {
  const demo = parse(await readFile(path.join(projectRoot(), 'config', 'demo.yaml'), 'utf8')) as {
    tenants: Array<{ id: string }>;
  } & Record<string, unknown>;
  const tenants = Array.from({ length: count }, (_, i) => {
    const base = demo.tenants[i % demo.tenants.length]!;
    return { ...base, id: `${base.id}-${String(i + 1).padStart(4, '0')}` };
  });
  // Paths in demo.yaml are relative to config/: the fleet keeps the same layout (config/, output/demo-export/).
  const { baselineDir: _baseline, exceptionsDir: _exceptions, ...rest } = demo;
  const file = path.join(root, 'config', 'fleet.yaml');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ ...rest, baselineDir: '../output/baseline', tenants }));
  return file;
}

async function manifests(stdout: string): Promise<Map<string, string>> {
  const summary = JSON.parse(stdout) as { packets: Array<{ tenant: string; folder: string }> };
  const m = new Map<string, string>();
  for (const p of summary.packets) m.set(p.tenant, await readFile(path.join(p.folder, 'manifest.json'), 'utf8'));
  return m;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchFleet(
  opts: { tenants: number; rounds: number; workDir: string },
  log: (line: string) => void = () => undefined,
): Promise<FleetBenchResult> {
  const root = path.join(opts.workDir, 'fleet');
  await rm(root, { recursive: true, force: true });
  await generateDemoExports(path.join(root, 'output', 'demo-export'));
  const config = await writeFleetConfig(root, opts.tenants);
  const loadBefore = os.loadavg();
  const one: ProcessRun[] = [];
  const two: Array<[ProcessRun, ProcessRun]> = [];
  const portfolios: ProcessRun[] = [];
  const twoWall: number[] = [];
  let samePackets = true;
  let samePortfolio = true;
  const common = (out: string) => [
    'run',
    '-c',
    config,
    '-p',
    DEMO_PERIOD,
    '-o',
    out,
    '--json',
    '--quiet',
    '--no-resume',
  ];
  for (let round = 0; round < opts.rounds; round++) {
    const outOne = path.join(root, `one-${round}`);
    const outTwo = path.join(root, `two-${round}`);
    const whole = await runCli(common(outOne), path.join(root, `rss-one-${round}`));
    one.push(whole);
    log(`round ${round + 1}: one process ${whole.seconds.toFixed(1)} s, ${whole.peakRssMb.toFixed(0)} MB`);
    const started = performance.now();
    const shards = await Promise.all(
      [1, 2].map((i) => runCli([...common(outTwo), '--shard', `${i}/2`], path.join(root, `rss-two-${round}-${i}`))),
    );
    const portfolio = await runCli(
      ['portfolio', path.join(outTwo, DEMO_PERIOD), '-c', config, '--json'],
      path.join(root, `rss-portfolio-${round}`),
      (out) => (JSON.parse(out) as { tenants: unknown[] }).tenants.length,
    );
    const wall = (performance.now() - started) / 1000;
    two.push([shards[0]!, shards[1]!]);
    portfolios.push(portfolio);
    twoWall.push(wall);
    log(
      `round ${round + 1}: two shards and portfolio ${wall.toFixed(1)} s (${shards.map((s) => `${s.packets} tenants ${s.seconds.toFixed(1)} s, ${s.peakRssMb.toFixed(0)} MB`).join('; ')}; portfolio of ${portfolio.packets} ${portfolio.seconds.toFixed(1)} s, ${portfolio.peakRssMb.toFixed(0)} MB)`,
    );
    const a = await manifests(whole.stdout);
    const b = new Map([...(await manifests(shards[0]!.stdout)), ...(await manifests(shards[1]!.stdout))]);
    samePackets &&= a.size === opts.tenants && b.size === a.size && [...a].every(([t, m]) => b.get(t) === m);
    const [p1, p2] = await Promise.all(
      [outOne, outTwo].map((o) => readFile(path.join(o, DEMO_PERIOD, 'portfolio.json'), 'utf8')),
    );
    samePortfolio &&= p1 === p2;
    await rm(outOne, { recursive: true, force: true });
    await rm(outTwo, { recursive: true, force: true });
  }
  const oneSeconds = median(one.map((r) => r.seconds));
  const twoSeconds = median(twoWall);
  return {
    tenants: opts.tenants,
    rounds: opts.rounds,
    cpus: os.cpus().length,
    loadAverage: {
      before: loadBefore.map((x) => Math.round(x * 100) / 100),
      after: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    oneProcess: {
      seconds: oneSeconds,
      peakRssMb: Math.max(...one.map((r) => r.peakRssMb)),
      cpuSeconds: median(one.map((r) => r.cpuSeconds)),
    },
    twoShards: {
      seconds: twoSeconds,
      peakRssMb: [Math.max(...two.map((r) => r[0].peakRssMb)), Math.max(...two.map((r) => r[1].peakRssMb))],
      cpuSeconds: [median(two.map((r) => r[0].cpuSeconds)), median(two.map((r) => r[1].cpuSeconds))],
      tenants: [two[0]![0].packets, two[0]![1].packets],
      portfolio: {
        seconds: median(portfolios.map((p) => p.seconds)),
        peakRssMb: Math.max(...portfolios.map((p) => p.peakRssMb)),
        tenants: portfolios[0]!.packets,
      },
    },
    ratio: oneSeconds / twoSeconds,
    samePackets,
    samePortfolio,
  };
}

export function formatFleetBench(r: FleetBenchResult): string[] {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    `fleet       ${r.tenants} generated tenants (offline demo trees), built CLI as its own processes, median of ${r.rounds} round(s); ${r.cpus} cores, load average ${r.loadAverage.before.join(' ')} before, ${r.loadAverage.after.join(' ')} after`,
    `  one process ${f(r.oneProcess.seconds)} s (CPU ${f(r.oneProcess.cpuSeconds)} s), peak RSS ${f(r.oneProcess.peakRssMb, 0)} MB`,
    `  two shards side by side, then portfolio: ${f(r.twoShards.seconds)} s in all (${r.twoShards.tenants.join(' + ')} tenants; CPU ${r.twoShards.cpuSeconds.map((x) => f(x)).join(' s and ')} s), peak RSS ${r.twoShards.peakRssMb.map((x) => f(x, 0)).join(' MB and ')} MB; portfolio of ${r.twoShards.portfolio.tenants} ${f(r.twoShards.portfolio.seconds)} s, peak RSS ${f(r.twoShards.portfolio.peakRssMb, 0)} MB`,
    `  wall ratio one process / two shards ${f(r.ratio, 2)}x; packets ${r.samePackets ? 'identical' : 'DIFFER'} between the two ways, portfolio ${r.samePortfolio ? 'identical' : 'DIFFERS'}`,
  ];
}
