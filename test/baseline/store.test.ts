import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildDriftSection } from '../../src/analyze/drift/index.js';
import {
  BaselineExistsError,
  BaselineFileError,
  baselineStore,
  folderBackend,
  type BaselineBackend,
} from '../../src/baseline/index.js';
import { snapshotFromEvidence } from '../../src/evidence/baseline-snapshot.js';
import { registerBaselineCommands } from '../../src/cli/baseline-command.js';
import { UsageError } from '../../src/errors.js';
import { loadEvidence } from '../../src/evidence/evidence-store.js';
import { bucketEvidence, kmsRule, tenantEvidence } from '../support/evidence-builders.js';
import { customerKey, KEY_ARN, writePacketFolder } from './packet-folder.js';

const TLS = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const READ = {
  Sid: 'AppRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::acme-data/*',
};
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

function evidenceFor(period: string, statements: object[]) {
  const ev = tenantEvidence(
    [
      bucketEvidence({
        name: 'acme-data',
        encryption: kmsRule('aws:kms', KEY_ARN),
        policy: { Version: '2012-10-17', Statement: statements },
      }),
    ],
    [customerKey(true, KEY_POLICY)],
  );
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return {
    ...ev,
    period: { label: period, timeZone: 'UTC', startUtc: `${period}-01T00:00:00Z`, endUtc: `${next}-01T00:00:00Z` },
  };
}

let root: string;
let out: string;
let baselineDir: string;
let printed: string[];

async function cli(...args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  let clock = Date.parse('2026-11-02T09:00:00Z');
  registerBaselineCommands(program, { now: () => new Date((clock += 3_600_000)), write: (t) => printed.push(t) });
  await program.parseAsync(['node', 's3-evidence', ...args]);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-baseline-'));
  out = path.join(root, 'output');
  baselineDir = path.join(root, 'config', 'baseline');
  printed = [];
});

describe('baseline approve → change → diff → approve again', () => {
  it('keeps v0001 and v0002, and drift is measured against the latest', async () => {
    const octDir = await writePacketFolder(out, evidenceFor('2026-10', [TLS, READ]));
    writeFileSync(path.join(octDir, 'manifest.json'), 'hello');
    await cli(
      'baseline',
      'approve',
      '--tenant',
      'acme',
      '--period',
      '2026-10',
      '--by',
      'Dana Auditor',
      '--reason',
      'initial review',
      '--out',
      out,
      '--baseline-dir',
      baselineDir,
    );

    const tenantDir = path.join(baselineDir, 'acme');
    const v1Text = readFileSync(path.join(tenantDir, 'v0001.json'), 'utf8');
    const v1 = JSON.parse(v1Text) as Record<string, unknown>;
    expect(v1).toMatchObject({
      version: 1,
      tenant: 'acme',
      period: '2026-10',
      approvedBy: 'Dana Auditor',
      approvedAt: '2026-11-02T10:00:00Z',
      reason: 'initial review',
      // sha256("hello"): the manifest.json written above.
      evidenceSha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      evidenceBasis: 'manifest.json',
    });
    expect(printed.join('')).toContain('first baseline of this tenant');

    // November: the TLS deny is gone.
    const novDir = await writePacketFolder(out, evidenceFor('2026-11', [READ]));
    const store = baselineStore(folderBackend(tenantDir));
    const nov = snapshotFromEvidence(await loadEvidence(novDir));
    const drift = buildDriftSection(nov, await store.latest(), 'acme', '2026-11');
    if (drift.state !== 'compared') throw new Error(drift.state);
    expect(drift.baseline.version).toBe(1);
    expect(drift.counts).toEqual({ critical: 1, high: 0, medium: 0, low: 0, info: 0 });
    expect(drift.items[0]).toMatchObject({ kind: 'policy_statement_removed', statement: 'DenyInsecureTransport' });

    printed = [];
    await cli(
      'baseline',
      'approve',
      '--tenant',
      'acme',
      '--by',
      'Dana Auditor',
      '--reason',
      'TLS deny moved to an SCP (CHG-42)',
      '--out',
      out,
      '--baseline-dir',
      baselineDir,
    );
    expect(printed.join('')).toContain('1 change(s) since v0001');

    expect(readdirSync(tenantDir).sort()).toEqual(['v0001.json', 'v0002.json']);
    expect(readFileSync(path.join(tenantDir, 'v0001.json'), 'utf8')).toBe(v1Text);
    const latest = await store.latest();
    // No --period: the latest period with evidence (2026-11) was approved; no manifest there, so the evidence files were hashed.
    expect(latest).toMatchObject({
      version: 2,
      period: '2026-11',
      reason: 'TLS deny moved to an SCP (CHG-42)',
      evidenceBasis: 'evidence files',
      approvedAt: '2026-11-02T10:00:00Z',
    });
    expect(buildDriftSection(nov, latest, 'acme', '2026-11')).toMatchObject({
      state: 'compared',
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      items: [],
    });
    expect((await store.list()).map((v) => [v.version, v.period, v.reason])).toEqual([
      [1, '2026-10', 'initial review'],
      [2, '2026-11', 'TLS deny moved to an SCP (CHG-42)'],
    ]);

    printed = [];
    await cli('baseline', 'list', '--tenant', 'acme', '--baseline-dir', baselineDir);
    expect(printed.join('')).toBe(
      'v0001  2026-10  2026-11-02T10:00:00Z  Dana Auditor  initial review\n' +
        'v0002  2026-11  2026-11-02T10:00:00Z  Dana Auditor  TLS deny moved to an SCP (CHG-42)\n',
    );
  });
});

