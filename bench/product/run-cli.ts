/** Runs the built CLI's `run` against the endpoint, as a separate process with the shipped defaults. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { ACCOUNT, CALLER, CALLER_SECRET, EXTERNAL_ID, REGIONS, ROLE_ARN } from './scenario.js';
import { PACKET_FILE } from '../../src/packet-folder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', '..', 'src', 'cli', 'main.js');

export interface CliRun {
  seconds: number;
  exitCode: number;
  /** Wall time per phase, ms, from `run --json`. */
  timings: Record<string, number>;
  peakRssMb: number;
  /** CPU time the CLI process used (user + system): what a busy machine cannot hide behind wall time. */
  cpuSeconds: number;
  /** The machine's 1-minute load average when the run ended (os.loadavg). */
  loadAverage: number;
  bucketsInPacket: number;
  missing: number;
}

/**
 * `collection` is written into the config only when given: otherwise the shipped defaults apply.
 * `history`: the output folder (kept, the caller removes it) and the period, for a run of one month
 * beside the months run before it; otherwise October 2026 into a folder of its own, removed after.
 */
export async function runCli(
  endpoint: string,
  collection?: Record<string, unknown>,
  history?: { outDir: string; period: string },
): Promise<CliRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-bench-run-'));
  try {
    const config = {
      version: 1,
      ...(collection ? { collection } : {}),
      tenants: [
        {
          id: 'bench',
          displayName: 'Benchmark',
          accounts: [{ id: ACCOUNT, roleArn: ROLE_ARN, externalId: EXTERNAL_ID, regions: [...REGIONS] }],
        },
      ],
    };
    const configFile = path.join(dir, 'tenants.yaml');
    await writeFile(configFile, JSON.stringify(config));
    const rssFile = path.join(dir, 'rss');
    const started = performance.now();
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(here, 'rss-on-exit.js')).href,
          CLI,
          'run',
          '-c',
          configFile,
          '-p',
          history?.period ?? '2026-10',
          '-o',
          history?.outDir ?? path.join(dir, 'out'),
          '--endpoint-url',
          endpoint,
          '--json',
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            PATH: process.env.PATH ?? '',
            AWS_ACCESS_KEY_ID: CALLER.accessKeyId,
            AWS_SECRET_ACCESS_KEY: CALLER_SECRET,
            AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
            AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
            AWS_EC2_METADATA_DISABLED: 'true',
            BENCH_RSS_FILE: rssFile,
          },
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      child.on('error', reject);
      child.on('exit', (c) =>
        c === 0 || c === 3
          ? resolve({ code: c, stdout: out })
          : reject(new Error(`s3-evidence run exited ${c}: ${err}`)),
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(stdout) as {
      packets: Array<{ folder: string; missing: number; timings?: Record<string, number> }>;
    };
    const packet = summary.packets[0]!;
    const model = JSON.parse(await readFile(path.join(packet.folder, PACKET_FILE), 'utf8')) as { buckets: unknown[] };
    const usage = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRssBytes: number; cpuSeconds: number };
    return {
      seconds,
      exitCode: code,
      timings: packet.timings ?? {},
      peakRssMb: usage.maxRssBytes / 1024 / 1024,
      cpuSeconds: usage.cpuSeconds,
      loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
      bucketsInPacket: model.buckets.length,
      missing: packet.missing,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * On an old Node the SDK prints a nine-line warning when its first client is made; the CLI switches it
 * off (src/cli/runtime.ts), and so do the bench's own SDK clients: it is not the bench's output.
 */
const QUIET_SDK = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Runs one of the bench's SDK clients (a module beside this one) as a process of its own; resolves with its last line, parsed. */
function runClient<T>(module: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, module), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: QUIET_SDK,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (c) =>
      c === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T) : reject(new Error(`${module} exited ${c}`)),
    );
  });
}

/** The one-call-at-a-time client (baseline-client.ts). */
export function runBaseline(
  endpoint: string,
): Promise<{ seconds: number; calls: number; buckets: number; bucketsReported: number }> {
  return runClient('baseline-client.js', [endpoint]);
}

/** The SDK's own floor (sdk-floor-client.ts). */
export function runSdkFloor(
  endpoint: string,
  size: { buckets: number; keys: number },
): Promise<{ seconds: number; cpuSeconds: number; calls: number }> {
  return runClient('sdk-floor-client.js', [endpoint, String(size.buckets), String(size.keys)]);
}
