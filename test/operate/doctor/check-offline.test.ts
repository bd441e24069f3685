/**
 * doctor on offline exports: the demo's exports (complete tenants READY, globex NOT READY for its
 * bucket without inventory and the reads its export was refused), a garbled export file named with
 * the command that writes it again, and a log tree missing days named by day.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, renderDoctor, type DoctorReport } from '../../../src/operate/doctor/index.js';
import { demoWorkspace } from '../../support/demo-workspace.js';

const NOW = new Date('2026-11-15T08:00:00Z');
const roots: string[] = [];

async function doctorOn(mutate?: (exportsDir: string) => void): Promise<{ report: DoctorReport; exportsDir: string }> {
  const ws = await demoWorkspace();
  roots.push(ws.root);
  mutate?.(ws.exportsDir);
  const report = await runDoctor({
    tenants: ws.config.tenants,
    live: {},
    now: NOW,
    offline: { config: ws.config, period: '2026-10' },
  });
  return { report, exportsDir: ws.exportsDir };
}

const tenantOf = (r: DoctorReport, id: string) => r.tenants.find((t) => t.tenant === id)!;
const checksOf = (r: DoctorReport, id: string) => tenantOf(r, id).accounts.flatMap((a) => a.checks);

afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('doctor on the demo exports', () => {
  let report: DoctorReport;
  let exportsDir: string;
  beforeAll(async () => {
    ({ report, exportsDir } = await doctorOn());
  }, 60_000);

  it('northwind and acme are READY: every check ran and passed, none skipped', () => {
    for (const id of ['northwind', 'acme']) {
      expect(tenantOf(report, id).ready).toBe(true);
      expect(checksOf(report, id).every((c) => c.status === 'ok')).toBe(true);
    }
    const northwind = checksOf(report, 'northwind');
    expect(northwind.filter((c) => c.area === 'inventory').map((c) => c.scope)).toEqual([
      'bucket northwind-backups',
      'bucket northwind-prod-imaging',
      'bucket northwind-prod-records',
    ]);
    expect(northwind.find((c) => c.area === 'access-logs')!.detail).toBe(
      'access logs cover 31 of 31 days of 2026-10 (2026-10-01..2026-10-31)',
    );
    expect(northwind.find((c) => c.area === 'trail-s3-data')!.detail).toBe(
      'CloudTrail logs cover 31 of 31 days of 2026-10 (2026-10-01..2026-10-31)',
    );
  });

  it("globex is NOT READY, naming globex-analytics' missing inventory and the refused reads, each with a fix", () => {
    const globex = tenantOf(report, 'globex');
    expect(globex.ready).toBe(false);
    expect(report.ready).toBe(false);
    const checks = checksOf(report, 'globex');
    const inventory = checks.find((c) => c.scope === 'bucket globex-analytics')!;
    expect(inventory).toMatchObject({ area: 'inventory', status: 'gap' });
    expect(inventory.fix![0]).toBe('aws s3api list-bucket-inventory-configurations --bucket globex-analytics');
    expect(checks.filter((c) => c.area === 'inventory' && c.status === 'ok').map((c) => c.scope)).toEqual([
      'bucket globex-orders',
      'bucket globex-payments',
    ]);
    const refused = checks.find((c) => c.scope === 's3:GetBucketEncryption on globex-payments')!;
    expect(refused.status).toBe('gap');
    expect(refused.detail).toMatch(
      /^s3api\/globex-payments\/get-bucket-encryption\.error\.txt: the export was refused \(AccessDenied/,
    );
    expect(refused.fix).toEqual([
      `aws s3api get-bucket-encryption --bucket globex-payments --output json > ${path.join(exportsDir, 'accounts', '333333333333', 's3api', 'globex-payments', 'get-bucket-encryption.json')}`,
    ]);
    expect(checks.every((c) => c.status === 'ok' || c.fix?.length)).toBe(true);
    const text = renderDoctor(report);
    expect(text).toContain('northwind: READY');
    expect(text).toContain('acme: READY');
    expect(text).toContain('globex: NOT READY');
    expect(text).toContain('Not ready: globex.');
    expect(text).not.toContain('All tenants ready');
    expect(text).not.toContain('NOT CHECKED');
  });
});

describe('doctor on damaged exports', () => {
  it('a truncated export file is a named gap with the command that writes it again', async () => {
    const file = ['accounts', '222222222222', 's3api', 'acme-app-data', 'get-bucket-encryption.json'];
    const { report, exportsDir } = await doctorOn((dir) =>
      writeFileSync(path.join(dir, ...file), '{"ServerSideEncryptionConfiguration": {"Rules": ['),
    );
    expect(tenantOf(report, 'acme').ready).toBe(false);
    const gap = checksOf(report, 'acme').find((c) => c.scope === 's3:GetBucketEncryption on acme-app-data')!;
    expect(gap.status).toBe('gap');
    expect(gap.detail).toMatch(/^s3api\/acme-app-data\/get-bucket-encryption\.json: UnparsableExport: /);
    expect(gap.fix).toEqual([
      `aws s3api get-bucket-encryption --bucket acme-app-data --output json > ${path.join(exportsDir, ...file)}`,
    ]);
    expect(checksOf(report, 'acme').find((c) => c.scope.startsWith('export '))!.status).toBe('gap');
    expect(tenantOf(report, 'northwind').ready).toBe(true);
  }, 60_000);

  // Files are named by their UTC delivery day; acme's days are New York's (UTC-4 in October). Without
  // the files of 14, 15 and 16 October UTC, New York's 14th and 15th (04:00Z to 04:00Z) have no record,
  // while the 16th keeps the 17th file's early hours and the 13th its own.
  it('an access-log tree missing days names those days', async () => {
    const { report } = await doctorOn((dir) => {
      const tree = path.join(dir, 'logs', 'acme', 'access-logs');
      for (const f of readdirSync(tree))
        if (/^2026-10-(14|15|16)-/.test(f)) rmSync(path.join(tree, f), { recursive: true });
    });
    expect(tenantOf(report, 'acme').ready).toBe(false);
    const logs = checksOf(report, 'acme').find((c) => c.area === 'access-logs')!;
    expect(logs.status).toBe('gap');
    expect(logs.detail).toBe(
      'access logs cover 29 of 31 days of 2026-10 (2026-10-01..2026-10-13, 2026-10-16..2026-10-31); no records on 2026-10-14..2026-10-15',
    );
    expect(logs.fix).toHaveLength(1);
  }, 60_000);
});
