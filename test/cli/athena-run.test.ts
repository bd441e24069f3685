/**
 * A whole `run` with `engine: athena` for inventory, access logs and CloudTrail, through the CLI,
 * against the wire-level fakes: S3, STS and KMS answer as AWS does, and Athena's calls (signed
 * for the tenant's role, to the same endpoint) reach the fake Athena, which executes the SQL on
 * DuckDB over the same files the archive bucket serves. The packet's figures equal those of a
 * run with the local engine over the same data; a FAILED or CANCELLED query and the scan limit
 * make the packet incomplete, name the query and its reason, and the run exits 3.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.js';
import { listFilesRecursive } from '../../src/util/hash.js';
import { gzippedCopy } from '../collect/cloudtrail/gzip-tree.js';
import { captured, cli } from '../support/cli.js';
import { fakeAthenaService, type FakeAthenaOptions } from '../support/fake-aws/athena.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';

const TENANT_ACCOUNT = '111122223333';
const ARCHIVE = 'evidence-archive';
const K1 = '1234abcd-12ab-34cd-56ef-1234567890ab';
const K2 = '0987dcba-09ba-43dc-65fe-0987654321ba';
const FIXTURES = path.resolve('test/fixtures');

let work: string;
/** What the archive bucket holds, on disk: inventory/, access-logs/, trail/. */
let archive: string;
let fake: FakeAws;
const savedEnv = { ...process.env };

/** s3://evidence-archive/X is the archive's X; the inventory's symlink.txt names its data files in the destination bucket the manifest names. */
function localOf(url: string): string {
  if (url.startsWith(`s3://${ARCHIVE}/`)) return path.join(archive, url.slice(`s3://${ARCHIVE}/`.length));
  if (url.startsWith('s3://example-inventory-destination-bucket/'))
    return path.join(archive, url.slice('s3://example-inventory-destination-bucket/'.length));
  throw new Error(`no local copy of ${url}`);
}

async function useAthena(over: Partial<FakeAthenaOptions> = {}): Promise<void> {
  fake.scenario.athena = await fakeAthenaService({ localOf, workgroups: { evidence: {} }, runningPolls: 0, ...over });
}

const ENGINE = 'engine: athena, workgroup: evidence, database: s3_evidence, resultsLocation: "s3://athena-results/q/"';

async function writeConfig(name: string, engines: { inventory?: string; accessLogs?: string; cloudTrail?: string }) {
  const lines = Object.entries(engines).map(([source, engine]) => `        ${source}: { ${engine} }`);
  const file = path.join(work, `${name}.yaml`);
  await writeFile(
    file,
    `version: 1
tenants:
  - id: lakeco
    displayName: Lake Co
    timeZone: Europe/Berlin
    accounts:
      - id: "${TENANT_ACCOUNT}"
        roleArn: arn:aws:iam::${TENANT_ACCOUNT}:role/EvidenceReader
        regions: [eu-west-1]
    sources:
      inventory: [s3://${ARCHIVE}/inventory/]
      accessLogs: [s3://${ARCHIVE}/access-logs/]
      cloudTrail: [s3://${ARCHIVE}/trail/]
${lines.length > 0 ? `      engines:\n${lines.join('\n')}\n` : ''}`,
  );
  return file;
}

async function run(config: string, out: string): Promise<{ code: number; packet: Packet }> {
  const code = await cli(
    'run',
    '--config',
    config,
    '--period',
    '2026-10',
    '--out',
    path.join(work, out),
    '--endpoint-url',
    fake.endpoint,
    '--quiet',
  );
  const packet = JSON.parse(
    await readFile(path.join(work, out, '2026-10', 'lakeco', 'packet.json'), 'utf8').catch(() => {
      throw new Error(`no packet (exit ${code}): ${captured.err}`);
    }),
  ) as Packet;
  return { code, packet };
}

/**
 * The figures a packet states: KPIs, coverage per bucket, refused uploads, key usage, verdicts,
 * findings, completeness. Left out: where in its log file a record lies (Athena names the file,
 * not the line) and how many log files lie outside the period (Athena never lists them: the
 * projected day folders are all it reads).
 */
