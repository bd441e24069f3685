/**
 * The demo environment served live: the fake AWS endpoint is built from the demo's offline export
 * (same buckets, policies, keys, refusals; inventory reports and logs as objects in an archive
 * bucket), the real SDK clients collect it, and the packet must say what the offline packet says.
 * Only what is about the collection itself may differ (time, mode, identity, evidence hashes).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import type { Config, TenantConfig } from '../../src/config/schema.js';
import { liveSources, type LiveSetup } from '../../src/collect/live/index.js';
import type { Packet } from '../../src/model/packet.js';
import { runTenant, type LiveCollection } from '../../src/pipeline/run-tenant.js';
import { listFilesRecursive } from '../../src/util/hash.js';
import { testOptions } from '../support/fake-aws/harness.js';
import {
  startFakeAws,
  type FakeAccount,
  type FakeAws,
  type FakeBucket,
  type FakeKey,
  type FakeTableBucket,
  type FakeDirectoryBucket,
  type Fault,
  type Scenario,
} from '../support/fake-aws/index.js';
import { demoWorkspace } from '../support/demo-workspace.js';

const ARCHIVE_ACCOUNT = '999999999999';
const ARCHIVE = 'demo-archive';
const OPERATION_OF: Record<string, string> = {
  'get-bucket-encryption': 'GetBucketEncryption',
  'get-bucket-policy': 'GetBucketPolicy',
  'get-public-access-block': 'GetPublicAccessBlock',
  'get-bucket-tagging': 'GetBucketTagging',
};

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let fake: FakeAws;
const offline: Record<string, Packet> = {};
const live: Record<string, Packet> = {};

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
const cliErrorCode = (file: string) => /An error occurred \((\w+)\)/.exec(readFileSync(file, 'utf8'))?.[1];

/** One tenant account of the demo export, as the fake endpoint's declarative account. */
function accountFromExport(
  dir: string,
  id: string,
  faults: Fault[],
): { account: FakeAccount; foreign: Array<{ account: string; key: FakeKey }> } {
  const buckets: FakeBucket[] = [];
  for (const b of readJson(path.join(dir, 's3api', 'list-buckets.json')).Buckets as Array<{
    Name: string;
    CreationDate: string;
    BucketRegion?: string;
  }>) {
    const bd = path.join(dir, 's3api', b.Name);
    const location = readJson(path.join(bd, 'get-bucket-location.json')).LocationConstraint as string | null;
    // The list says what the export's list says: without BucketRegion, the region is GetBucketLocation's.
    const bucket: FakeBucket = {
      name: b.Name,
      region: location ?? 'us-east-1',
      creationDate: b.CreationDate,
      listedRegion: b.BucketRegion ?? null,
    };
    const enc = path.join(bd, 'get-bucket-encryption.json');
    if (existsSync(enc)) {
      const rule = readJson(enc).ServerSideEncryptionConfiguration.Rules[0];
      bucket.encryption = {
        algorithm: rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
        bucketKeyEnabled: rule.BucketKeyEnabled,
        ...(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID
          ? { kmsKeyId: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID }
          : {}),
        ...(rule.BlockedEncryptionTypes ? { blockedEncryptionTypes: rule.BlockedEncryptionTypes.EncryptionType } : {}),
      };
    }
    const policy = path.join(bd, 'get-bucket-policy.json');
    if (existsSync(policy)) bucket.policy = readJson(policy).Policy;
    const tags = path.join(bd, 'get-bucket-tagging.json');
    if (existsSync(tags))
      bucket.tags = Object.fromEntries(
        (readJson(tags).TagSet as Array<{ Key: string; Value: string }>).map((t) => [t.Key, t.Value]),
      );
    bucket.publicAccessBlock = readJson(path.join(bd, 'get-public-access-block.json')).PublicAccessBlockConfiguration;
    for (const f of readdirSync(bd).filter((n) => n.endsWith('.error.txt'))) {
      const code = cliErrorCode(path.join(bd, f));
      if (code === 'AccessDenied')
        faults.push({
          service: 's3',
          operation: OPERATION_OF[f.replace('.error.txt', '')]!,
          bucket: b.Name,
          action: { kind: 'error', code, status: 403, message: 'Access Denied' },
        });
    }
    buckets.push(bucket);
  }
  const keys: FakeKey[] = [];
  const foreign: Array<{ account: string; key: FakeKey }> = [];
  for (const region of readdirSync(path.join(dir, 'kms'))) {
    const aliasFile = path.join(dir, 'kms', region, 'list-aliases.json');
    const aliases = (existsSync(aliasFile) ? readJson(aliasFile).Aliases : []) as Array<{
      AliasName: string;
      TargetKeyId: string;
    }>;
    for (const keyId of readdirSync(path.join(dir, 'kms', region)).filter((n) => n !== 'list-aliases.json')) {
      const kd = path.join(dir, 'kms', region, keyId);
      if (!existsSync(path.join(kd, 'describe-key.json'))) {
        // The export could not describe it: a key of another account that never granted access.
        foreign.push({ account: '444444444444', key: { id: keyId, region, rotation: { enabled: true } } });
        continue;
      }
      const meta = readJson(path.join(kd, 'describe-key.json')).KeyMetadata;
      // Imported key material has no rotation status (KMS does not rotate it): the export did not ask.
      const rotationFile = path.join(kd, 'get-key-rotation-status.json');
      const rotation = existsSync(rotationFile) ? readJson(rotationFile) : { KeyRotationEnabled: false };
      keys.push({
        id: keyId,
        region,
        manager: meta.KeyManager,
        ...(meta.Origin !== 'AWS_KMS'
          ? { origin: meta.Origin, ...(meta.ValidTo ? { validTo: meta.ValidTo } : {}) }
          : {}),
        description: meta.Description,
        createdAt: '2022-01-10T09:00:00Z',
        aliases: aliases.filter((a) => a.TargetKeyId === keyId).map((a) => a.AliasName),
        rotation: {
          enabled: rotation.KeyRotationEnabled,
          ...(rotation.RotationPeriodInDays
            ? { periodDays: rotation.RotationPeriodInDays, nextRotationDate: '2027-01-10T09:00:00Z' }
            : {}),
        },
        policy: readJson(path.join(kd, 'get-key-policy.json')).Policy,
      });
    }
  }
  return {
    account: {
      id,
      role: { name: 'EvidenceReader' },
      buckets,
      keys,
      tableBuckets: tableBucketsOf(dir),
      directoryBuckets: directoryBucketsOf(dir),
    },
    foreign,
  };
}

