/**
 * The product benchmark: the built CLI's `run` (a process of its own, shipped defaults) against the
 * fake AWS endpoint (another process, a fixed latency per call), beside a one-call-at-a-time client
 * making the aws-samples audit script's calls at the same latency. Rounds are interleaved (run at
 * 50 ms, baseline at 50 ms, run at 1 ms, …) and ratios are taken per round, then the median, so a
 * busy machine slows both sides of a ratio alike. Also: 10x the buckets for scaling, and one hung
 * region for the cost of giving it up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEndpoint, type EndpointStats } from './endpoint.js';
import { runBaseline, runCli, runSdkFloor, type CliRun } from './run-cli.js';
import { keyArnsNamedByBuckets, benchScenario, REGIONS } from './scenario.js';

export interface ProductBenchOptions {
  buckets: number;
  keys: number;
  rounds: number;
  /** Skip the 10x scaling run (slow). */
  scaling: boolean;
  hungRegion: boolean;
  /** Four months of the same tenant into one folder: what the trend's earlier months cost a run. */
  history: boolean;
}

export interface ProductBenchResult {
  buckets: number;
  regions: number;
  customerKeys: number;
  rounds: number;
  loadAverage: number;
  cores: number;
  run50: CliRun[];
  run1: CliRun[];
  baseline50: Array<{ seconds: number; calls: number; buckets: number; bucketsReported: number }>;
  /** Per round: baseline seconds / run seconds, both at 50 ms; median. */
  speedup: number;
  /** Per round at 50 ms: the fake endpoint's CPU while it answered the run. */
  endpointCpu50: number[];
  /**
   * Per round: baseline seconds / ((run CPU + endpoint CPU) / cores), median: the speed-up this
   * machine allows at best, were all the CPU the run causes spread over every core with no wait.
   */
  speedupCeiling: number;
  /**
   * Per round at 50 ms: the bare SDK making only the run's per-bucket S3 and per-key KMS reads (its
   * own process, the run's client settings and calls in flight, nothing recorded): no run can be
   * faster. `speedupFloor`: baseline seconds / floor seconds, median: the most the SDK allows.
   */
  sdkFloor50: Array<{ seconds: number; cpuSeconds: number; calls: number }>;
  speedupFloor: number;
  /**
   * The floor's calls as the endpoint counted them, by API, where they differ from the run's count of
   * the same API (empty: the floor made exactly the run's S3 and KMS reads, so it is a floor of the run).
   */
  sdkFloorDiffers: string[];
  /** Per round: run at 50 ms / run at 1 ms; median. */
  latencyRatio: number;
  callsPerApi: Record<string, number>;
  calls: number;
  baselineCalls: number;
  maxInFlight: Record<string, number>;
  maxInFlightPerAccountRegion: Record<string, number>;
  bucketsMissing: number;
  /**
   * `run`: the tenant's first month; `nextMonth`: the month after, into the same folder, as an operator's
   * monthly run finds it (the month before present, which the run verifies for its trend).
   */
  scaling?: { buckets: number; run: CliRun; ratioTo1000: number; nextMonth: CliRun };
  hungRegion?: {
    region: string;
    timeoutMs: number;
    maxAttempts: number;
    run: CliRun;
    normal: CliRun;
    extraSeconds: number;
    boundSeconds: number;
    bucketsInPacket: number;
  };
  history?: { months: string[]; runs: CliRun[] };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

function perAccountRegion(stats: EndpointStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(stats.maxInFlightBy)) {
    const service = k.split('|')[0]!;
    out[service] = Math.max(out[service] ?? 0, n);
  }
  return out;
}

/** The account-wide listings a run makes before its per-resource reads: not the floor's to make. */
const LISTINGS: ReadonlySet<string> = new Set(['s3:ListBuckets', 'kms:ListAliases']);

/**
 * Every S3 and KMS read whose count differs between the floor and the run (the run's listings and the
 * floor's own AssumeRole aside), as "api floor-count (the run run-count)"; empty when the floor made
 * exactly the run's per-bucket and per-key reads. An API either side left out counts as 0 there.
 */