function figures(p: Packet) {
  const { kpis, coverage, buckets, controls, findings, status, completeness } = p;
  const { deniedUploads, keyUsage } = p.sections;
  return JSON.parse(
    JSON.stringify(
      { kpis, coverage, buckets, deniedUploads, keyUsage, controls, findings, status, completeness },
      (k, v: unknown) =>
        k === 'evidence' || k === 'line' || k === 'record' || k === 'filesOutsidePeriod'
          ? undefined
          : typeof v === 'string'
            ? v.replace(/line (\d+|\?): /g, 'line …: ')
            : v,
    ),
  ) as object;
}

let local: { code: number; packet: Packet };
let athena: { code: number; packet: Packet };

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'athena-run-'));
  archive = path.join(work, 'archive');
  await cp(path.join(FIXTURES, 'inventory', 'basic'), path.join(archive, 'inventory'), { recursive: true });
  // S3 delivers hive/dt=…/symlink.txt beside each report: the data files of its manifest.
  const report = path.join(archive, 'inventory', 'example-source-bucket', 'daily-encryption');
  const manifest = JSON.parse(await readFile(path.join(report, '2026-11-01T06-00Z', 'manifest.json'), 'utf8')) as {
    files: Array<{ key: string }>;
  };
  await mkdir(path.join(report, 'hive', 'dt=2026-11-01-06-00'), { recursive: true });
  await writeFile(
    path.join(report, 'hive', 'dt=2026-11-01-06-00', 'symlink.txt'),
    manifest.files.map((f) => `s3://example-inventory-destination-bucket/${f.key}\n`).join(''),
  );
  await cp(path.join(FIXTURES, 'access-logs', 'partitioned'), path.join(archive, 'access-logs'), { recursive: true });
  const trail = await gzippedCopy(path.join(FIXTURES, 'cloudtrail'));
  await cp(trail, path.join(archive, 'trail'), { recursive: true });
  await rm(trail, { recursive: true, force: true });
  const objects: Record<string, Buffer> = {};
  for (const rel of await listFilesRecursive(archive)) objects[rel] = await readFile(path.join(archive, rel));

  const policy = (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  fake = await startFakeAws({
    caller: { accessKeyId: 'AKIDRUNNER', account: '123456789012', arn: 'arn:aws:iam::123456789012:role/runner' },
    accounts: [
      {
        id: TENANT_ACCOUNT,
        role: { name: 'EvidenceReader' },
        buckets: [
          {
            name: 'example-source-bucket',
            region: 'eu-west-1',
            encryption: { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:eu-west-1:${TENANT_ACCOUNT}:key/${K1}` },
            policy: policy('example-source-bucket'),
          },
          { name: 'acme-data', region: 'eu-west-1', encryption: { algorithm: 'AES256' }, policy: policy('acme-data') },
        ],
        keys: [
          { id: K1, region: 'eu-west-1', rotation: { enabled: true } },
          { id: K2, region: 'eu-west-1', rotation: { enabled: false } },
        ],
      },
      {
        id: '999999999999',
        buckets: [{ name: ARCHIVE, region: 'eu-west-1', objects, readableBy: [TENANT_ACCOUNT] }],
      },
    ],
  });
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDRUNNER', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-west-1' });
  delete process.env.AWS_PROFILE;

  local = await run(await writeConfig('local', {}), 'local');
  await useAthena();
  athena = await run(
    await writeConfig('athena', { inventory: ENGINE, accessLogs: ENGINE, cloudTrail: ENGINE }),
    'athena',
  );
}, 180_000);

afterAll(async () => {
  process.env = savedEnv;
  await fake?.close();
  await rm(work, { recursive: true, force: true });
});

describe('run with engine: athena for every source', () => {
  it("states the figures the local engine's run states over the same data", () => {
    expect(figures(athena.packet)).toEqual(figures(local.packet));
    expect(athena.code).toBe(local.code);
  });

  it('the figures are those of the data, not of two empty runs', () => {
    const p = local.packet;
    // Independently of both engines: the basic inventory fixture and the CloudTrail fixture's October events.
    expect(p.coverage.measuredBuckets).toBe(1);
    expect(p.coverage.total.objects).toBeGreaterThan(0);
    expect(p.coverage.unencrypted.objects).toBeGreaterThan(0);
    expect(p.sections.deniedUploads.state).toBe('collected');
    expect(p.sections.keyUsage.state).toBe('collected');
    const denied = p.sections.deniedUploads;
    expect(denied.state === 'collected' && denied.bySource.accessLogs > 0 && denied.bySource.cloudTrail > 0).toBe(true);
    expect(JSON.stringify(p.sections.keyUsage)).toContain(K1);
    expect(p.completeness.missing.map((m) => m.reason)).toContain(
      'no S3 Inventory report for bucket acme-data (looked in s3://evidence-archive/inventory/acme-data/)',
    );
  });

  it("every source's queries are in the evidence, with ids, SQL, data scanned and cost", async () => {
    const calls = fake.scenario.athena!.calls;
    const started = calls.filter((c) => c.operation === 'StartQueryExecution').map((c) => String(c.input.QueryString));
    expect(started.some((q) => q.includes("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'"))).toBe(true);
    expect(started.some((q) => q.includes("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'"))).toBe(true);
    expect(started.some((q) => q.includes("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'"))).toBe(true);
    const evidence = path.join(work, 'athena', '2026-10', 'lakeco', 'evidence');
    const texts = await Promise.all(
      (await listFilesRecursive(evidence)).map((f) => readFile(path.join(evidence, f), 'utf8')),
    );
    const all = texts.join('\n');
    for (const purpose of ['inventory tally', 'access-log denied uploads', 'CloudTrail KMS calls'])
      expect(all).toContain(`"purpose": "${purpose}"`);
    expect(all).toMatch(/"queryId": "fake-query-\d{4}"/);
    expect(all).toMatch(/"dataScannedBytes": [1-9]\d*/);
    expect(all).toContain('"costUsd": 0.00005');
  });
});

describe('run with engine: athena when a query does not give its rows', () => {
  const cases = [
    {
      name: 'a FAILED CloudTrail query',
      engines: { cloudTrail: ENGINE },
      athena: {
        faults: [
          { sql: /AS calls/, state: 'FAILED' as const, reason: 'HIVE_CURSOR_ERROR: Row is not a valid JSON Object' },
        ],
      },
      reason: /CloudTrail KMS calls: query fake-query-\d+ FAILED: HIVE_CURSOR_ERROR: Row is not a valid JSON Object/,
    },
    {
      name: 'a CANCELLED inventory query',
      engines: { inventory: ENGINE },
      athena: {
        faults: [{ sql: /row_class/, state: 'CANCELLED' as const, reason: 'Query was cancelled by the user' }],
      },
      reason: /inventory tally: query fake-query-\d+ CANCELLED: Query was cancelled by the user/,
    },
    {
      name: "an access-log query past the workgroup's scan cutoff",
      engines: { accessLogs: ENGINE },
      athena: { workgroups: { evidence: { bytesScannedCutoffPerQuery: 1 } } },
      reason: /access-log totals: query fake-query-\d+ CANCELLED: Query cancelled! : Bytes scanned limit was exceeded/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the packet is incomplete with the query's reason, and the run exits 3`, async () => {
      await useAthena(c.athena);
      const name = c.name.replace(/\W+/g, '-');
      const got = await run(await writeConfig(name, c.engines), name);
      expect(got.code).toBe(3);
      expect(got.packet.completeness.complete).toBe(false);
      const reasons = got.packet.completeness.missing.map((m) => `${m.scope} ${m.source} ${m.reason}`).join('\n');
      expect(reasons).toMatch(c.reason);
      // The local run of the same data was complete in what this source gives: the gap is the query's.
      expect(local.packet.completeness.missing.map((m) => m.reason).join('\n')).not.toMatch(c.reason);
    });
  }
});