/** The export's table buckets (s3tables/<region>/...), as the fake's declarative table buckets. */
function tableBucketsOf(dir: string): FakeTableBucket[] {
  const root = path.join(dir, 's3tables');
  if (!existsSync(root)) return [];
  const encryptionOf = (file: string) => {
    const c = readJson(file).encryptionConfiguration as { sseAlgorithm: 'AES256' | 'aws:kms'; kmsKeyArn?: string };
    return { algorithm: c.sseAlgorithm, ...(c.kmsKeyArn ? { kmsKeyArn: c.kmsKeyArn } : {}) };
  };
  const out: FakeTableBucket[] = [];
  for (const region of readdirSync(root)) {
    for (const b of readJson(path.join(root, region, 'list-table-buckets.json')).tableBuckets as Array<{
      name: string;
      createdAt: string;
    }>) {
      const bd = path.join(root, region, b.name);
      const tables = readJson(path.join(bd, 'list-tables.json')).tables as Array<{ namespace: string[]; name: string }>;
      const namespaces = (
        readJson(path.join(bd, 'list-namespaces.json')).namespaces as Array<{ namespace: string[] }>
      ).map((n) => ({
        name: n.namespace[0]!,
        tables: tables
          .filter((t) => t.namespace[0] === n.namespace[0])
          .map((t) => ({
            name: t.name,
            encryption: encryptionOf(path.join(bd, n.namespace[0]!, t.name, 'get-table-encryption.json')),
          })),
      }));
      out.push({
        name: b.name,
        region,
        createdAt: b.createdAt,
        encryption: encryptionOf(path.join(bd, 'get-table-bucket-encryption.json')),
        namespaces,
      });
    }
  }
  return out;
}