function floorDifferences(floor: Record<string, number>, run: Record<string, number>): string[] {
  const apis = new Set([
    ...Object.keys(floor).filter((api) => api !== 'sts:AssumeRole'),
    ...Object.keys(run).filter((api) => /^(s3|kms):/.test(api) && !LISTINGS.has(api)),
  ]);
  return [...apis]
    .filter((api) => (floor[api] ?? 0) !== (run[api] ?? 0))
    .sort()
    .map((api) => `${api} ${floor[api] ?? 0} (the run ${run[api] ?? 0})`);
}

export async function benchProduct(
  opts: ProductBenchOptions,
  log: (line: string) => void,
): Promise<ProductBenchResult> {
  const loadAverage = round2(os.loadavg()[0] ?? 0);
  const endpoint = await startEndpoint({ buckets: opts.buckets, keys: opts.keys, latencyMs: 50 });
  const run50: CliRun[] = [];
  const run1: CliRun[] = [];
  const baseline50: ProductBenchResult['baseline50'] = [];
  const sdkFloor50: ProductBenchResult['sdkFloor50'] = [];
  let floorCalls: Record<string, number> = {};
  let stats50: EndpointStats | undefined;
  const endpointCpu50: number[] = [];
  let baselineCalls = 0;
  try {
    for (let r = 0; r < opts.rounds; r++) {
      await endpoint.setLatency(50);
      await endpoint.reset();
      log(`round ${r + 1}: run at 50 ms`);
      run50.push(await runCli(endpoint.url));
      stats50 = await endpoint.stats();
      endpointCpu50.push(stats50.cpuSeconds);
      await endpoint.reset();
      log(`round ${r + 1}: one call at a time at 50 ms`);
      baseline50.push(await runBaseline(endpoint.url));
      baselineCalls = (await endpoint.stats()).calls;
      log(`round ${r + 1}: the SDK's floor at 50 ms`);
      await endpoint.reset();
      sdkFloor50.push(await runSdkFloor(endpoint.url, opts));
      floorCalls = (await endpoint.stats()).byOperation;
      await endpoint.setLatency(1);
      log(`round ${r + 1}: run at 1 ms`);
      run1.push(await runCli(endpoint.url));
    }
  } finally {
    await endpoint.close();
  }
  const result: ProductBenchResult = {
    buckets: opts.buckets,
    regions: REGIONS.length,
    customerKeys: opts.keys,
    rounds: opts.rounds,
    loadAverage,
    cores: os.cpus().length,
    run50,
    run1,
    baseline50,
    speedup: round2(median(baseline50.map((b, i) => b.seconds / run50[i]!.seconds))),
    endpointCpu50: endpointCpu50.map(round2),
    speedupCeiling: round2(
      median(baseline50.map((b, i) => b.seconds / ((run50[i]!.cpuSeconds + endpointCpu50[i]!) / os.cpus().length))),
    ),
    sdkFloor50: sdkFloor50.map((f) => ({ ...f, seconds: round2(f.seconds), cpuSeconds: round2(f.cpuSeconds) })),
    speedupFloor: round2(median(baseline50.map((b, i) => b.seconds / sdkFloor50[i]!.seconds))),
    sdkFloorDiffers: floorDifferences(floorCalls, stats50!.byOperation),
    latencyRatio: round2(median(run50.map((r, i) => r.seconds / run1[i]!.seconds))),
    callsPerApi: stats50!.byOperation,
    calls: stats50!.calls,
    baselineCalls,
    maxInFlight: stats50!.maxInFlight,
    maxInFlightPerAccountRegion: perAccountRegion(stats50!),
    bucketsMissing: opts.buckets - Math.min(...run50.map((r) => r.bucketsInPacket)),
  };
  // The baseline's reach, for the record: it cannot describe keys named by alias or bare key id.
  void keyArnsNamedByBuckets(benchScenario({ buckets: 0, keys: 0, latencyMs: 0 }));

  if (opts.scaling) {
    const big = await startEndpoint({ buckets: opts.buckets * 10, keys: opts.keys, latencyMs: 50 });
    const outDir = await mkdtemp(path.join(os.tmpdir(), 's3e-bench-scaling-'));
    try {
      log(`scaling: run of ${opts.buckets * 10} buckets at 50 ms, 2026-09`);
      const run = await runCli(big.url, undefined, { outDir, period: '2026-09' });
      log(`scaling: run of ${opts.buckets * 10} buckets at 50 ms, 2026-10 into the folder holding 2026-09`);
      const nextMonth = await runCli(big.url, undefined, { outDir, period: '2026-10' });
      result.scaling = {
        buckets: opts.buckets * 10,
        run,
        ratioTo1000: round2(run.seconds / median(run50.map((r) => r.seconds))),
        nextMonth,
      };
    } finally {
      await big.close();
      await rm(outDir, { recursive: true, force: true });
    }
  }
  if (opts.hungRegion) {
    const region = REGIONS[1];
    const collection = { timeoutMs: 2000, maxAttempts: 3 };
    const hung = await startEndpoint({ buckets: opts.buckets, keys: opts.keys, latencyMs: 50, hungRegion: region });
    const healthy = await startEndpoint({ buckets: opts.buckets, keys: opts.keys, latencyMs: 50 });
    try {
      log(
        `hung region: ${region} never answers (timeout ${collection.timeoutMs} ms x ${collection.maxAttempts} attempts)`,
      );
      const normal = await runCli(healthy.url, collection);
      const run = await runCli(hung.url, collection);
      const extraSeconds = run.seconds - normal.seconds;
      result.hungRegion = {
        region: region,
        ...collection,
        run,
        normal,
        extraSeconds: round2(extraSeconds),
        boundSeconds: (collection.timeoutMs * collection.maxAttempts) / 1000,
        bucketsInPacket: run.bucketsInPacket,
      };
    } finally {
      await hung.close();
      await healthy.close();
    }
  }
  if (opts.history) {
    const endpoint = await startEndpoint({ buckets: opts.buckets, keys: opts.keys, latencyMs: 1 });
    const outDir = await mkdtemp(path.join(os.tmpdir(), 's3e-bench-history-'));
    const months = ['2026-07', '2026-08', '2026-09', '2026-10'];
    try {
      const runs: CliRun[] = [];
      for (const period of months) {
        log(`history: ${period} into the folder holding the months before it`);
        runs.push(await runCli(endpoint.url, undefined, { outDir, period }));
      }
      result.history = { months, runs };
    } finally {
      await endpoint.close();
      await rm(outDir, { recursive: true, force: true });
    }
  }
  return result;
}

