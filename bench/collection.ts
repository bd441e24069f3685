/**
 * Collection benchmark: a live collection of many buckets across regions against the local fake
 * AWS endpoint (every answer delayed by `latencyMs`), compared with a one-call-at-a-time collection
 * of the same kind of calls (the approach of the aws-samples audit script), measured in the same run.
 *
 * The one-at-a-time baseline is measured on a subset of buckets (`serialSample`) through the same
 * code with every limit at 1, and extrapolated per call: serialSeconds = (sample seconds / sample
 * calls) * calls of the full run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { collectTenant } from '../src/collect/collect-tenant.js';
import { liveSources, resolveLiveOptions, type LiveService, type ServiceLimits } from '../src/collect/live/index.js';
import { periodFor } from '../src/config/period.js';
import { tenantSchema } from '../src/config/schema.js';
import { EvidenceWriter } from '../src/workspace/evidence-store.js';
import { startFakeAws, type FakeBucket, type Scenario } from '../test/support/fake-aws/index.js';

const REGION_POOL = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1', 'sa-east-1'];
const ACCOUNT = '111111111111';

export interface CollectionBenchOptions {
  buckets?: number;
  regions?: number;
  latencyMs?: number;
  /** Calls in flight per account, region and service. */
  concurrency?: Partial<ServiceLimits>;
  /** Buckets collected at once per account. */
  bucketConcurrency?: number;
  /** Buckets in the one-call-at-a-time sample. */
  serialSample?: number;
  /** Where the fake endpoint runs; default: a worker thread when compiled, else this thread. */
  endpoint?: 'worker' | 'in-process';
}

export interface CollectionBenchResult {
  buckets: number;
  regions: number;
  latencyMs: number;
  endpoint: 'worker' | 'in-process';
  /** AWS calls the concurrent collection made (STS included). */
  calls: number;
  seconds: number;
  /** CPU time of this process (all threads, endpoint included) during the concurrent run: near `seconds` x cores means CPU-bound. */
  cpuSeconds: number;
  /** 1-minute load average when the run started, to read the figures against. */
  loadAverage: number;
  /** One call at a time, extrapolated per call from `serialMeasured`. */
  serialSeconds: number;
  serialMeasured: { buckets: number; calls: number; seconds: number };
  ratio: number;
  /** Most requests the endpoint ever had in flight, per service, in the concurrent run. */
  maxInFlight: Partial<Record<LiveService, number>>;
  /** Most in flight for any one account and region, per service. */
  maxInFlightPerAccountRegion: Partial<Record<LiveService, number>>;
  configured: { perAccountRegion: ServiceLimits; bucketConcurrency: number; maxTotal: Record<LiveService, number> };
  withinLimits: boolean;
}