/** The export's directory buckets (s3express/<region>/...), as the fake's declarative directory buckets. */
function directoryBucketsOf(dir: string): FakeDirectoryBucket[] {
  const root = path.join(dir, 's3express');
  if (!existsSync(root)) return [];
  const out: FakeDirectoryBucket[] = [];
  for (const region of readdirSync(root)) {
    const listed = readJson(path.join(root, region, 'list-directory-buckets.json')).Buckets as Array<{
      Name: string;
      CreationDate: string;
    }>;
    for (const b of listed) {
      const bd = path.join(root, region, b.Name);
      const rule = readJson(path.join(bd, 'get-bucket-encryption.json')).ServerSideEncryptionConfiguration.Rules[0]
        .ApplyServerSideEncryptionByDefault as { SSEAlgorithm: 'AES256' | 'aws:kms'; KMSMasterKeyID?: string };
      const policyFile = path.join(bd, 'get-bucket-policy.json');
      out.push({
        name: b.Name,
        region,
        createdAt: b.CreationDate,
        encryption: {
          algorithm: rule.SSEAlgorithm,
          ...(rule.KMSMasterKeyID ? { kmsKeyArn: rule.KMSMasterKeyID } : {}),
        },
        ...(existsSync(policyFile) ? { policy: readJson(policyFile).Policy as string } : {}),
      });
    }
  }
  return out;
}

/** Inventory reports and logs as objects of the archive bucket, keyed as the export lays them out. */
async function archiveObjects(): Promise<Record<string, Buffer>> {
  const objects: Record<string, Buffer> = {};
  for (const top of ['inventory', 'logs']) {
    for (const rel of await listFilesRecursive(path.join(ws.exportsDir, top)))
      objects[`${top}/${rel}`] = readFileSync(path.join(ws.exportsDir, top, rel));
  }
  return objects;
}

function liveTenant(t: TenantConfig): TenantConfig {
  const rel = (loc: string) => `s3://${ARCHIVE}/${path.relative(ws.exportsDir, loc).split(path.sep).join('/')}/`;
  return {
    ...t,
    accounts: t.accounts.map((a) => ({
      id: a.id,
      regions: a.regions,
      roleArn: `arn:aws:iam::${a.id}:role/EvidenceReader`,
    })),
    sources: {
      inventory: t.sources.inventory.map(rel),
      accessLogs: t.sources.accessLogs.map(rel),
      cloudTrail: t.sources.cloudTrail.map(rel),
    },
  };
}

function liveCollection(): LiveCollection {
  let setup: LiveSetup | undefined;
  return {
    async sources(tenant) {
      setup = await liveSources(tenant, testOptions(fake));
      return {
        sources: setup.sources,
        configSources: setup.configSources,
        identity: setup.identity,
        problems: setup.problems,
      };
    },
    s3ForTrees: () => setup!.treeS3,
    close: () => setup?.close(),
  };
}

/**
 * What a packet says about the tenant, without what is about the act of collecting: when and by
 * whom, the evidence hashes, and where the log trees were read from (a folder vs an s3:// URL).
 * AWS Config is compared on its own below: the demo export holds no Config files, while live
 * accounts answer that they have no recorder.
 */
function substance(p: Packet): unknown {
  const { generatedAt: _g, collection: _c, evidence: _e, completeness, sections, ...rest } = p;
  const { awsConfig: _a, ...otherSections } = sections;
  // Where a tree was read appears in some reasons: name both roots alike.
  // Local locations are recorded relative to the configuration file's folder.
  const exportsRecorded = path.relative(path.join(ws.root, 'config'), ws.exportsDir);
  const sameRoot = (text: string) =>
    text.split(`${exportsRecorded}/`).join('<root>/').split(`s3://${ARCHIVE}/`).join('<root>/').replace(/\/\)/g, ')');
  const withoutLocations = JSON.parse(
    sameRoot(JSON.stringify(rest, (k, v: unknown) => (k === 'locations' ? undefined : v))),
  ) as object;
  return {
    ...withoutLocations,
    sections: JSON.parse(
      sameRoot(JSON.stringify(otherSections, (k, v: unknown) => (k === 'locations' ? undefined : v))),
    ) as object,
    completeness: {
      complete: completeness.complete,
      missing: completeness.missing.map((m) => [m.scope, m.source, sameRoot(m.reason).split(': ')[0]]),
    },
  };
}

