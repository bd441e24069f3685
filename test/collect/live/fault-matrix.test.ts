/**
 * Fault matrix for live collection: every operation a clean run sends (read from the fake's recorder,
 * not listed here) × every kind of fault, each cell the collect stage of a run against its own fake
 * endpoint and the packet analysis derives from that evidence (rendering is not under test here).
 * In each cell the run completes, the packet is incomplete and names the faulted operation with the
 * fault's error, the controls that need that evidence are NOT EVALUATED for the resource it was about,
 * and no control passes more often than in the clean run — except a throttling burst the SDK retries
 * through, whose packet must equal the clean run's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSources, type LiveSetup } from '../../../src/collect/live/index.js';
import { periodFor } from '../../../src/config/period.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { MissingEvidence, Packet } from '../../../src/model/packet.js';
import { derivePacket } from '../../../src/pipeline/analyze-folder.js';
import { stableJson } from '../../../src/util/atomic-write.js';
import { collectTenantEvidence, type LiveCollection } from '../../../src/pipeline/run-tenant.js';
import { testOptions } from '../../support/fake-aws/harness.js';
import { inventoryReportObjects } from '../../support/fake-aws/inventory-report.js';
import { startFakeAws, type Fault, type Scenario, type Service } from '../../support/fake-aws/index.js';
import type { FaultAction } from '../../support/fake-aws/scenario.js';

const A = '111111111111';
const KEY = 'k-data-0001';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyNoSse',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-data/*',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    },
  ],
});

const BUCKET_SSE = JSON.stringify({
  rules: [
    {
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: 'aws:kms',
        kmsMasterKeyID: `arn:aws:kms:eu-west-1:${A}:key/${KEY}`,
      },
      bucketKeyEnabled: true,
    },
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
            // ListBuckets does not name the region, so GetBucketLocation is what finds it.
            listedRegion: null,
            encryption: {
              algorithm: 'aws:kms',
              kmsKeyId: `arn:aws:kms:eu-west-1:${A}:key/${KEY}`,
              bucketKeyEnabled: true,
              blockedEncryptionTypes: ['SSE-C'],
            },
            policy: POLICY,
            publicAccessBlock: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
            tags: { tenant: 'acme' },
            inventory: [{ id: 'daily', destinationBucket: 'acme-inventory', prefix: 'inv' }],
            // Every further read answers with content, so a wrong shape cannot pass for "not set".
            policyIsPublic: false,
            logging: { targetBucket: 'acme-logs', targetPrefix: 'acme-data/' },
            versioning: 'Enabled',
            objectLock: { mode: 'GOVERNANCE', days: 30 },
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
        keys: [
          {
            id: KEY,
            region: 'eu-west-1',
            aliases: ['alias/acme-data'],
            rotation: { enabled: true },
            tags: { tenant: 'acme' },
          },
        ],
        configRecorders: [{ region: 'eu-west-1', recording: true }],
        configRules: [
          {
            region: 'eu-west-1',
            name: 'sse',
            sourceIdentifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED',
            results: [{ resourceType: 'AWS::S3::Bucket', resourceId: 'acme-data', compliance: 'COMPLIANT' }],
          },
        ],
        // Recorded history for both resources, so every GetResourceConfigHistory answers with items
        // (a fault that alters an answer's body needs an answer: "not discovered" is an error).
        configHistory: [
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-09-20T08:00:00Z',
            supplementaryConfiguration: { ServerSideEncryptionConfiguration: BUCKET_SSE },
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'acme-data',
            captureTime: '2026-10-05T10:00:00Z',
            supplementaryConfiguration: { ServerSideEncryptionConfiguration: BUCKET_SSE },
            relatedEvents: ['ev-1'],
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::KMS::Key',
            resourceId: KEY,
            captureTime: '2026-09-01T00:00:00Z',
            configuration: JSON.stringify({ keyId: KEY, keyState: 'Enabled' }),
          },
          {
            region: 'eu-west-1',
            resourceType: 'AWS::KMS::Key',
            resourceId: KEY,
            captureTime: '2026-10-12T00:00:00Z',
            configuration: JSON.stringify({ keyId: KEY, keyState: 'Enabled' }),
          },
        ],
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

type FaultKind =
  'AccessDenied' | 'throttle burst' | 'throttled' | '500' | 'reset' | 'timeout' | 'truncated' | 'wrong shape';
const FAULT_KINDS: FaultKind[] = [
  'AccessDenied',
  'throttle burst',
  'throttled',
  '500',
  'reset',
  'timeout',
  'truncated',
  'wrong shape',
];

const ACCESS_DENIED: Record<Service, { code: string; status: number }> = {
  s3: { code: 'AccessDenied', status: 403 },
  s3tables: { code: 'AccessDeniedException', status: 403 },
  s3express: { code: 'AccessDenied', status: 403 },
  sts: { code: 'AccessDenied', status: 403 },
  kms: { code: 'AccessDeniedException', status: 400 },
  cloudtrail: { code: 'AccessDeniedException', status: 400 },
  config: { code: 'AccessDeniedException', status: 400 },
  athena: { code: 'AccessDeniedException', status: 400 },
};
const INTERNAL: Record<Service, string> = {
  s3: 'InternalError',
  s3tables: 'InternalServerErrorException',
  s3express: 'InternalError',
  sts: 'InternalFailure',
  kms: 'KMSInternalException',
  cloudtrail: 'InternalFailure',
  config: 'InternalFailure',
  athena: 'InternalServerException',
};

function faultFor(service: Service, operation: string, kind: FaultKind): Fault {
  const at = { service, operation };
  const action: Record<FaultKind, { action: FaultAction; times?: number }> = {
    AccessDenied: { action: { kind: 'error', ...ACCESS_DENIED[service], message: 'Access Denied' } },
    'throttle burst': { action: { kind: 'throttle' }, times: 1 },
    throttled: { action: { kind: 'throttle' } },
    '500': {
      action: { kind: 'error', code: INTERNAL[service], status: 500, message: 'We encountered an internal error.' },
    },
    reset: { action: { kind: 'reset' } },
    timeout: { action: { kind: 'hang' } },
    truncated: { action: { kind: 'truncate' } },
    'wrong shape': { action: { kind: 'wrong-shape' } },
  };
  return { ...at, ...action[kind] };
}

/**
 * What the packet must say the fault took away, written from the fault's side: the error code
 * (or, for a fault on the wire, the words of the failure) expected in the named missing evidence.
 */
