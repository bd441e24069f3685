import { readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;

async function run(tenantId: string): Promise<Packet> {
  const tenant = ws.config.tenants.find((t) => t.id === tenantId)!;
  const r = await runDemoTenant(ws, tenant);
  return JSON.parse(readFileSync(path.join(r.folder, 'packet.json'), 'utf8')) as Packet;
}

function reportFiles(tenant: string, bucket: string): string[] {
  const dir = path.join(ws.exportsDir, 'inventory', tenant, bucket, 'encryption-audit');
  const manifest = JSON.parse(readFileSync(path.join(dir, '2026-11-01T05-30Z', 'manifest.json'), 'utf8')) as {
    files: Array<{ key: string }>;
  };
  return manifest.files.map((f) => path.join(ws.exportsDir, 'inventory', tenant, f.key.replace(/^inventory\//, '')));
}

beforeAll(async () => {
  ws = await demoWorkspace();
  // Damage northwind's evidence in four independent ways, one bucket or source each.
  const [records] = reportFiles('northwind', 'northwind-prod-records');
  truncateSync(records!, Math.floor(statSync(records!).size / 2));
  rmSync(
    path.join(
      ws.exportsDir,
      'inventory',
      'northwind',
      'northwind-backups',
      'encryption-audit',
      '2026-11-01T05-30Z',
      'manifest.json',
    ),
  );
  writeFileSync(
    path.join(ws.exportsDir, 'accounts', '111111111111', 's3api', 'northwind-prod-imaging', 'get-bucket-policy.json'),
    '{"Policy": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [ {"}\n',
  );
}, 60_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('bad input: clear messages, nothing lost, never a false 100 %', () => {
  it('a truncated gzip leaves that bucket unverified, naming the file; other buckets are measured', async () => {
    const p = await run('northwind');
    const records = p.buckets.find((b) => b.name === 'northwind-prod-records')!;
    expect(records.coverage.state).toBe('unverified');
    if (records.coverage.state === 'unverified')
      expect(records.coverage.problems.join('\n')).toContain(
        path.basename(reportFiles('northwind', 'northwind-prod-records')[0]!),
      );
    // A report folder without its manifest is an unverifiable delivery, not "use another report".
    const backups = p.buckets.find((b) => b.name === 'northwind-backups')!;
    expect(backups.coverage).toMatchObject({
      state: 'unverified',
      reason: 'the report manifest could not be read or verified',
    });
    const imaging = p.buckets.find((b) => b.name === 'northwind-prod-imaging')!;
    expect(imaging.policyState).toBe('unparsable');
    expect(imaging.sseEnforcement.level).toBe('unknown');
    expect(p.status).not.toBe('compliant');
    expect(p.completeness.complete).toBe(false);
    expect(p.completeness.missing.map((m) => m.scope)).toEqual(
      expect.arrayContaining(['bucket northwind-prod-records', 'bucket northwind-prod-imaging']),
    );
    expect(p.kpis.objectsPct === 100 && p.coverage.measuredBuckets === p.buckets.length).toBe(false);
  });

  it('other tenants are unaffected', async () => {
    const acme = await run('acme');
    expect(acme.completeness.complete).toBe(true);
    expect(acme.buckets.every((b) => b.coverage.state === 'measured')).toBe(true);
  });
});