describe('baseline store', () => {
  it('never overwrites: creating an existing version fails and leaves the file as it was', async () => {
    const dir = path.join(root, 'b');
    const backend = folderBackend(dir);
    await backend.create('v0001.json', 'first');
    await expect(backend.create('v0001.json', 'second')).rejects.toBeInstanceOf(BaselineExistsError);
    expect(readFileSync(path.join(dir, 'v0001.json'), 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['v0001.json']);
  });

  it('refuses an approval whose version another writer took meanwhile', async () => {
    const dir = path.join(root, 'race');
    const real = folderBackend(dir);
    const snapshot = snapshotFromEvidence(evidenceFor('2026-10', [TLS, READ]));
    const args = {
      tenant: 'acme',
      period: '2026-10',
      by: 'A',
      reason: 'r',
      evidenceSha256: 'a'.repeat(64),
      snapshot,
      now: new Date('2026-11-02T09:00:00Z'),
    };
    await baselineStore(real).approve(args);
    const stale: BaselineBackend = { ...real, listNames: async () => [] };
    await expect(baselineStore(stale).approve({ ...args, by: 'B' })).rejects.toBeInstanceOf(BaselineExistsError);
    expect((await baselineStore(real).latest())?.approvedBy).toBe('A');
  });

  it('rejects a stored version whose snapshot was edited after approval', async () => {
    const dir = path.join(root, 'tamper');
    const snapshot = snapshotFromEvidence(evidenceFor('2026-10', [TLS, READ]));
    await baselineStore(folderBackend(dir)).approve({
      tenant: 'acme',
      period: '2026-10',
      by: 'A',
      reason: 'r',
      evidenceSha256: 'a'.repeat(64),
      snapshot,
      now: new Date(),
    });
    const file = path.join(dir, 'v0001.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"DenyInsecureTransport"', '"Renamed"'));
    await expect(baselineStore(folderBackend(dir)).latest()).rejects.toThrow(BaselineFileError);
    await expect(baselineStore(folderBackend(dir)).latest()).rejects.toThrow(/changed after approval/);
  });

  it('has no latest version before the first approval', async () => {
    const store = baselineStore(folderBackend(path.join(root, 'none')));
    expect(await store.latest()).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });
});

describe('baseline CLI errors', () => {
  it('names the missing packet folder', async () => {
    const err = await cli(
      'baseline',
      'approve',
      '--tenant',
      'acme',
      '--period',
      '2026-09',
      '--by',
      'A',
      '--reason',
      'r',
      '--out',
      out,
      '--baseline-dir',
      baselineDir,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      `no evidence for tenant "acme" in period 2026-09 (${path.join(out, '2026-09', 'acme')}); run the tenant's packet for that period first`,
    );
  });

  it('says when no baseline exists yet', async () => {
    await cli('baseline', 'list', '--tenant', 'acme', '--baseline-dir', baselineDir);
    expect(printed.join('')).toBe(`no baseline approved for acme yet (${path.join(baselineDir, 'acme')})\n`);
  });
});