function benchScenario(buckets: number, regions: string[], latencyMs: number): Scenario {
  const list: FakeBucket[] = Array.from({ length: buckets }, (_, i) => {
    const region = regions[i % regions.length]!;
    return {
      name: `bench-${String(i).padStart(5, '0')}`,
      region,
      encryption: i % 2 ? { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/bench-${region}` } : { algorithm: 'AES256' },
      ...(i % 3 === 0 ? { policy: '{"Version":"2012-10-17","Statement":[]}' } : {}),
      ...(i % 4 === 0 ? { tags: { tenant: 'bench' } } : {}),
      versioning: 'Enabled',
    };
  });
  return {
    caller: { accessKeyId: 'AKIDBENCH', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/bench' },
    accounts: [
      {
        id: ACCOUNT,
        role: { name: 'EvidenceReader', externalId: 'bench' },
        buckets: list,
        keys: regions.map((region) => ({ id: `bench-${region}`, region, rotation: { enabled: true } })),
      },
    ],
    latencyMs,
  };
}

/** The fake endpoint as the benchmark uses it, in this thread or in a worker thread. */
interface BenchEndpoint {
  endpoint: string;
  callerCredentials: { accessKeyId: string; secretAccessKey: string };
  reset(): Promise<void>;
  stats(): Promise<{ calls: number; maxInFlight: Partial<Record<LiveService, number>>; maxInFlightBy: Record<string, number> }>;
  close(): Promise<void>;
}

async function inProcessEndpoint(scenario: Scenario): Promise<BenchEndpoint> {
  const fake = await startFakeAws(scenario);
  return {
    endpoint: fake.endpoint,
    callerCredentials: fake.callerCredentials,
    reset: async () => fake.recorder.reset(),
    stats: async () => ({ calls: fake.recorder.calls.length, maxInFlight: { ...fake.recorder.maxInFlight }, maxInFlightBy: { ...fake.recorder.maxInFlightBy } }),
    close: () => fake.close(),
  };
}

/** Compiled (dist/) only: the worker entry must be JavaScript. */
function workerEntry(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.js')) return undefined;
  const file = path.join(path.dirname(here), '..', 'test', 'support', 'fake-aws', 'worker.js');
  return existsSync(file) ? file : undefined;
}

async function workerEndpoint(file: string, scenario: Scenario): Promise<BenchEndpoint> {
  const worker = new Worker(file, { workerData: scenario });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const ready = (await next('ready')) as { endpoint: string; callerCredentials: BenchEndpoint['callerCredentials'] };
  const ask = async (msg: string, reply: string) => {
    const p = next(reply);
    worker.postMessage(msg);
    return p;
  };
  return {
    endpoint: ready.endpoint,
    callerCredentials: ready.callerCredentials,
    reset: async () => void (await ask('reset', 'reset')),
    stats: async () => (await ask('stats', 'stats')) as unknown as Awaited<ReturnType<BenchEndpoint['stats']>>,
    close: async () => {
      await ask('close', 'closed');
      await worker.terminate();
    },
  };
}

async function timedCollection(
  fake: BenchEndpoint,
  include: string[],
  concurrency: ServiceLimits,
  bucketConcurrency: number,
): Promise<{ seconds: number; cpuSeconds: number; calls: number }> {
  const tenant = tenantSchema.parse({
    id: 'bench',
    displayName: 'Benchmark',
    accounts: [{ id: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/EvidenceReader`, externalId: 'bench' }],
    buckets: { include },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-bench-'));
  await fake.reset();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const setup = await liveSources(tenant, {
    credentials: fake.callerCredentials,
    endpoint: fake.endpoint,
    concurrency,
    maxAttempts: 3,
    timeoutMs: 30_000,
    runId: 'bench',
  });
  try {
    await collectTenant({
      tenant,
      period: periodFor('2026-10', 'UTC'),
      run: { tool: { name: 's3-evidence', version: 'bench' }, operator: 'bench', startedAt: '2026-11-02T00:00:00Z', mode: 'live', configSha256: '0'.repeat(64), identity: setup.identity },
      sources: setup.sources,
      readInventory: async ({ bucket }) => ({ bucket, status: 'missing', reason: 'not part of the benchmark' }),
      writer: new EvidenceWriter(dir),
      missingAccounts: setup.problems,
      bucketConcurrency,
    });
  } finally {
    setup.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  await rm(dir, { recursive: true, force: true });
  return { seconds, cpuSeconds, calls: (await fake.stats()).calls };
}

export async function benchCollection(opts: CollectionBenchOptions = {}): Promise<CollectionBenchResult> {
  const buckets = opts.buckets ?? 1000;
  const regionCount = opts.regions ?? 3;
  const latencyMs = opts.latencyMs ?? 50;
  const limits = resolveLiveOptions({ concurrency: { s3: 24, kms: 4, sts: 2, ...opts.concurrency } }).limits;
  const bucketConcurrency = opts.bucketConcurrency ?? 96;
  const serialSample = Math.min(opts.serialSample ?? 20, buckets);
  const regions = REGION_POOL.slice(0, regionCount);

  const scenario = benchScenario(buckets, regions, latencyMs);
  const loadAverage = round(os.loadavg()[0] ?? 0);
  const entry = opts.endpoint === 'in-process' ? undefined : workerEntry();
  if (opts.endpoint === 'worker' && !entry) throw new Error('the worker endpoint needs the compiled benchmark (npm run bench)');
  const fake = entry ? await workerEndpoint(entry, scenario) : await inProcessEndpoint(scenario);
  try {
    const full = await timedCollection(fake, ['*'], limits, bucketConcurrency);
    const fullStats = await fake.stats();
    const maxInFlight = fullStats.maxInFlight;
    const maxInFlightPerAccountRegion: Partial<Record<LiveService, number>> = {};
    for (const [k, n] of Object.entries(fullStats.maxInFlightBy)) {
      const service = k.split('|')[0] as LiveService;
      maxInFlightPerAccountRegion[service] = Math.max(maxInFlightPerAccountRegion[service] ?? 0, n);
    }
    // The sample takes buckets from every region, like the full run.
    const sampleNames = Array.from({ length: serialSample }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
    const serial = await timedCollection(fake, sampleNames, { s3: 1, kms: 1, sts: 1, config: 1 }, 1);
    const serialSeconds = (serial.seconds / serial.calls) * full.calls;
    const maxTotal = { s3: limits.s3 * regions.length, kms: limits.kms * regions.length, sts: limits.sts * 2, config: limits.config * regions.length };
    const withinLimits = (Object.keys(maxTotal) as LiveService[]).every(
      (s) => (maxInFlightPerAccountRegion[s] ?? 0) <= limits[s] && (maxInFlight[s] ?? 0) <= maxTotal[s],
    );
    return {
      buckets,
      regions: regions.length,
      latencyMs,
      endpoint: entry ? 'worker' : 'in-process',
      calls: full.calls,
      seconds: round(full.seconds),
      cpuSeconds: round(full.cpuSeconds),
      loadAverage,
      serialSeconds: round(serialSeconds),
      serialMeasured: { buckets: serialSample, calls: serial.calls, seconds: round(serial.seconds) },
      ratio: round(serialSeconds / full.seconds),
      maxInFlight,
      maxInFlightPerAccountRegion,
      configured: { perAccountRegion: limits, bucketConcurrency, maxTotal },
      withinLimits,
    };
  } finally {
    await fake.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export function formatCollectionBench(r: CollectionBenchResult): string {
  return [
    `collection: ${r.buckets} buckets in ${r.regions} regions, ${r.latencyMs} ms added per call, ${r.calls} calls (endpoint: ${r.endpoint})`,
    `  concurrent:       ${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(1)} s CPU; load average ${r.loadAverage} at start)`,
    `  one at a time:    ${r.serialSeconds.toFixed(2)} s (extrapolated per call from ${r.serialMeasured.calls} calls on ${r.serialMeasured.buckets} buckets in ${r.serialMeasured.seconds.toFixed(2)} s)`,
    `  speed-up:         ${r.ratio.toFixed(1)}x`,
    `  most in flight:   ${Object.entries(r.maxInFlight).map(([s, n]) => `${s} ${n}`).join(', ')} (configured per account+region: s3 ${r.configured.perAccountRegion.s3}, kms ${r.configured.perAccountRegion.kms}, sts ${r.configured.perAccountRegion.sts}; ${r.withinLimits ? 'within limits' : 'LIMIT EXCEEDED'})`,
  ].join('\n');
}
