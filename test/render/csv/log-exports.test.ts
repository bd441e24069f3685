import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { csvRenderer } from '../../../src/render/csv/csv-exports.js';
import { loadWording } from '../../../src/wording/wording.js';
import { demoWorkspace, runDemoTenant } from '../../support/demo-workspace.js';
import { derivePacket } from '../../../src/pipeline/analyze-folder.js';

/** RFC 4180 rows, read independently of the tool's writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Rows as objects keyed by the header. */
function readCsv(file: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
const folders: Record<string, string> = {};
const packets: Record<string, Packet> = {};

beforeAll(async () => {
  ws = await demoWorkspace();
  for (const tenant of ws.config.tenants.filter((t) => t.id === 'acme' || t.id === 'globex')) {
    const r = await runDemoTenant(ws, tenant);
    folders[tenant.id] = r.folder;
    packets[tenant.id] = JSON.parse(readFileSync(path.join(r.folder, 'packet.json'), 'utf8')) as Packet;
  }
}, 120_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('log CSV exports of the demo acme packet', () => {
  it('denied-uploads.csv: one row per merged request, as many as the section counts, reasons adding up', () => {
    const s = packets.acme!.sections.deniedUploads;
    if (s.state !== 'collected') throw new Error('acme denied uploads not collected');
    const rows = readCsv(path.join(folders.acme!, 'exports', 'denied-uploads.csv'));
    expect(rows.length).toBe(19);
    expect(rows.length).toBe(s.total);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(19);
    const byReason = (reason: string) => rows.filter((r) => r.reason === reason).length;
    expect([byReason('sse_header_missing'), byReason('sse_value_not_allowed'), byReason('plain_http')]).toEqual([
      12, 2, 5,
    ]);
    expect(rows.filter((r) => r.bucket === 'acme-web-assets').length).toBe(14);
    expect(rows.every((r) => r.seen_in === 'both')).toBe(true);
  });

  it('key-usage.csv: the calls column adds up to the section total; the unexpected user is marked "no"', () => {
    const s = packets.acme!.sections.keyUsage;
    if (s.state !== 'collected') throw new Error('acme key usage not collected');
    const rows = readCsv(path.join(folders.acme!, 'exports', 'key-usage.csv'));
    const calls = rows.reduce((n, r) => n + Number(r.calls), 0);
    expect(calls).toBe(371);
    expect(calls).toBe(s.totals.calls);
    const contractor = rows.filter((r) => r.principal === 'arn:aws:iam::222222222222:user/contractor-jdoe');
    expect(contractor.reduce((n, r) => n + Number(r.calls), 0)).toBe(8);
    expect(new Set(contractor.map((r) => r.expected))).toEqual(new Set(['no']));
    expect(rows.reduce((n, r) => n + Number(r.failures), 0)).toBe(s.totals.failures);
  });

  it('key-management-events.csv: every event of the section', () => {
    const rows = readCsv(path.join(folders.acme!, 'exports', 'key-management-events.csv'));
    expect(rows.map((r) => [r.event, r.principal, r.time])).toEqual([
      ['DisableKeyRotation', 'arn:aws:iam::222222222222:role/platform-admin', '2026-10-12T16:14:40.000Z'],
    ]);
  });

  it('are listed in the manifest', () => {
    const manifest = readFileSync(path.join(folders.acme!, 'manifest.json'), 'utf8');
    for (const f of ['exports/denied-uploads.csv', 'exports/key-usage.csv', 'exports/key-management-events.csv'])
      expect(manifest).toContain(f);
  });

  it('neutralise a requester-controlled value that a spreadsheet would run as a formula', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 's3e-csv-'));
    try {
      const packetDir = path.join(dir, 'acme');
      cpSync(folders.acme!, packetDir, { recursive: true });
      // An object key is whatever the uploader chose.
      const logFile = path.join(packetDir, 'evidence', 'logs', 'access-logs-1.json');
      const scan = JSON.parse(readFileSync(logFile, 'utf8')) as { denied: Array<{ key: string | null }> };
      for (const d of scan.denied) d.key = '=HYPERLINK("http://evil","x")';
      writeFileSync(logFile, JSON.stringify(scan));
      const out = path.join(dir, 'render');
      const { exports } = await derivePacket(packetDir);
      const written = await csvRenderer.render(packets.acme!, {
        outDir: out,
        exports,
        wording: loadWording(),
        pageSize: 'A4',
        topFindings: 6,
        packetSha256: '0'.repeat(64),
      });
      expect(written).toContain('exports/denied-uploads.csv');
      const text = readFileSync(path.join(out, 'exports', 'denied-uploads.csv'), 'utf8');
      const keys = readCsv(path.join(out, 'exports', 'denied-uploads.csv')).map((r) => r.key);
      expect(new Set(keys)).toEqual(new Set([`'=HYPERLINK("http://evil","x")`]));
      expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('log CSV exports when the sections are not collected', () => {
  it('globex: no log export is written', () => {
    expect(packets.globex!.sections.deniedUploads.state).toBe('not_collected');
    for (const f of ['denied-uploads.csv', 'key-usage.csv', 'key-management-events.csv'])
      expect(existsSync(path.join(folders.globex!, 'exports', f))).toBe(false);
    expect(existsSync(path.join(folders.globex!, 'exports', 'findings.csv'))).toBe(true);
  });
});