const EXPECTED_ERROR: Record<Exclude<FaultKind, 'throttle burst'>, RegExp> = {
  AccessDenied: /AccessDenied/,
  throttled: /Throttl|SlowDown|TooManyRequests/,
  '500': /InternalError|InternalFailure|KMSInternalException|InternalServerErrorException/,
  reset: /ECONNRESET|socket hang up|reset/i,
  timeout: /Timeout|timed out/i,
  truncated: /ECONNRESET|socket hang up|aborted|premature|Deserializ|Unreadable|closed|truncated|end of/i,
  'wrong shape': /UnreadableEvidence|Deserializ|SerializationException|does not have the documented shape|unparsable/i,
};

const BUCKET = 'acme-data';
const KEY_NAMES = ['alias/acme-data', `arn:aws:kms:eu-west-1:${A}:key/${KEY}`];
const BUCKET_CONTROLS = [
  's3-default-encryption-enabled',
  's3-default-encryption-matches-expectation',
  's3-objects-encrypted',
  's3-policy-denies-insecure-transport',
  's3-policy-denies-unencrypted-uploads',
];
const EVERYTHING = [...BUCKET_CONTROLS, 'kms-customer-keys-rotate'];

/**
 * Controls whose verdict about the bucket or key needs what the operation reads. Without it, the
 * control is NOT EVALUATED for that resource, or the resource is not judged at all (its scope could
 * not be read); either way it never passes.
 */