export function formatProductBench(r: ProductBenchResult): string[] {
  const s = (n: number) => `${n.toFixed(1)} s`;
  const med = (rs: CliRun[]) => median(rs.map((x) => x.seconds));
  const phases = (t: Record<string, number>) =>
    Object.entries(t)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(', ');
  const cpu = (x: CliRun) => `CPU ${x.cpuSeconds.toFixed(1)} s, load ${x.loadAverage}`;
  const lines = [
    `product     s3-evidence run (built CLI, shipped defaults) vs one call at a time; ${r.buckets} buckets in ${r.regions} regions, ${r.customerKeys} customer keys, 10% AccessDenied, AWS Config recording; ${r.rounds} interleaved round(s); load average ${r.loadAverage} on ${r.cores} cores at the start`,
    `            (wall times are this machine's: with a load average above its ${r.cores} cores the run waits for CPU while the one-call-at-a-time client mostly waits on the network; "CPU" is the run's own user + system time, "load" the 1-minute load average as the run ended)`,
    `  at 50 ms:  run ${s(med(r.run50))} (${r.calls} calls; ${r.run50.map(cpu).join('; ')}) vs one at a time ${s(median(r.baseline50.map((b) => b.seconds)))} (${r.baselineCalls} calls, ${r.baseline50[0]?.bucketsReported ?? 0} of ${r.buckets} buckets reported) = ${r.speedup.toFixed(1)}x (aim >= 15); buckets missing from the packet: ${r.bucketsMissing}`,
    `            the run's CPU and the endpoint's answering it (${r.endpointCpu50.map((x) => s(x)).join(', ')}), spread over ${r.cores} cores with no wait: at most ${r.speedupCeiling.toFixed(1)}x on this machine`,
    `            the bare SDK making only the run's S3 and KMS reads (${r.sdkFloor50[0]?.calls ?? 0} calls, the run's client settings and calls in flight, nothing recorded): ${s(median(r.sdkFloor50.map((f) => f.seconds)))} (CPU ${r.sdkFloor50.map((f) => s(f.cpuSeconds)).join(', ')}): no run is faster, so at most ${r.speedupFloor.toFixed(1)}x with this SDK on this machine`,
    ...(r.sdkFloorDiffers.length > 0
      ? [
          `            SDK floor NOT COMPARABLE: its calls are not the run's (${r.sdkFloorDiffers.join(', ')}), so it bounds nothing`,
        ]
      : []),
    `  latency:   run at 50 ms / run at 1 ms = ${r.latencyRatio.toFixed(2)} (aim <= 1.5); at 1 ms ${s(med(r.run1))} (${r.run1.map(cpu).join('; ')})`,
    `  phases at 50 ms (s): ${phases(r.run50[0]?.timings ?? {})}`,
    `  phases at 1 ms (s):  ${phases(r.run1[0]?.timings ?? {})}`,
    `  calls: ${Object.entries(r.callsPerApi)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  most in flight: ${Object.entries(r.maxInFlight)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; per account and region: ${Object.entries(r.maxInFlightPerAccountRegion)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; peak RSS ${Math.round(Math.max(...r.run50.map((x) => x.peakRssMb)))} MB`,
  ];
  if (r.scaling) {
    lines.push(
      `  scaling:   ${r.scaling.buckets} buckets ${s(r.scaling.run.seconds)} (${cpu(r.scaling.run)}) = ${r.scaling.ratioTo1000.toFixed(1)}x the ${r.buckets}-bucket run (aim <= 11); peak RSS ${Math.round(r.scaling.run.peakRssMb)} MB (aim < 250); buckets missing ${r.scaling.buckets - r.scaling.run.bucketsInPacket}`,
    );
    lines.push(`  phases (s): ${phases(r.scaling.run.timings)}`);
    const next = r.scaling.nextMonth;
    lines.push(
      `  next month: the same ${r.scaling.buckets} buckets a month later, into the folder holding the first month's packet (which the run verifies for its trend): ${s(next.seconds)} (${cpu(next)}), of which the trend's phase (collectGovernance) ${s((next.timings.collectGovernance ?? 0) / 1000)}; peak RSS ${Math.round(next.peakRssMb)} MB (aim < 250); buckets missing ${r.scaling.buckets - next.bucketsInPacket}`,
    );
  }
  if (r.hungRegion) {
    const h = r.hungRegion;
    lines.push(
      `  hung region ${h.region}: ${s(h.run.seconds)} (${cpu(h.run)}) vs ${s(h.normal.seconds)} (${cpu(h.normal)}, ${h.normal.missing} items missing) with every region answering = ${h.extraSeconds >= 0 ? '+' : ''}${h.extraSeconds.toFixed(1)} s (bound: timeout x attempts = ${h.boundSeconds} s); ${h.bucketsInPacket} buckets in the packet, ${h.run.missing} items missing`,
    );
    // With every region answering, the round's run should miss what the shipped-defaults run misses (the
    // AccessDenied buckets); if it misses more, its calls timed out as well (a machine too busy for the
    // round's short timeout) and the difference measures nothing.
    const healthyMissing = r.run50[0]?.missing ?? 0;
    if (h.normal.missing > healthyMissing)
      lines.push(
        `  hung region: NOT MEASURED: with every region answering the run missed ${h.normal.missing} items, not the ${healthyMissing} of the shipped-defaults run (its calls timed out as well), so the difference says nothing about the bound`,
      );
  }
  if (r.history) {
    const { months, runs } = r.history;
    const first = runs[0]?.seconds ?? 0;
    const last = runs.at(-1)?.seconds ?? 0;
    lines.push(
      `  history:   ${months[0]} to ${months.at(-1)} run one after the other into one folder at 1 ms: whole runs ${runs.map((x) => s(x.seconds)).join(', ')} with 0 to ${runs.length - 1} earlier months' packets present; the last / the first = ${first > 0 ? (last / first).toFixed(2) : 'n/a'}x (a run verifies the month before it and takes the older months from that packet's verified trend)`,
      `             of which the trend's phase (collectGovernance) ${runs.map((x) => s((x.timings.collectGovernance ?? 0) / 1000)).join(', ')}; peak RSS ${runs.map((x) => `${Math.round(x.peakRssMb)} MB`).join(', ')}`,
    );
  }
  return lines;
}
