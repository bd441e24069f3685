/**
 * Fault matrix for live collection: every operation a clean run sends (read from the fake's recorder,
 * not listed here) × every kind of wire fault, each cell a full `runTenant` against its own fake
 * endpoint. The run must complete, the faulted operation's error must be named in the packet's
 * missing evidence, the packet must be incomplete and never COMPLIANT — except a throttling burst
 * the SDK retries through, whose packet must equal the clean run's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSources, type LiveSetup } from '../../../src/collect/live/index.js';
import { periodFor } from '../../../src/config/period.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { Packet } from '../../../src/model/packet.js';
import { runTenant, type LiveCollection } from '../../../src/pipeline/run-tenant.js';
import { testOptions } from '../../support/fake-aws/harness.js';
import { inventoryReportObjects } from '../../support/fake-aws/inventory-report.js';
import { startFakeAws, type Fault, type Scenario, type Service } from '../../support/fake-aws/index.js';
import type { FaultAction } from '../../support/fake-aws/scenario.js';

const A = '111111111111';
const KEY = 'k-data-0001';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'DenyNoSse', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-data/*', Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } },
  ],
});

function scenario(faults: Fault[]): Scenario {
  return {
    caller: { accessKeyId: 'AKIDCALLER', account: '999900000000', arn: 'arn:aws:iam::999900000000:user/auditor' },
    accounts: [
      {
        id: A,
        role: { name: 'EvidenceReader' },
        buckets: [
          {
            name: 'acme-data',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:eu-west-1:${A}:key/${KEY}`, bucketKeyEnabled: true },
            policy: POLICY,
            publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
            tags: { tenant: 'acme' },
            inventory: [{ id: 'daily', destinationBucket: 'acme-inventory', prefix: 'inv' }],
          },
          {
            // The inventory destination is not the tenant's (no tag): it is read, not reported.
            name: 'acme-inventory',
            region: 'eu-west-1',
            encryption: { algorithm: 'AES256' },
            objects: inventoryReportObjects({
              prefix: 'inv/',
              sourceBucket: 'acme-data',
              destinationBucket: 'acme-inventory',
              configId: 'daily',
              folder: '2026-11-01T00-00Z',
              rows: [
                { key: 'docs/a.txt', size: 100, status: 'SSE-KMS' },
                { key: 'img/x.png', size: 7, status: 'SSE-KMS' },
              ],
            }),
          },
        ],
        keys: [{ id: KEY, region: 'eu-west-1', aliases: ['alias/acme-data'], rotation: { enabled: true } }],
        configRecorders: [{ region: 'eu-west-1', recording: true }],
        configRules: [{ region: 'eu-west-1', name: 'sse', sourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', results: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'acme-data', compliance: 'COMPLIANT' }] }],
      },
    ],
    faults,
  };
}

const config: Config = configSchema.parse({
  version: 1,
  collection: { maxAttempts: 2, timeoutMs: 1000 },
  tenants: [
    {
      id: 'acme',
      displayName: 'Acme',
      accounts: [{ id: A, roleArn: `arn:aws:iam::${A}:role/EvidenceReader`, regions: ['eu-west-1'] }],
      buckets: { tags: [{ key: 'tenant', value: 'acme' }] },
      sources: { inventory: ['s3://acme-inventory/inv/'] },
    },
  ],
});
const tenant = config.tenants[0]!;

type FaultKind = 'AccessDenied' | 'throttle burst' | 'throttled' | '500' | 'reset' | 'timeout' | 'truncated';
const FAULT_KINDS: FaultKind[] = ['AccessDenied', 'throttle burst', 'throttled', '500', 'reset', 'timeout', 'truncated'];

const ACCESS_DENIED: Record<Service, { code: string; status: number }> = {
  s3: { code: 'AccessDenied', status: 403 },
  sts: { code: 'AccessDenied', status: 403 },
  kms: { code: 'AccessDeniedException', status: 400 },
  cloudtrail: { code: 'AccessDeniedException', status: 400 },
  config: { code: 'AccessDeniedException', status: 400 },
};
const INTERNAL: Record<Service, string> = { s3: 'InternalError', sts: 'InternalFailure', kms: 'KMSInternalException', cloudtrail: 'InternalFailure', config: 'InternalFailure' };

function faultFor(service: Service, operation: string, kind: FaultKind): Fault {
  const at = { service, operation };
  const action: Record<FaultKind, { action: FaultAction; times?: number }> = {
    AccessDenied: { action: { kind: 'error', ...ACCESS_DENIED[service], message: 'Access Denied' } },
    'throttle burst': { action: { kind: 'throttle' }, times: 1 },
    throttled: { action: { kind: 'throttle' } },
    '500': { action: { kind: 'error', code: INTERNAL[service], status: 500, message: 'We encountered an internal error.' } },
    reset: { action: { kind: 'reset' } },
    timeout: { action: { kind: 'hang' } },
    truncated: { action: { kind: 'truncate' } },
  };
  return { ...at, ...action[kind] };
}

interface Cell {
  operation: string;
  service: Service;
  kind: FaultKind;
  packet?: Packet;
  error?: string;
  sent?: number;
}

async function runOnce(faults: Fault[]): Promise<{ packet: Packet; calls: { service: Service; operation: string }[] }> {
  const fake = await startFakeAws(scenario(faults));
  const out = await mkdtemp(path.join(os.tmpdir(), 's3e-faults-'));
  let setup: LiveSetup | undefined;
  const live: LiveCollection = {
    async sources(t) {
      setup = await liveSources(t, testOptions(fake, { maxAttempts: config.collection.maxAttempts, timeoutMs: config.collection.timeoutMs }));
      return { sources: setup.sources, configSources: setup.configSources, identity: setup.identity, problems: setup.problems };
    },
    s3ForTrees: () => setup!.treeS3,
    close: () => setup?.close(),
  };
  try {
    const result = await runTenant({
      config: { ...config, baselineDir: path.join(out, 'baseline'), exceptionsDir: path.join(out, 'exceptions') },
      configSha256: '0'.repeat(64),
      tenant,
      period: periodFor('2026-10', 'UTC'),
      outDir: out,
      now: new Date('2026-11-02T08:00:00Z'),
      live,
    });
    // The output folder is a fresh temporary one per run: name it alike so packets compare.
    const packet = JSON.parse((await readFile(path.join(result.folder, 'packet.json'), 'utf8')).split(out).join('<out>')) as Packet;
    return { packet, calls: fake.recorder.calls.map((c) => ({ service: c.service, operation: c.operation })) };
  } finally {
    await fake.close();
    await rm(out, { recursive: true, force: true });
  }
}

/** What a packet says, without the act of collecting (time, request ids, evidence hashes). */
function substance(p: Packet): unknown {
  const { generatedAt: _g, collection: _c, evidence: _e, ...rest } = p;
  return JSON.parse(JSON.stringify(rest).replace(/FAKE[A-Z]+\d{8}/g, '<request-id>'));
}