const NEEDED_BY: Record<string, string[]> = {
  'sts:GetCallerIdentity': EVERYTHING,
  'sts:AssumeRole': EVERYTHING,
  's3:ListBuckets': EVERYTHING,
  's3:GetBucketTagging': EVERYTHING,
  's3:GetBucketEncryption': [
    's3-default-encryption-enabled',
    's3-default-encryption-matches-expectation',
    'kms-customer-keys-rotate',
  ],
  's3:GetBucketPolicy': ['s3-policy-denies-insecure-transport', 's3-policy-denies-unencrypted-uploads'],
  's3:ListObjectsV2': ['s3-objects-encrypted'],
  's3:GetObject': ['s3-objects-encrypted'],
  'kms:DescribeKey': ['kms-customer-keys-rotate'],
  'kms:GetKeyRotationStatus': ['kms-customer-keys-rotate'],
};

/** How the missing evidence names an operation whose failure is not a record of its own. */
const NAMED_AS: Record<string, RegExp> = {
  'sts:GetCallerIdentity': /sts:GetCallerIdentity/,
  'sts:AssumeRole': /sts:AssumeRole|cannot assume/,
  's3:GetBucketTagging': /tags could not be read/,
  // A location that does not answer gives the region up for the run (NotAttempted after it): the
  // bucket's scope is then undetermined, named with the region's failure.
  's3:GetBucketLocation': /GetBucketLocation|did not answer/,
  's3:ListObjectsV2': /S3 Inventory/,
  's3:GetObject': /S3 Inventory/,
};

interface Cell {
  operation: string;
  service: Service;
  kind: FaultKind;
  packet?: Packet;
  error?: string;
  sent?: number;
}

const id = (o: { service: Service; operation: string }) => `${o.service}:${o.operation}`;

async function runOnce(faults: Fault[]): Promise<{ packet: Packet; calls: { service: Service; operation: string }[] }> {
  const fake = await startFakeAws(scenario(faults));
  const out = await mkdtemp(path.join(os.tmpdir(), 's3e-faults-'));
  let setup: LiveSetup | undefined;
  const live: LiveCollection = {
    async sources(t) {
      setup = await liveSources(
        t,
        testOptions(fake, { maxAttempts: config.collection.maxAttempts, timeoutMs: config.collection.timeoutMs }),
      );
      return {
        sources: setup.sources,
        configSources: setup.configSources,
        identity: setup.identity,
        problems: setup.problems,
      };
    },
    s3ForTrees: () => setup!.treeS3,
  };
  try {
    // The collect stage of `run` into a folder, then the analysis `verify` re-derives packet.json with.
    await collectTenantEvidence(
      {
        config: { ...config, baselineDir: path.join(out, 'baseline'), exceptionsDir: path.join(out, 'exceptions') },
        configSha256: '0'.repeat(64),
        tenant,
        period: periodFor('2026-10', 'UTC'),
        outDir: out,
        now: new Date('2026-11-02T08:00:00Z'),
        live,
      },
      out,
    );
    // The output folder is a fresh temporary one per run: name it alike so packets compare.
    const packet = JSON.parse(
      stableJson((await derivePacket(out)).packet)
        .split(out)
        .join('<out>'),
    ) as Packet;
    return { packet, calls: fake.recorder.calls.map((c) => ({ service: c.service, operation: c.operation })) };
  } finally {
    setup?.close();
    await fake.close();
    await rm(out, { recursive: true, force: true });
  }
}

/** What a packet says, without the act of collecting (time, request ids, evidence hashes). */
function substance(p: Packet): unknown {
  const { generatedAt: _g, collection: _c, evidence: _e, ...rest } = p;
  return JSON.parse(JSON.stringify(rest).replace(/FAKE[A-Z]+\d{8}/g, '<request-id>'));
}

/** The missing evidence that names the cell's operation. */
function namedItems(c: Cell): MissingEvidence[] {
  const op = id(c);
  const named = NAMED_AS[op];
  return c.packet!.completeness.missing.filter(
    (m) =>
      m.source === op ||
      (named ? named.test(`${m.source} ${m.reason}`) : `${m.source} ${m.reason}`.includes(c.operation)),
  );
}

let clean: Packet;
let operations: { service: Service; operation: string }[] = [];
const cells: Cell[] = [];
let seconds = 0;