beforeAll(async () => {
  ws = await demoWorkspace();
  const faults: Fault[] = [];
  const accounts: FakeAccount[] = [];
  const foreign = new Map<string, FakeKey[]>();
  for (const t of ws.config.tenants) {
    for (const a of t.accounts) {
      const built = accountFromExport(a.offlineExport!, a.id, faults);
      accounts.push(built.account);
      for (const f of built.foreign) foreign.set(f.account, [...(foreign.get(f.account) ?? []), f.key]);
    }
  }
  for (const [id, keys] of foreign) accounts.push({ id, buckets: [], keys });
  accounts.push({
    id: ARCHIVE_ACCOUNT,
    buckets: [
      {
        name: ARCHIVE,
        region: 'us-east-1',
        objects: await archiveObjects(),
        readableBy: ws.config.tenants.flatMap((t) => t.accounts.map((a) => a.id)),
      },
    ],
  });
  const scenario: Scenario = {
    caller: {
      accessKeyId: 'AKIDDEMOCALLER',
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/msp-auditor',
    },
    accounts,
    faults,
  };
  fake = await startFakeAws(scenario);

  const liveConfig: Config = { ...ws.config, tenants: ws.config.tenants.map(liveTenant) };
  for (const t of ws.config.tenants) {
    const args = {
      configSha256: 'f'.repeat(64),
      period: periodFor('2026-10', t.timeZone),
      now: new Date('2026-11-01T06:00:00Z'),
    };
    const off = await runTenant({ ...args, config: ws.config, tenant: t, outDir: path.join(ws.root, 'offline') });
    offline[t.id] = JSON.parse(readFileSync(path.join(off.folder, 'packet.json'), 'utf8')) as Packet;
    const lt = liveConfig.tenants.find((x) => x.id === t.id)!;
    const on = await runTenant({
      ...args,
      config: liveConfig,
      tenant: lt,
      outDir: path.join(ws.root, 'live'),
      live: liveCollection(),
    });
    live[t.id] = JSON.parse(readFileSync(path.join(on.folder, 'packet.json'), 'utf8')) as Packet;
  }
}, 180_000);

afterAll(async () => {
  await fake?.close();
  rmSync(ws.root, { recursive: true, force: true });
});

describe('live collection of the demo environment', () => {
  it.each(['northwind', 'acme', 'globex'])('%s: the live packet says what the offline packet says', (tenant) => {
    expect(live[tenant]!.collection.mode).toBe('live');
    expect(offline[tenant]!.collection.mode).toBe('offline');
    expect(substance(live[tenant]!)).toEqual(substance(offline[tenant]!));
  });

  it('AWS Config: the export has no Config files (not collected); live accounts have no recorder (not recording, not missing)', () => {
    const off = offline.acme!.sections.awsConfig;
    expect(off.state === 'not_collected' && off.reason).toBe(
      'no AWS Config evidence (account 222222222222: the offline export ../output/demo-export/accounts/222222222222 has no configservice/ folder)',
    );
    const on = live.acme!.sections.awsConfig;
    expect(on.state).toBe('collected');
    if (on.state !== 'collected') return;
    expect(on.recorders.map((r) => [r.account, r.region, r.state, r.text])).toEqual([
      [
        '222222222222',
        'eu-west-1',
        'not_recording',
        'AWS Config is not recording in 222222222222/eu-west-1 (no configuration recorder)',
      ],
      [
        '222222222222',
        'us-east-1',
        'not_recording',
        'AWS Config is not recording in 222222222222/us-east-1 (no configuration recorder)',
      ],
    ]);
    expect(on.rules).toEqual([]);
    expect(live.acme!.completeness.missing.filter((m) => m.source.startsWith('config:'))).toEqual([]);
  });

  it('the live packets record the identity that collected them', () => {
    expect(live.acme!.collection.identity?.arn).toBe('arn:aws:iam::123456789012:user/msp-auditor');
  });
});
