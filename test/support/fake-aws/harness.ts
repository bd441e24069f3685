/** Runs a full live collection (liveSources + collectTenant) against the fake endpoint. */
import type { KeyRead } from '../../../src/collect/key-reads.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectTenant, type CollectProgress, type InventoryReader } from '../../../src/collect/collect-tenant.js';
import { liveSources, type LiveOptions, type LiveSetup } from '../../../src/collect/live/index.js';
import { periodFor } from '../../../src/config/period.js';
import { tenantSchema, type TenantConfig } from '../../../src/config/schema.js';
import type { TenantEvidence } from '../../../src/evidence/bundle.js';
import { EvidenceWriter } from '../../../src/evidence/evidence-store.js';
import type { FakeAws } from './server.js';
import { collectAwsConfig } from '../../../src/collect/aws-config/index.js';
import type { AwsConfigEvidence } from '../../../src/evidence/aws-config-evidence.js';
import type { LookedUpKmsEvents } from '../../../src/collect/cloudtrail/lookup-events.js';

const noInventory: InventoryReader = async ({ bucket }) => ({
  bucket,
  status: 'missing',
  cause: 'not_configured',
  reason: 'no inventory location configured',
});

export interface LiveRun {
  evidence: TenantEvidence;
  setup: LiveSetup;
  /** The packet folder the evidence was written to. */
  dir: string;
  progress: CollectProgress[];
  /** AWS Config evidence, when asked for (`awsConfig: true`), read with the same sources before they close. */
  awsConfig?: AwsConfigEvidence;
  /** CloudTrail LookupEvents (KMS) for the period, when asked for (`kmsLookup: true`). */
  kmsEvents?: LookedUpKmsEvents[];
  cleanup(): Promise<void>;
}

export function tenant(input: Record<string, unknown>): TenantConfig {
  return tenantSchema.parse({ displayName: 'Test tenant', ...input });
}

/** Fast settings for tests: small timeouts, few attempts. */
export function testOptions(fake: FakeAws, over: Partial<LiveOptions> = {}): LiveOptions {
  return {
    credentials: fake.callerCredentials,
    endpoint: fake.endpoint,
    runId: 'run1',
    maxAttempts: 4,
    timeoutMs: 2000,
    ...over,
  };
}

export async function collectLive(
  fake: FakeAws,
  config: TenantConfig,
  over: Partial<LiveOptions> & {
    readInventory?: (setup: LiveSetup) => InventoryReader;
    bucketConcurrency?: number;
    awsConfig?: boolean;
    kmsLookup?: boolean;
    onKeyRead?: (key: KeyRead) => void;
  } = {},
): Promise<LiveRun> {
  const { readInventory, bucketConcurrency, awsConfig: withConfig, kmsLookup, onKeyRead, ...liveOver } = over;
  const setup = await liveSources(config, testOptions(fake, liveOver));
  const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-live-'));
  const progress: CollectProgress[] = [];
  try {
    const evidence = await collectTenant({
      tenant: config,
      period: periodFor('2026-10', 'UTC'),
      run: {
        tool: { name: 's3-evidence', version: 'test' },
        operator: 'test',
        startedAt: '2026-11-02T08:00:00Z',
        mode: 'live',
        configSha256: '0'.repeat(64),
        identity: setup.identity,
      },
      sources: setup.sources,
      readInventory: readInventory ? readInventory(setup) : noInventory,
      writer: new EvidenceWriter(dir),
      missingAccounts: setup.problems,
      ...(bucketConcurrency ? { bucketConcurrency } : {}),
      onProgress: (p) => progress.push(p),
      ...(onKeyRead ? { onKeyRead } : {}),
    });
    const period = periodFor('2026-10', 'UTC');
    const awsConfig = withConfig
      ? await collectAwsConfig({
          tenant: config,
          window: { earlierTime: period.startUtc, laterTime: period.endUtc },
          buckets: evidence.buckets,
          keys: evidence.keys,
          sources: setup.configSources,
          notCollected: [],
          writer: new EvidenceWriter(dir),
        })
      : undefined;
    const kmsEvents = kmsLookup
      ? await setup.kmsEventLookup.lookup(period, new Date('2026-11-02T08:00:00Z'))
      : undefined;
    return {
      evidence,
      setup,
      dir,
      progress,
      ...(awsConfig ? { awsConfig } : {}),
      ...(kmsEvents ? { kmsEvents } : {}),
      cleanup: async () => rm(dir, { recursive: true, force: true }),
    };
  } finally {
    setup.close();
  }
}