beforeAll(async () => {
  const started = performance.now();
  const first = await runOnce([]);
  clean = first.packet;
  const seen = new Map(first.calls.map((c) => [id(c), c]));
  operations = [...seen.values()];
  for (const { service, operation } of operations)
    for (const kind of FAULT_KINDS) cells.push({ service, operation, kind });
  // A retried-through burst changes nothing, so every operation gets its burst in one run together.
  const burst = await runOnce(operations.map((o) => faultFor(o.service, o.operation, 'throttle burst')));
  for (const cell of cells.filter((c) => c.kind === 'throttle burst')) {
    cell.packet = burst.packet;
    cell.sent = burst.calls.filter((c) => c.operation === cell.operation).length;
  }
  // Cells are independent (one fake each); run several at once so the timeouts overlap.
  const queue = cells.filter((c) => c.kind !== 'throttle burst');
  await Promise.all(
    Array.from({ length: 12 }, async () => {
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
}, 300_000);

/** "incomplete AccessDenied": the packet's state and the error it names for the operation. */
function outcome(c: Cell): string {
  if (c.error) return 'CRASH';
  if (!c.packet) return '-';
  const p = c.packet;
  const state = p.status === 'compliant' ? 'COMPLIANT' : p.completeness.complete ? `complete ${p.status}` : p.status;
  if (c.kind === 'throttle burst') return `${state} (retried)`;
  const code =
    namedItems(c)[0]?.reason.match(/^([A-Za-z]+):/)?.[1] ?? (namedItems(c).length > 0 ? 'named' : 'NOT NAMED');
  return `${state} ${code}`;
}

afterAll(() => {
  const width = Math.max(...operations.map((o) => id(o).length));
  const col = Math.max(16, ...cells.map((c) => outcome(c).length + 6));
  const lines = [
    `fault matrix: ${operations.length} operations × ${FAULT_KINDS.length} faults = ${cells.length} cells in ${seconds.toFixed(1)} s`,
  ];
  lines.push(`${''.padEnd(width)} | ${FAULT_KINDS.map((k) => k.padEnd(col)).join(' | ')}`);
  for (const o of operations) {
    const row = FAULT_KINDS.map((k) => {
      const c = cells.find((x) => x.operation === o.operation && x.service === o.service && x.kind === k)!;
      return outcome(c).padEnd(col);
    });
    lines.push(`${id(o).padEnd(width)} | ${row.join(' | ')}`);
  }
  console.log(lines.join('\n'));
});

const faulted = () => cells.filter((c) => c.kind !== 'throttle burst' && c.packet);

describe('fault matrix', () => {
  it('the clean run is complete and compliant, reads S3, S3 Express One Zone, S3 Tables, KMS, STS and AWS Config, and judges the bucket and key', () => {
    expect([clean.completeness.complete, clean.status]).toEqual([true, 'compliant']);
    expect([...new Set(operations.map((o) => o.service))].sort()).toEqual([
      'config',
      'kms',
      's3',
      's3express',
      's3tables',
      'sts',
    ]);
    for (const control of EVERYTHING) {
      const resources = clean.controls.find((c) => c.id === control)!.resources;
      expect(
        resources.map((r) => [r.resource, r.verdict]),
        control,
      ).toEqual([[control.startsWith('kms') ? 'alias/acme-data' : BUCKET, 'pass']]);
    }
    // Every operation the matrix expects verdicts of is one the run really sends.
    for (const op of Object.keys(NEEDED_BY)) expect(operations.map(id), op).toContain(op);
  });

  it('every cell completes (no crash)', () => {
    expect(cells.filter((c) => c.error).map((c) => `${id(c)} × ${c.kind}: ${c.error}`)).toEqual([]);
  });

  it('a throttling burst on every operation at once is retried through and gives the clean packet', () => {
    const burst = cells.filter((c) => c.kind === 'throttle burst');
    for (const c of burst) expect(c.sent, c.operation).toBeGreaterThanOrEqual(2);
    expect(substance(burst[0]!.packet!)).toEqual(substance(clean));
  });

  it('every other fault leaves the packet incomplete, never compliant', () => {
    const wrong = faulted()
      .filter((c) => c.packet!.completeness.complete || c.packet!.status === 'compliant')
      .map((c) => `${id(c)} × ${c.kind}: ${outcome(c)}`);
    expect(wrong).toEqual([]);
  });

  it('the packet names the faulted operation with the error the fault caused', () => {
    const wrong: string[] = [];
    for (const c of faulted()) {
      const items = namedItems(c);
      if (items.length === 0)
        wrong.push(`${id(c)} × ${c.kind}: not named; missing: ${JSON.stringify(c.packet!.completeness.missing)}`);
      else if (!items.some((m) => EXPECTED_ERROR[c.kind as Exclude<FaultKind, 'throttle burst'>].test(m.reason))) {
        wrong.push(`${id(c)} × ${c.kind}: named with ${JSON.stringify(items.map((m) => m.reason))}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the controls that need the faulted evidence are not evaluated for its bucket or key', () => {
    const wrong: string[] = [];
    for (const c of faulted()) {
      for (const controlId of NEEDED_BY[id(c)] ?? []) {
        const control = c.packet!.controls.find((x) => x.id === controlId)!;
        const names = controlId.startsWith('kms') ? KEY_NAMES : [BUCKET];
        const row = control.resources.find((r) => names.includes(r.resource));
        // A resource whose scope could not be read is not judged at all; then the control must not pass.
        const verdict = row ? row.verdict : `absent, control ${control.verdict}`;
        if (row ? row.verdict !== 'not_evaluated' : control.verdict === 'pass')
          wrong.push(`${id(c)} × ${c.kind}: ${controlId} ${verdict}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an answer of the wrong shape is named as unreadable evidence with the field that departs', () => {
    const wrong: string[] = [];
    // GetBucketPolicy's answer is the policy document itself: a document of the wrong structure is the
    // policy analyzer's to name ("unparsable", with the statement), checked by the naming test above.
    for (const c of faulted().filter((x) => x.kind === 'wrong shape' && id(x) !== 's3:GetBucketPolicy')) {
      // "<field>: expected …, got …" as answers.ts words it; a wire-level failure (Deserialization) names none.
      const reasons = namedItems(c).map((m) => m.reason);
      if (
        !reasons.some(
          (r) =>
            /UnreadableEvidence\b.*\b[\w.[\]]+: expected .+, got /.test(r) ||
            /Deserializ|SerializationException/.test(r),
        )
      ) {
        wrong.push(`${id(c)}: ${JSON.stringify(reasons)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("a faulted history read leaves that resource's history unread (no changes, no authors), never an empty history", () => {
    const history = (p: Packet) => (p.sections.awsConfig.state === 'collected' ? p.sections.awsConfig.history : []);
    // In the clean run both resources' histories are read, and the bucket's holds the period's change.
    expect(history(clean).map((h) => [h.resourceType, h.resourceId, h.state, h.changes.map((x) => x.time)])).toEqual([
      ['AWS::KMS::Key', KEY, 'read', ['2026-10-12T00:00:00Z']],
      ['AWS::S3::Bucket', BUCKET, 'read', ['2026-10-05T10:00:00Z']],
    ]);
    const wrong: string[] = [];
    for (const c of faulted().filter((x) => id(x) === 'config:GetResourceConfigHistory')) {
      for (const h of history(c.packet!)) {
        if (h.state !== 'unreadable' || h.changes.length > 0)
          wrong.push(`${c.kind}: ${h.resourceId} ${h.state}, ${h.changes.length} changes`);
      }
      if (history(c.packet!).length !== 2) wrong.push(`${c.kind}: ${history(c.packet!).length} history rows`);
    }
    expect(wrong).toEqual([]);
  });

  it('no control passes more often than in the clean run', () => {
    const wrong: string[] = [];
    for (const c of faulted()) {
      for (const control of c.packet!.controls) {
        const before = clean.controls.find((x) => x.id === control.id)?.counts.pass ?? 0;
        if (control.counts.pass > before)
          wrong.push(`${id(c)} × ${c.kind}: ${control.id} passes ${control.counts.pass} (clean: ${before})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
