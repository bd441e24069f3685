import ExcelJS from 'exceljs';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolioDiffers, writePortfolio, type Portfolio } from '../../src/operate/portfolio.js';
import type { Packet } from '../../src/model/packet.js';
import { packetFigures } from '../../src/model/packet-figures.js';
import { samplePacket } from '../support/sample-packet.js';

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-'));
});
afterAll(async () => rm(out, { recursive: true, force: true }));

function trendPoint(
  period: string,
  state: string,
  objectsPct: number | null,
  failingControls: number | null,
  criticalDrifts: number | null,
) {
  return { period, state, objectsPct, bytesPct: objectsPct, deniedUploads: null, failingControls, criticalDrifts };
}

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
        // 14 itemised, 3,500 more counted past sources.maxDeniedUploads.
        deniedUploads: {
          ...(base.sections.deniedUploads as object),
          state: 'collected',
          total: 14,
          notItemised: 3_500,
        },
        drift: { state: 'compared', counts: { critical: 2, high: 0, medium: 1, low: 0, info: 0 }, items: [] },
        exceptions: {
          state: 'evaluated',
          counts: { active: 1, expiring_soon: 1, unused: 1, expired: 2, invalid: 0 },
          entries: [],
        },
        trend: {
          state: 'collected',
          points: [
            trendPoint('2026-08', 'present', 90, 5, 0),
            trendPoint('2026-09', 'present', 95.25, 4, 3),
            trendPoint('2026-10', 'present', 97.5, 3, 2),
          ],
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
        trend: {
          state: 'collected',
          points: [trendPoint('2026-09', 'missing', null, null, null), trendPoint('2026-10', 'present', null, 3, null)],
        },
      },
    });
    // Compliant and complete: the lowest risk, listed last although its id sorts first.
    const c = packet('aaa-calm', {
      status: 'compliant',
      completeness: { complete: true, missing: [], text: '' },
      sections: {
        ...base.sections,
        trend: {
          state: 'collected',
          points: [{ ...trendPoint('2026-09', 'unverified', null, null, null), problem: 'changed: packet.json' }],
        },
      },
    });
    for (const p of [a, b, c]) {
      await mkdir(path.join(out, '2026-10', p.tenant.id), { recursive: true });
      await writeFile(path.join(out, '2026-10', p.tenant.id, 'packet.json'), JSON.stringify(p));
    }
    await writeFile(path.join(out, '2026-10', 'alpha', 'alpha-2026-10.pdf'), 'pdf');
    await writeFile(path.join(out, '2026-10', 'alpha', 'alpha-2026-10.xlsx'), 'xlsx');
    await mkdir(path.join(out, '2026-10', '.revisions', 'alpha-20261101T000000Z'), { recursive: true });
    await mkdir(path.join(out, '2026-10', 'broken'), { recursive: true });
    // alpha and evil as this run wrote them (their figures from memory), aaa-calm read back from its folder.
    portfolio = (
      await writePortfolio(out, '2026-10', {
        writtenThisRun: new Map([a, b].map((p) => [p.tenant.id, packetFigures(p)])),
        check: async () => undefined,
      })
    ).portfolio;
  });

  it('one row per tenant folder (revisions skipped), riskiest first, with the section figures where collected', () => {
    expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
      ['broken', 'unreadable'],
      ['alpha', 'attention'],
      ['evil', 'incomplete'],
      ['aaa-calm', 'compliant'],
    ]);
    expect(portfolio.tenants[1]).toMatchObject({
      objectsPct: 97.5,
      bytesPct: 99.25,
      deniedUploads: 14,
      deniedUploadsNotItemised: 3_500,
      criticalDrifts: 2,
      openExceptions: 3,
      expiredExceptions: 2,
      complete: true,
      missingEvidence: 0,
      pdf: 'alpha/alpha-2026-10.pdf',
      workbook: 'alpha/alpha-2026-10.xlsx',
      previous: { period: '2026-09', state: 'present', objectsPct: 95.25, failingControls: 4, criticalDrifts: 3 },
    });
    expect(portfolio.tenants[2]).toMatchObject({
      objectsPct: null,
      deniedUploads: null,
      criticalDrifts: null,
      openExceptions: null,
      expiredExceptions: null,
      complete: false,
      missingEvidence: 2,
      pdf: null,
      workbook: null,
      previous: { period: '2026-09', state: 'missing' },
    });
    expect(portfolio.tenants[3]!.previous).toMatchObject({ state: 'unverified', problem: 'changed: packet.json' });
    expect(portfolio.tenants[3]).not.toHaveProperty('deniedUploadsNotItemised');
  });

  it('writes portfolio.json and portfolio.xlsx: numbers only in numeric columns, links, change since last month', async () => {
    expect(JSON.parse(await readFile(path.join(out, '2026-10', 'portfolio.json'), 'utf8'))).toEqual(portfolio);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(path.join(out, '2026-10', 'portfolio.xlsx'))) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Portfolio 2026-10');
    const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (h: string) => headers.indexOf(h) + 1;
    const at = (row: number, h: string) => ws.getRow(row).getCell(col(h)).value;
    expect(headers.slice(0, 4)).toEqual(['Risk rank', 'Tenant', 'Name', 'Status']);
    // Row 3 is alpha (rank 2): 97.5 % now, 95.25 % in September.
    expect(at(3, 'Tenant')).toBe('alpha');
    expect(at(3, 'Risk rank')).toBe(2);
    expect(at(3, 'Objects encrypted')).toBe(0.975);
    expect(ws.getRow(3).getCell(col('Objects encrypted')).numFmt).toBe('0.00%');
    expect(at(3, 'Objects encrypted: change since last month')).toBe(0.0225);
    expect(at(3, 'Failing controls: change since last month')).toBe((at(3, 'Failing controls') as number) - 4);
    expect(at(3, 'Critical drifts: change since last month')).toBe(-1);
    expect(at(3, 'Denied uploads')).toBe(14);
    expect(at(3, 'Not measured / problem')).toBe(
      'denied uploads: 3,500 more counted past sources.maxDeniedUploads, not itemised',
    );
    expect(at(3, 'Previous month')).toBe('compared with 2026-09');
    expect(at(3, 'Page (PDF)')).toEqual({ text: 'PDF', hyperlink: 'alpha/alpha-2026-10.pdf' });
    expect(at(3, 'Workbook (XLSX)')).toEqual({ text: 'XLSX', hyperlink: 'alpha/alpha-2026-10.xlsx' });
    expect(at(3, 'Generated (UTC)')).toEqual(new Date(samplePacket().generatedAt.replace(/\.\d+Z$/, 'Z')));
    // evil: no figures, so empty numeric cells and the reason beside them; no previous packet.
    expect(at(4, 'Name')).toBe('\'=HYPERLINK("http://x")');
    expect(at(4, 'Denied uploads')).toBeNull();
    expect(at(4, 'Objects encrypted')).toBeNull();
    expect(at(4, 'Not measured / problem')).toBe(
      'encryption coverage not measured; denied uploads not collected; drift not compared; no exceptions register',
    );
    expect(at(4, 'Previous month')).toBe('no previous packet (2026-09)');
    expect(at(4, 'Page (PDF)')).toBe('not in folder');
    expect(at(5, 'Previous month')).toBe('previous packet unverified (2026-09): changed: packet.json');
    // Every numeric column holds a number or nothing, on every row.
    const numeric = headers.filter((h) => /rank|Missing|encrypted|Buckets|controls|uploads|drifts|exceptions/.test(h));
    expect(numeric).toHaveLength(14);
    for (let row = 2; row <= 5; row++)
      for (const h of numeric) expect(['number', 'object'].includes(typeof at(row, h)), `${h} row ${row}`).toBe(true);
    for (let row = 2; row <= 5; row++)
      for (const h of numeric) expect(typeof at(row, h) === 'object' ? at(row, h) : null).toBeNull();
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
      writtenThisRun: new Map([['fresh', packetFigures(packet('fresh', { status: 'compliant' }))]]),
      check: async (folder) => {
        checked.push(path.basename(folder));
        return path.basename(folder) === 'edited'
          ? 'changed: packet.json (its sha256 is not the one manifest.json lists)'
          : undefined;
      },
    });
    // Checked side by side: which folders were checked, not in what order.
    expect(checked.sort()).toEqual(['edited', 'kept']);
    expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
      ['edited', 'unverified'],
      ['fresh', 'compliant'],
      ['kept', 'compliant'],
    ]);
    expect(portfolio.tenants[1]!.previous).toMatchObject({ period: '2026-09', state: 'not_collected' });
    expect(portfolio.tenants[0]).toMatchObject({
      objectsPct: null,
      failingControls: null,
      complete: false,
      problem: 'packet does not verify: changed: packet.json (its sha256 is not the one manifest.json lists)',
    });
  });

  it('by default runs verify: a folder holding only packet.json (no manifest, no evidence) is unverified', async () => {
    const { portfolio } = await writePortfolio(dir, '2026-10', {
      writtenThisRun: new Map(['fresh', 'kept'].map((id) => [id, packetFigures(packet(id, { status: 'compliant' }))])),
    });
    const edited = portfolio.tenants.find((r) => r.tenant === 'edited')!;
    expect(edited.status).toBe('unverified');
    // No manifest.json: that is the reason given, not the differences it causes.
    expect(edited.problem).toBe('packet does not verify: manifest.json unreadable: there is no such file');
  });
  it("one tenant's manifest.json past the limit for a file read whole: that tenant unverified, the rest counted", async () => {
    const own = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-oversized-'));
    try {
      for (const id of ['fine', 'oversized']) {
        await mkdir(path.join(own, '2026-10', id), { recursive: true });
        await writeFile(
          path.join(own, '2026-10', id, 'packet.json'),
          JSON.stringify(packet(id, { status: 'compliant' })),
        );
      }
      // 300 MiB, sparse: read whole, one tenant's file would hold the process's memory for every tenant.
      const manifest = path.join(own, '2026-10', 'oversized', 'manifest.json');
      await writeFile(manifest, '');
      await truncate(manifest, 300 * 1024 * 1024);
      const { portfolio } = await writePortfolio(own, '2026-10', {
        writtenThisRun: new Map([['fine', packetFigures(packet('fine', { status: 'compliant' }))]]),
      });
      // The unverified first, as the portfolio orders its rows.
      expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
        ['oversized', 'unverified'],
        ['fine', 'compliant'],
      ]);
      expect(portfolio.tenants[0]!.problem).toBe(
        'packet does not verify: manifest.json unreadable: it is 314572800 bytes, over the 268435456-byte limit for a file read whole',
      );
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});

