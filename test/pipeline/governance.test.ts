/**
 * Governance end to end on the demo evidence: an exceptions register turns a FAIL into EXCEPTION and
 * flags an expired entry; an approved baseline then a changed policy gives a critical drift; the
 * trend shows earlier months and a gap; and all of it is frozen into evidence/ so verify still holds
 * after the register changes.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import type { Packet } from '../../src/model/packet.js';
import { runTenant } from '../../src/pipeline/run-tenant.js';
import { verifyFolder } from '../../src/pipeline/verify-folder.js';
import { main } from '../../src/cli/program.js';
import { demoWorkspace } from '../support/demo-workspace.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;

async function run(tenantId: string, period = '2026-10'): Promise<{ packet: Packet; folder: string }> {
  const tenant = ws.config.tenants.find((t) => t.id === tenantId)!;
  const r = await runTenant({
    config: ws.config,
    configSha256: 'f'.repeat(64),
    tenant,
    period: periodFor(period, tenant.timeZone),
    outDir: ws.out,
    now: new Date('2030-01-01T00:00:00Z'),
  });
  return { packet: JSON.parse(readFileSync(path.join(r.folder, 'packet.json'), 'utf8')) as Packet, folder: r.folder };
}

const REGISTER = `tenant: acme
exceptions:
  - id: EX-1
    scope: { bucket: acme-legacy-archive }
    control: s3-objects-encrypted
    reason: Legacy scans, re-encryption batch scheduled
    owner: records-team@acme.example
    ticket: SEC-101
    approvedBy: CISO
    expires: 2027-01-31
  - id: EX-2
    scope: { bucket: acme-web-assets }
    control: s3-policy-denies-insecure-transport
    reason: CDN origin migration
    owner: web-team@acme.example
    ticket: SEC-102
    approvedBy: CISO
    expires: 2026-10-15
`;

beforeAll(async () => {
  ws = await demoWorkspace();
  mkdirSync(path.join(ws.root, 'config', 'exceptions'), { recursive: true });
  writeFileSync(path.join(ws.root, 'config', 'exceptions', 'acme.yaml'), REGISTER);
}, 60_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('exceptions register in the packet', () => {
  it("an active exception turns that bucket's FAIL into EXCEPTION; an expired one is a finding", async () => {
    const { packet } = await run('acme');
    const objects = packet.controls.find((c) => c.id === 's3-objects-encrypted')!;
    expect(objects.resources.find((r) => r.resource === 'acme-legacy-archive')!.verdict).toBe('exception');
    expect(objects.verdict).toBe('exception');
    expect(objects.summary).toBe('2 of 3 buckets pass · 1 excepted');
    const tls = packet.controls.find((c) => c.id === 's3-policy-denies-insecure-transport')!;
    expect(tls.resources.find((r) => r.resource === 'acme-web-assets')!.verdict).toBe('fail');
    expect(packet.sections.exceptions.state).toBe('evaluated');
    if (packet.sections.exceptions.state !== 'evaluated') return;
    expect(packet.sections.exceptions.entries.map((e) => [e.id, e.status])).toEqual([
      ['EX-1', 'active'],
      ['EX-2', 'expired'],
    ]);
    expect(packet.findings.some((f) => f.resource.includes('EX-2') || f.text.includes('EX-2'))).toBe(true);
  }, 60_000);

  it('the register is frozen into the evidence: editing it later does not break verify', async () => {
    const { folder } = await run('acme');
    writeFileSync(path.join(ws.root, 'config', 'exceptions', 'acme.yaml'), 'tenant: acme\nexceptions: []\n');
    const v = await verifyFolder(folder);
    expect(v.packetDifferences).toEqual([]);
    expect(v.ok).toBe(true);
    writeFileSync(path.join(ws.root, 'config', 'exceptions', 'acme.yaml'), REGISTER);
  }, 60_000);
});

describe('baseline drift and trend', () => {
  it('no baseline yet: the packet says so and gives the command that creates one', async () => {
    const { packet } = await run('northwind');
    expect(packet.sections.drift).toEqual({
      state: 'no_baseline',
      command: expect.stringContaining('s3-evidence baseline approve --tenant northwind'),
    });
  }, 60_000);

  it('approve, weaken a policy, run again: the removed TLS deny is HIGH in drift and findings alike', async () => {
    await run('northwind');
    const baselineDir = ws.config.baselineDir;
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = (c: string) => (out.push(c), true);
    try {
      expect(
        await main([
          'node',
          's3-evidence',
          'baseline',
          'approve',
          '--tenant',
          'northwind',
          '--period',
          '2026-10',
          '--by',
          'Jane Auditor',
          '--reason',
          'October review',
          '--out',
          ws.out,
          '--baseline-dir',
          baselineDir,
        ]),
      ).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    // Remove the TLS deny from one bucket's policy in the export.
    const file = path.join(
      ws.exportsDir,
      'accounts',
      '111111111111',
      's3api',
      'northwind-backups',
      'get-bucket-policy.json',
    );
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const policy = JSON.parse(doc.Policy);
    policy.Statement = policy.Statement.filter((s: { Sid: string }) => s.Sid !== 'DenyInsecureTransport');
    writeFileSync(file, JSON.stringify({ Policy: JSON.stringify(policy) }));
    const { packet } = await run('northwind');
    expect(packet.sections.drift.state).toBe('compared');
    if (packet.sections.drift.state !== 'compared') return;
    expect(packet.sections.drift.baseline).toMatchObject({
      version: 1,
      approvedBy: 'Jane Auditor',
      reason: 'October review',
      period: '2026-10',
    });
    // One scale: the removed TLS deny is HIGH in the drift list, as its drift finding and as the TLS control's finding.
    const tls = packet.sections.drift.items.filter(
      (i) => i.resource === 'northwind-backups' && i.weakens?.includes('s3-policy-denies-insecure-transport'),
    );
    expect(tls.map((i) => i.severity)).toEqual(['high']);
    expect(packet.sections.drift.counts.high).toBeGreaterThanOrEqual(1);
    const driftFinding = packet.findings.find(
      (f) => f.controlId === 'baseline-drift' && f.resource === 'northwind-backups',
    );
    const controlFinding = packet.findings.find(
      (f) => f.controlId === 's3-policy-denies-insecure-transport' && f.resource === 'northwind-backups',
    );
    expect([driftFinding?.severity, controlFinding?.severity]).toEqual(['high', 'high']);
    expect(packet.status).toBe('attention');
  }, 60_000);

  it('the trend covers 12 months: earlier packets present, missing months are gaps', async () => {
    await run('acme', '2026-08');
    const { packet } = await run('acme', '2026-10');
    expect(packet.sections.trend.state).toBe('collected');
    if (packet.sections.trend.state !== 'collected') return;
    const points = packet.sections.trend.points;
    expect(points).toHaveLength(12);
    expect(points.map((p) => p.period).slice(-3)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(points.slice(-3).map((p) => p.state)).toEqual(['present', 'missing', 'present']);
    expect(points[points.length - 2]!.objectsPct).toBeNull();
    expect(points[points.length - 1]!.objectsPct).toBe(packet.kpis.objectsPct);
  }, 120_000);
});
