import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import type { Packet } from '../../src/model/packet.js';
import { runTenant, type TenantRunResult } from '../../src/pipeline/run-tenant.js';
import { verifyFolder } from '../../src/pipeline/verify-folder.js';
import { countReport, demoWorkspace } from '../support/demo-workspace.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
const results: Record<string, TenantRunResult> = {};
const packets: Record<string, Packet> = {};

async function runAll(out: string) {
  for (const tenant of ws.config.tenants) {
    results[tenant.id] = await runTenant({
      config: ws.config,
      configSha256: 'f'.repeat(64),
      tenant,
      period: periodFor('2026-10', tenant.timeZone),
      outDir: out,
      now: new Date('2030-01-01T00:00:00Z'),
    });
    packets[tenant.id] = JSON.parse(
      readFileSync(path.join(results[tenant.id]!.folder, 'packet.json'), 'utf8'),
    ) as Packet;
  }
}

beforeAll(async () => {
  ws = await demoWorkspace();
  await runAll(ws.out);
}, 120_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('demo packets end to end', () => {
  it('northwind is compliant and complete; the untagged bucket is excluded by tag', () => {
    const p = packets.northwind!;
    expect(p.status).toBe('compliant');
    expect(p.completeness.complete).toBe(true);
    // Northwind has no table or directory bucket: those controls have nothing to judge (N/A); every other passes.
    expect(p.controls.filter((c) => c.verdict !== 'pass').map((c) => [c.id, c.verdict, c.summary])).toEqual([
      ['s3express-default-encryption-matches-expectation', 'not_applicable', 'no directory buckets in scope'],
      ['s3tables-kms-key-allows-maintenance', 'not_applicable', 'no tables in scope'],
    ]);
    expect(p.tableBuckets?.regions.map((r) => [r.region, r.listed, r.inScope])).toEqual([
      ['us-east-2', true, 0],
      ['us-west-2', true, 0],
    ]);
    expect(p.excludedBuckets).toEqual([
      { name: 'scratch-build-cache', account: '111111111111', reason: 'lacks tag "tenant"' },
    ]);
    // Document time comes from the export, not the wall clock.
    expect(p.generatedAt).toBe('2026-11-01T06:00:00Z');
  });

  it('coverage counts equal rows counted independently in the first report after October (2026-11-01T05-30Z)', () => {
    const p = packets.acme!;
    const archive = p.buckets.find((b) => b.name === 'acme-legacy-archive')!;
    const counted = countReport(ws.exportsDir, 'acme', 'acme-legacy-archive', '2026-11-01T05-30Z');
    expect(archive.coverage.state).toBe('measured');
    if (archive.coverage.state !== 'measured') return;
    expect(archive.coverage.reportDate).toBe('2026-11-01T05:30:00Z');
    expect(archive.coverage.total.objects).toBe(counted.rows);
    expect(archive.coverage.unencrypted.objects).toBe(counted.byStatus['NOT-SSE']);
    expect(archive.coverage.unencrypted.bytes).toBe(counted.bytesByStatus['NOT-SSE']);
    expect(archive.coverage.objectsPct).toBe(((counted.rows - counted.byStatus['NOT-SSE']!) / counted.rows) * 100);
  });

  it('acme fails exactly the controls its evidence breaks', () => {
    const p = packets.acme!;
    const verdicts = Object.fromEntries(p.controls.map((c) => [c.id, c.verdict]));
    expect(verdicts).toEqual({
      's3-default-encryption-enabled': 'pass',
      's3-default-encryption-matches-expectation': 'pass',
      's3-objects-encrypted': 'fail',
      's3-policy-denies-unencrypted-uploads': 'fail',
      's3-policy-denies-insecure-transport': 'fail',
      's3-sse-c-uploads-blocked': 'fail',
      's3express-default-encryption-matches-expectation': 'pass',
      'kms-customer-keys-rotate': 'fail',
      's3tables-kms-key-allows-maintenance': 'fail',
    });
    // The lakehouse table bucket: its SSE-KMS table's key lets only the account use it, so S3 Tables
    // maintenance cannot; the SSE-S3 table has no customer key to grant.
    const lake = p.tableBuckets!;
    expect(lake.regions.map((r) => [r.region, r.listed, r.inScope])).toEqual([
      ['eu-west-1', true, 1],
      ['us-east-1', true, 0],
    ]);
    const maintenance = p.controls.find((c) => c.id === 's3tables-kms-key-allows-maintenance')!;
    expect(maintenance.resources.map((r) => [r.resource, r.verdict, r.reason])).toEqual([
      [
        'acme-lakehouse/sales/orders',
        'fail',
        'the policy of alias/acme-lakehouse does not allow maintenance.s3tables.amazonaws.com kms:GenerateDataKey or kms:Decrypt',
      ],
      ['acme-lakehouse/web/sessions', 'not_applicable', 'SSE-S3 (AES256): no customer key to grant'],
    ]);
    // Its key is in the key section, used by the table bucket and the table.
    const lakeKey = p.keys.find((k) => k.alias === 'alias/acme-lakehouse')!;
    expect(lakeKey.usedBy).toEqual(['acme-lakehouse', 'acme-lakehouse/sales/orders']);
    expect(lakeKey.rotation.state).toBe('enabled');
    // acme-app-data predates SSE-C blocking by default and still accepts it; the inventory counts its SSE-C objects.
    const sseC = p.controls.find((c) => c.id === 's3-sse-c-uploads-blocked')!;
    expect(sseC.resources.map((r) => [r.resource, r.verdict])).toEqual([
      ['acme-app-data', 'fail'],
      ['acme-legacy-archive', 'pass'],
      ['acme-web-assets', 'pass'],
    ]);
    const sseCObjects = p.buckets.find((b) => b.name === 'acme-app-data')!.coverage;
    expect(sseCObjects.state === 'measured' && sseCObjects.tally['SSE-C'].objects).toBeGreaterThan(0);
    expect(sseC.resources[0]!.reason).toContain(
      `${(sseCObjects.state === 'measured' ? sseCObjects.tally['SSE-C'].objects : -1).toLocaleString('en-US')} SSE-C objects in the inventory`,
    );
    // The payments key holds imported material expiring 20 November: custody recorded, a high finding,
    // rotation not applicable (KMS cannot rotate imported material).
    const byok = p.keys.find((k) => k.alias === 'alias/acme-payments-byok')!;
    expect(byok.custody).toEqual({
      origin: 'EXTERNAL',
      keySpec: 'SYMMETRIC_DEFAULT',
      materialExpires: '2026-11-20T00:00:00Z',
    });
    expect(byok.rotation).toEqual({ state: 'not_supported', origin: 'EXTERNAL' });
    expect(p.findings.filter((f) => f.controlId === 'kms-key-custody').map((f) => [f.severity, f.resource])).toEqual([
      ['high', 'alias/acme-payments-byok'],
    ]);
    expect(p.kpis.keysRotating).toEqual({ rotating: 1, total: 2 });
    expect(p.kpis.sseEnforced).toEqual({ yes: 2, total: 3 });
    expect(p.kpis.tlsEnforced).toEqual({ yes: 0, total: 3 });
    const appData = p.buckets.find((b) => b.name === 'acme-app-data')!;
    expect(appData.tlsEnforcement.level).toBe('partial');
    expect(p.findings[0]!.text).toMatch(
      /^acme-legacy-archive: 1,204 unencrypted objects \(\d+\.\d [MG]B\), oldest 2019-03-\d\d$/,
    );
  });

  it('globex is incomplete and says exactly what is missing', () => {
    const p = packets.globex!;
    expect(p.status).toBe('incomplete');
    expect(p.completeness.missing.map((m) => `${m.scope} | ${m.source}`)).toEqual([
      'bucket globex-analytics | S3 Inventory',
      'bucket globex-payments | s3:GetBucketEncryption',
      'bucket globex-payments | s3:GetBucketPolicy',
      'key arn:aws:kms:eu-west-1:444444444444:key/e2a4c6d8-0b1d-4e3f-a5b7-c9d1e3f5a7b9 | kms:DescribeKey',
    ]);
    const objects = p.controls.find((c) => c.id === 's3-objects-encrypted')!;
    expect(objects.verdict).toBe('not_evaluated');
    expect(objects.counts).toEqual({ pass: 2, fail: 0, not_evaluated: 1, not_applicable: 0, exception: 0 });
    expect(results.globex!.complete).toBe(false);
  });

  it('every packet verifies: hashes match and packet.json re-derives byte for byte', async () => {
    for (const r of Object.values(results)) {
      const v = await verifyFolder(r.folder);
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
    }
  });

  it('the same evidence gives byte-identical packet.json, PDF and XLSX', async () => {
    const read = (t: string, f: string) => readFileSync(path.join(results[t]!.folder, f));
    const files = [
      'packet.json',
      'acme-2026-10.pdf',
      'acme-2026-10.xlsx',
      'exports/unencrypted-objects.csv',
      'exports/denied-uploads.csv',
    ];
    const before = files.map((f) => read('acme', f));
    await runAll(ws.out);
    const after = files.map((f) => read('acme', f));
    after.forEach((buf, i) => expect(buf.equals(before[i]!), files[i]).toBe(true));
  }, 60_000);

  it('verify names a changed file and a packet that no longer matches its evidence', async () => {
    const folder = results.northwind!.folder;
    const inv = path.join(folder, 'evidence/accounts/111111111111/s3/northwind-backups/inventory.json');
    const doc = JSON.parse(readFileSync(inv, 'utf8'));
    doc.tally['NOT-SSE'] = { objects: 5, bytes: 500 };
    writeFileSync(inv, `${JSON.stringify(doc, null, 2)}\n`);
    const v = await verifyFolder(folder);
    expect(v.ok).toBe(false);
    expect(v.files.filter((f) => f.state !== 'ok').map((f) => `${f.state} ${f.path}`)).toEqual([
      'changed evidence/accounts/111111111111/s3/northwind-backups/inventory.json',
    ]);
    expect(v.packetReproduced).toBe(false);
    expect(v.packetDifferences.some((d) => d.startsWith('$.status'))).toBe(true);
  });
});