let clean: Packet;
let operations: { service: Service; operation: string }[] = [];
const cells: Cell[] = [];
let seconds = 0;

beforeAll(async () => {
  const started = performance.now();
  const first = await runOnce([]);
  clean = first.packet;
  const seen = new Map(first.calls.map((c) => [`${c.service}:${c.operation}`, c]));
  operations = [...seen.values()];
  for (const { service, operation } of operations) for (const kind of FAULT_KINDS) cells.push({ service, operation, kind });
  // A retried-through burst changes nothing, so every operation gets its burst in one run together.
  const burst = await runOnce(operations.map((o) => faultFor(o.service, o.operation, 'throttle burst')));
  for (const cell of cells.filter((c) => c.kind === 'throttle burst')) {
    cell.packet = burst.packet;
    cell.sent = burst.calls.filter((c) => c.operation === cell.operation).length;
  }
  // Cells are independent (one fake each); run a few at once so the timeouts overlap.
  const queue = cells.filter((c) => c.kind !== 'throttle burst');
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let cell = queue.shift(); cell; cell = queue.shift()) {
        try {
          const { packet, calls } = await runOnce([faultFor(cell.service, cell.operation, cell.kind)]);
          cell.packet = packet;
          cell.sent = calls.filter((c) => c.operation === cell.operation).length;
        } catch (err) {
          cell.error = (err as Error).stack ?? String(err);
        }
      }
    }),
  );
  seconds = (performance.now() - started) / 1000;
}, 170_000);