describe("portfolio: a packet that is not the folder's own", () => {
  it("counts a verified packet only in <period>/<its tenant id>/: last month's or another tenant's copied in, and a link, are named, not counted", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-placed-'));
    try {
      const place = async (folder: string, p: Packet) => {
        await mkdir(path.join(dir, '2026-10', folder), { recursive: true });
        await writeFile(path.join(dir, '2026-10', folder, 'packet.json'), JSON.stringify(p));
      };
      const september = packet('acme', { status: 'compliant' });
      september.period = { ...september.period, label: '2026-09' };
      await place('acme', packet('acme', { status: 'attention' }));
      await place('acme-copy', packet('acme', { status: 'compliant' }));
      await place('beta', september);
      await place('gamma', { ...september, tenant: { ...september.tenant, id: 'gamma' } });
      const elsewhere = path.join(dir, 'elsewhere', 'delta');
      await mkdir(elsewhere, { recursive: true });
      await writeFile(path.join(elsewhere, 'packet.json'), JSON.stringify(packet('delta', { status: 'compliant' })));
      await symlink(elsewhere, path.join(dir, '2026-10', 'delta'));
      const checked: string[] = [];
      const { portfolio } = await writePortfolio(dir, '2026-10', {
        // Every packet here would verify: what is refused is refused for where it lies.
        check: async (folder) => {
          checked.push(path.basename(folder));
          return undefined;
        },
        expectedTenants: ['acme', 'beta', 'delta'],
      });
      // Only the packet in its own place is verified: the others are refused before that costly step.
      expect(checked).toEqual(['acme']);
      expect(portfolio.tenants.map((r) => [r.tenant, r.status, r.problem ?? null])).toEqual([
        ['delta', 'unreadable', 'a symbolic link, not a packet folder: it is not followed'],
        [
          'acme-copy',
          'unverified',
          "the packet in 2026-10/acme-copy/ is tenant acme's for 2026-10, not tenant acme-copy's for 2026-10",
        ],
        [
          'beta',
          'unverified',
          "the packet in 2026-10/beta/ is tenant acme's for 2026-09, not tenant beta's for 2026-10",
        ],
        [
          'gamma',
          'unverified',
          "the packet in 2026-10/gamma/ is tenant gamma's for 2026-09, not tenant gamma's for 2026-10",
        ],
        ['acme', 'attention', null],
      ]);
      // Nothing of the refused packets is counted.
      for (const r of portfolio.tenants.slice(0, 4))
        expect([r.objectsPct, r.failingControls, r.complete]).toEqual([null, null, false]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('portfolio: the reasons it gives name no local path', () => {
  it('a packet.json that is a link out, and evidence that is a link out, are named from the period folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-paths-'));
    try {
      const acme = path.join(dir, '2026-10', 'acme');
      await mkdir(path.join(acme, 'evidence'), { recursive: true });
      await writeFile(path.join(acme, 'packet.json'), JSON.stringify(packet('acme', { status: 'compliant' })));
      await writeFile(path.join(acme, 'manifest.json'), JSON.stringify({ manifestVersion: 1, files: [] }));
      await writeFile(path.join(dir, 'outside.json'), '{}');
      await symlink(path.join(dir, 'outside.json'), path.join(acme, 'evidence', 'run.json'));
      await mkdir(path.join(dir, '2026-10', 'beta'));
      await symlink(path.join(dir, 'outside.json'), path.join(dir, '2026-10', 'beta', 'packet.json'));
      const { portfolio } = await writePortfolio(dir, '2026-10', {});
      expect(portfolio.tenants.map((r) => [r.tenant, r.problem])).toEqual([
        ['beta', 'packet.json unreadable: ./beta/packet.json: is a symbolic link that leads outside ./beta'],
        [
          'acme',
          'packet does not verify: packet could not be re-derived: ./acme/evidence/run.json: is a symbolic link that leads outside ./acme',
        ],
      ]);
      expect(await readFile(path.join(dir, '2026-10', 'portfolio.json'), 'utf8')).not.toContain(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('portfolioDiffers: the portfolio on disk against what the packets give now', () => {
  it('nothing for the portfolio as written (tenants named without a folder included); names an edited portfolio.json, an edited workbook and a packet changed since', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-differs-'));
    try {
      const periodDir = path.join(dir, '2026-10');
      for (const id of ['one', 'two']) {
        await mkdir(path.join(periodDir, id), { recursive: true });
        await writeFile(path.join(periodDir, id, 'packet.json'), JSON.stringify(packet(id, { status: 'compliant' })));
      }
      const check = async () => undefined;
      await writePortfolio(dir, '2026-10', { check, expectedTenants: ['one', 'two', 'gone'] });
      expect(await portfolioDiffers(periodDir, { check })).toBeUndefined();

      const jsonFile = path.join(periodDir, 'portfolio.json');
      const xlsxFile = path.join(periodDir, 'portfolio.xlsx');
      const [json, xlsx] = [await readFile(jsonFile, 'utf8'), await readFile(xlsxFile)];
      await writeFile(jsonFile, json.replace('"status": "compliant"', '"status": "attention"'));
      expect(await readFile(jsonFile, 'utf8')).not.toBe(json);
      expect(await portfolioDiffers(periodDir, { check })).toBe(
        "portfolio.json is not what the period's packets give now (`s3-evidence portfolio` rebuilds it)",
      );
      await writeFile(jsonFile, json);
      const edited = Buffer.from(xlsx);
      edited.writeUInt8(edited.readUInt8(edited.length - 40) ^ 1, edited.length - 40);
      await writeFile(xlsxFile, edited);
      expect(await portfolioDiffers(periodDir, { check })).toBe('portfolio.xlsx is not what portfolio.json renders to');
      await writeFile(xlsxFile, xlsx);
      expect(await portfolioDiffers(periodDir, { check })).toBeUndefined();
      // A tenant's packet made again after the portfolio was written (a shard re-run): the portfolio is stale.
      await writeFile(
        path.join(periodDir, 'two', 'packet.json'),
        JSON.stringify(packet('two', { status: 'attention' })),
      );
      expect(await portfolioDiffers(periodDir, { check })).toBe(
        "portfolio.json is not what the period's packets give now (`s3-evidence portfolio` rebuilds it)",
      );
      await rm(jsonFile);
      expect(await portfolioDiffers(periodDir, { check })).toBe('the portfolio cannot be read (ENOENT)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('portfolio: the packets this run wrote', () => {
  it('lists them from the figures the run kept: their packet.json is never read back (nor verified)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-written-'));
    try {
      await mkdir(path.join(dir, '2026-10', 'fresh'), { recursive: true });
      await writeFile(path.join(dir, '2026-10', 'fresh', 'packet.json'), 'not the packet');
      await writeFile(path.join(dir, '2026-10', 'fresh', 'fresh-2026-10.pdf'), 'pdf');
      const written = packet('fresh', { status: 'attention' });
      const checked: string[] = [];
      const { portfolio } = await writePortfolio(dir, '2026-10', {
        writtenThisRun: new Map([['fresh', packetFigures(written)]]),
        check: async (folder) => {
          checked.push(folder);
          return 'checked';
        },
      });
      expect(checked).toEqual([]);
      expect(portfolio.tenants).toHaveLength(1);
      expect(portfolio.tenants[0]).toMatchObject({
        tenant: 'fresh',
        displayName: 'Tenant fresh',
        status: 'attention',
        failingControls: written.controls.filter((c) => c.verdict === 'fail').length,
        pdf: 'fresh/fresh-2026-10.pdf',
        workbook: null,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('portfolio of many packets', () => {
  let dir: string;
  const ids = ['t1', 't2', 't3', 't4', 't5', 't6', 't7'];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3e-portfolio-many-'));
    for (const id of ids) {
      await mkdir(path.join(dir, '2026-10', id), { recursive: true });
      await writeFile(
        path.join(dir, '2026-10', id, 'packet.json'),
        JSON.stringify(packet(id, { status: 'compliant' })),
      );
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('verifies packets several at a time, never more than asked, and its rows do not depend on which verification ends first', async () => {
    let inFlight = 0;
    let most = 0;
    const finished: string[] = [];
    const { portfolio } = await writePortfolio(dir, '2026-10', {
      verifyAtOnce: 3,
      check: async (folder) => {
        const id = path.basename(folder);
        inFlight += 1;
        most = Math.max(most, inFlight);
        // The earlier a tenant sorts, the longer its verification takes: they end in reverse order.
        await new Promise((r) => setTimeout(r, 10 * (ids.length - ids.indexOf(id))));
        inFlight -= 1;
        finished.push(id);
        return id === 't2' || id === 't6' ? 'changed: packet.json' : undefined;
      },
    });
    expect(most).toBe(3);
    expect(finished).not.toEqual(ids);
    expect(portfolio.tenants.map((r) => [r.tenant, r.status])).toEqual([
      ['t2', 'unverified'],
      ['t6', 'unverified'],
      ['t1', 'compliant'],
      ['t3', 'compliant'],
      ['t4', 'compliant'],
      ['t5', 'compliant'],
      ['t7', 'compliant'],
    ]);
  });
});
