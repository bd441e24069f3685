import ExcelJS from 'exceljs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePortfolio, type Portfolio } from '../../src/operate/portfolio.js';
import type { Packet } from '../../src/model/packet.js';
import { samplePacket } from '../support/sample-packet.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-'));
});
afterAll(async () => rm(out, { recursive: true, force: true }));

function packet(id: string, over: Record<string, unknown>): Packet {
  const p = structuredClone(samplePacket()) as unknown as Record<string, unknown> & Packet;
  return {
    ...p,
    tenant: { ...p.tenant, id, displayName: id === 'evil' ? '=HYPERLINK("http://x")' : `Tenant ${id}` },
    ...over,
  };
}

describe('portfolio', () => {
  let portfolio: Portfolio;
  beforeAll(async () => {
    const base = samplePacket();
    const a = packet('alpha', {
      status: 'attention',
      kpis: { ...base.kpis, objectsPct: 97.5, bytesPct: 99.25 },
      completeness: { complete: true, missing: [], text: '' },
      sections: {
        ...base.sections,
        deniedUploads: { ...(base.sections.deniedUploads as object), state: 'collected', total: 14 },
        drift: { state: 'compared', counts: { critical: 2, high: 0, medium: 1, low: 0, info: 0 }, items: [] },
        exceptions: {
          state: 'evaluated',
          counts: { active: 1, expiring_soon: 1, unused: 1, expired: 2, invalid: 0 },
          entries: [],
        },
      },
    });
    const b = packet('evil', {
      status: 'incomplete',
      kpis: { ...base.kpis, objectsPct: null, bytesPct: null },
      completeness: {
        complete: false,
        missing: [
          { scope: 's', source: 'inventory', reason: 'r' },
          { scope: 't', source: 'inventory', reason: 'r' },
        ],
        text: '',
      },
      sections: {
        ...base.sections,
        deniedUploads: { state: 'not_collected', reason: 'no logs' },
        drift: { state: 'not_collected', reason: 'x' },
        exceptions: { state: 'no_register', file: 'x' },
      },
    });
    for (const p of [a, b]) {
      await mkdir(path.join(out, '2026-10', p.tenant.id), { recursive: true });
      await writeFile(path.join(out, '2026-10', p.tenant.id, 'packet.json'), JSON.stringify(p));
    }
    await mkdir(path.join(out, '2026-10', '.revisions', 'alpha-20261101T000000Z'), { recursive: true });
    await mkdir(path.join(out, '2026-10', 'broken'), { recursive: true });
    portfolio = (await writePortfolio(out, '2026-10', { writtenThisRun: new Set(['alpha', 'evil']) })).portfolio;
  });

  it('one row per tenant folder (revisions skipped), with the section figures where collected', () => {
    expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
      ['alpha', 'attention'],
      ['broken', 'unreadable'],
      ['evil', 'incomplete'],
    ]);
    expect(portfolio.tenants[0]).toMatchObject({
      objectsPct: 97.5,
      bytesPct: 99.25,
      deniedUploads: 14,
      criticalDrifts: 2,
      openExceptions: 3,
      expiredExceptions: 2,
      complete: true,
      missingEvidence: 0,
    });
    expect(portfolio.tenants[2]).toMatchObject({
      objectsPct: null,
      deniedUploads: null,
      criticalDrifts: null,
      openExceptions: null,
      expiredExceptions: null,
      complete: false,
      missingEvidence: 2,
    });
  });

  it('writes portfolio.json and portfolio.xlsx; text cells neutralised, percentages as fractions', async () => {
    expect(JSON.parse(await readFile(path.join(out, '2026-10', 'portfolio.json'), 'utf8'))).toEqual(portfolio);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(path.join(out, '2026-10', 'portfolio.xlsx'))) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Portfolio 2026-10');
    expect(ws.getRow(1).getCell(1).value).toBe('Tenant');
    expect(ws.getRow(2).getCell(6).value).toBe(0.975);
    expect(ws.getRow(2).getCell(6).numFmt).toBe('0.00%');
    expect(ws.getRow(2).getCell(10).value).toBe(14);
    expect(ws.getRow(4).getCell(2).value).toBe('\'=HYPERLINK("http://x")');
    expect(ws.getRow(4).getCell(10).value).toBe('not collected');
  });
});

describe('portfolio: packets left by earlier runs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-earlier-'));
    for (const id of ['fresh', 'kept', 'edited']) {
      await mkdir(path.join(dir, '2026-10', id), { recursive: true });
      await writeFile(
        path.join(dir, '2026-10', id, 'packet.json'),
        JSON.stringify(packet(id, { status: 'compliant' })),
      );
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('uses an earlier packet only if it verifies; one that does not is listed unverified with the reason, its figures left out', async () => {
    const checked: string[] = [];
    const { portfolio } = await writePortfolio(dir, '2026-10', {
      writtenThisRun: new Set(['fresh']),
      check: async (folder) => {
        checked.push(path.basename(folder));
        return path.basename(folder) === 'edited'
          ? 'changed: packet.json (its sha256 is not the one manifest.json lists)'
          : undefined;
      },
    });
    expect(checked).toEqual(['edited', 'kept']);
    expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
      ['edited', 'unverified'],
      ['fresh', 'compliant'],
      ['kept', 'compliant'],
    ]);
    expect(portfolio.tenants[0]).toMatchObject({
      objectsPct: null,
      failingControls: null,
      complete: false,
      problem: 'packet does not verify: changed: packet.json (its sha256 is not the one manifest.json lists)',
    });
  });

  it('by default runs verify: a folder holding only packet.json (no manifest, no evidence) is unverified', async () => {
    const { portfolio } = await writePortfolio(dir, '2026-10', { writtenThisRun: new Set(['fresh', 'kept']) });
    const edited = portfolio.tenants.find((r) => r.tenant === 'edited')!;
    expect(edited.status).toBe('unverified');
    expect(edited.problem).toBe('packet does not verify: packet.json differs from what evidence/ gives');
  });
});