afterAll(() => {
  const width = Math.max(...operations.map((o) => `${o.service}:${o.operation}`.length));
  const outcome = (c: Cell): string => (c.error ? 'CRASH' : !c.packet ? '-' : c.packet.completeness.complete ? `complete/${c.packet.status}` : `incomplete/${c.packet.status}`);
  const lines = [`fault matrix: ${operations.length} operations × ${FAULT_KINDS.length} faults = ${cells.length} cells in ${seconds.toFixed(1)} s`];
  lines.push(`${''.padEnd(width)} | ${FAULT_KINDS.map((k) => k.padEnd(22)).join(' | ')}`);
  for (const o of operations) {
    const row = FAULT_KINDS.map((k) => outcome(cells.find((c) => c.operation === o.operation && c.service === o.service && c.kind === k)!).padEnd(22));
    lines.push(`${`${o.service}:${o.operation}`.padEnd(width)} | ${row.join(' | ')}`);
  }
  lines.push(`clean: ${clean?.status}; missing: ${JSON.stringify(clean?.completeness.missing.map((m) => [m.scope, m.source, m.reason]))}`);
  console.log(lines.join('\n'));
});

describe('fault matrix', () => {
  it('the clean run is complete and compliant, and reads S3, KMS, STS and AWS Config', () => {
    expect([clean.completeness.complete, clean.status]).toEqual([true, 'compliant']);
    expect([...new Set(operations.map((o) => o.service))].sort()).toEqual(['config', 'kms', 's3', 'sts']);
  });

  it('every cell completes (no crash)', () => {
    expect(cells.filter((c) => c.error).map((c) => `${c.operation} × ${c.kind}: ${c.error}`)).toEqual([]);
  });

  it('a throttling burst on every operation at once is retried through and gives the clean packet', () => {
    const burst = cells.filter((c) => c.kind === 'throttle burst');
    for (const c of burst) expect(c.sent, c.operation).toBeGreaterThanOrEqual(2);
    expect(substance(burst[0]!.packet!)).toEqual(substance(clean));
  });

  it('every other fault leaves the packet incomplete, never compliant, and names what could not be read', () => {
    const wrong: string[] = [];
    for (const c of cells.filter((x) => x.kind !== 'throttle burst' && x.packet)) {
      const p = c.packet!;
      if (p.completeness.complete || p.status === 'compliant') wrong.push(`${c.service}:${c.operation} × ${c.kind}: ${p.completeness.complete ? 'complete' : 'incomplete'}/${p.status}`);
      else if (p.completeness.missing.length === 0) wrong.push(`${c.service}:${c.operation} × ${c.kind}: incomplete with no missing evidence named`);
    }
    expect(wrong).toEqual([]);
  });

  it('no control passes on evidence the fault took away', () => {
    const wrong: string[] = [];
    for (const c of cells.filter((x) => x.kind !== 'throttle burst' && x.packet)) {
      // Resources may be named differently (a key by ARN when its alias could not be listed): count passes per control.
      for (const control of c.packet!.controls) {
        const before = clean.controls.find((x) => x.id === control.id)?.counts.pass ?? 0;
        if (control.counts.pass > before) wrong.push(`${c.service}:${c.operation} × ${c.kind}: ${control.id} passes ${control.counts.pass} (clean: ${before})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
