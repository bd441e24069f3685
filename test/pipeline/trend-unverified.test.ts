/**
 * The trend uses an earlier month's packet only if it verifies: an edited September packet (hashes
 * recomputed, so only `verify` can tell) is a gap labelled "unverified" in October's packet model,
 * PDF chart and Trend sheet, never its figures frozen into October's evidence. Only the months before
 * the period are verified, and without re-rendering: the trend reads packet.json's figures only.
 */
import ExcelJS from 'exceljs';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { periodFor } from '../../src/config/period.js';
import type { Packet } from '../../src/model/packet.js';
import { runTenant } from '../../src/pipeline/run-tenant.js';
import { verifiedManifest, verifyProblem } from '../../src/pipeline/verify-folder.js';
import { pdfText, squash } from '../render/pdf/pdf-inspect.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { recomputeHashes } from '../support/forged-manifest.js';

vi.mock('../../src/pipeline/verify-folder.js', async (original) => {
  const real = await original<typeof import('../../src/pipeline/verify-folder.js')>();
  return { ...real, verifiedManifest: vi.fn(real.verifiedManifest) };
});
const verifyCalls = vi.mocked(verifiedManifest);

let ws: Awaited<ReturnType<typeof demoWorkspace>>;

async function run(period: string): Promise<{ packet: Packet; folder: string }> {
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
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

beforeAll(async () => {
  ws = await demoWorkspace();
}, 60_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('trend and earlier packets that do not verify', () => {
  it('an untouched September packet is a month with figures', async () => {
    const september = await run('2026-09');
    const { packet } = await run('2026-10');
    if (packet.sections.trend.state !== 'collected') throw new Error('trend not collected');
    const point = packet.sections.trend.points.find((p) => p.period === '2026-09')!;
    expect(point.state).toBe('present');
    expect(point.objectsPct).toBe(september.packet.kpis.objectsPct);
  }, 120_000);

  it('a second October run verifies September once, without re-rendering, and not the October packet it replaces', async () => {
    verifyCalls.mockClear();
    const { packet } = await run('2026-10');
    expect(verifyCalls.mock.calls).toEqual([[path.join(ws.out, '2026-09', 'acme'), { rerender: false }]]);
    if (packet.sections.trend.state !== 'collected') throw new Error('trend not collected');
    expect(packet.sections.trend.points.map((p) => `${p.period}:${p.state}`).slice(-3)).toEqual([
      '2026-08:missing',
      '2026-09:present',
      '2026-10:present',
    ]);
  }, 120_000);

  it('a September whose PDF was swapped (hashes recomputed) keeps its figures: they are re-derived from its evidence', async () => {
    const folder = path.join(ws.out, '2026-09', 'acme');
    const september = JSON.parse(readFileSync(path.join(folder, 'packet.json'), 'utf8')) as Packet;
    copyFileSync(path.join(ws.out, '2026-10', 'acme', 'acme-2026-10.pdf'), path.join(folder, 'acme-2026-09.pdf'));
    recomputeHashes(folder);
    // The swap is real: verify, which re-renders, refuses the folder.
    expect(await verifyProblem(folder)).toMatch(/^rendered: acme-2026-09\.pdf/);

    const { packet } = await run('2026-10');
    if (packet.sections.trend.state !== 'collected') throw new Error('trend not collected');
    const point = packet.sections.trend.points.find((p) => p.period === '2026-09')!;
    expect(point).toMatchObject({ state: 'present', objectsPct: september.kpis.objectsPct });
  }, 120_000);

  it('an edited September packet (hashes recomputed) is an unverified gap on the page, in the workbook and in packet.json', async () => {
    const folder = path.join(ws.out, '2026-09', 'acme');
    const file = path.join(folder, 'packet.json');
    const sept = JSON.parse(readFileSync(file, 'utf8')) as Packet;
    sept.kpis.objectsPct = 100;
    writeFileSync(file, `${JSON.stringify(sept, null, 2)}\n`);
    recomputeHashes(folder);

    const { packet, folder: october } = await run('2026-10');
    if (packet.sections.trend.state !== 'collected') throw new Error('trend not collected');
    const point = packet.sections.trend.points.find((p) => p.period === '2026-09')!;
    expect(point).toMatchObject({ state: 'unverified', objectsPct: null, bytesPct: null, failingControls: null });
    expect(point.problem).toBe('the 2026-09 packet did not verify: packet.json differs from what evidence/ gives');
    // Frozen into October's evidence as a gap, not as 100 %.
    const governance = readFileSync(path.join(october, 'evidence', 'governance.json'), 'utf8');
    expect(governance).toContain('"state": "unverified"');

    const text = squash(pdfText(readFileSync(path.join(october, 'acme-2026-10.pdf'))));
    expect(text).toContain('unverified');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path.join(october, 'acme-2026-10.xlsx')) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Trend')!;
    const values: string[] = [];
    sheet.eachRow((row) => values.push(row.values ? JSON.stringify(row.values) : ''));
    const septRow = values.find((v) => v.includes('"2026-09"'))!;
    expect(septRow).toContain('unverified (did not pass verify)');
    expect(septRow).toContain('did not verify');
  }, 120_000);
});
