import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Packet } from '../../src/model/packet.js';
import { captured, cli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { pdfText } from '../render/pdf/pdf-inspect.js';

/** The run's clock, fixed: 2 December 2026, so 2026-11 is closed and 2026-12 is not. */
const NOW = new Date('2026-12-02T12:00:00Z');
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let cfg: string;

beforeAll(async () => {
  ws = await demoWorkspace();
  cfg = path.join(ws.root, 'config', 'demo.yaml');
}, 60_000);
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('closed periods only', () => {
  it('a period that has not begun (2099-01) is refused, exit 2, even as provisional; nothing is written', async () => {
    expect(await cli('run', '--config', cfg, '--period', '2099-01', '--out', ws.out, '--provisional')).toBe(2);
    expect(captured.err).toContain(
      'period 2099-01 has not begun for tenant northwind (it starts 2099-01-01 00:00 America/Chicago); there is no evidence for it yet',
    );
    expect(existsSync(path.join(ws.out, '2099-01'))).toBe(false);
  });

  it('the unfinished month (2026-12) is refused without --provisional, exit 2, saying when it ends', async () => {
    expect(await cli('run', '--config', cfg, '--period', '2026-12', '--tenant', 'acme', '--out', ws.out)).toBe(2);
    expect(captured.err).toBe(
      's3-evidence: period 2026-12 has not ended (it ends 2027-01-01 00:00 America/New_York); a packet for an unfinished month is provisional: pass --provisional to make one, stamped PROVISIONAL\n',
    );
    expect(existsSync(path.join(ws.out, '2026-12'))).toBe(false);
  });

  it('a period that ended more than 60 months ago is refused, exit 2', async () => {
    expect(await cli('run', '--config', cfg, '--period', '2021-06', '--tenant', 'acme', '--out', ws.out)).toBe(2);
    expect(captured.err).toContain('period 2021-06 ended more than 60 months ago');
  });

  it('--provisional makes the packet, stamped PROVISIONAL in packet.json, the status line, the PDF and every sheet', async () => {
    const code = await cli(
      'run',
      '--config',
      cfg,
      '--period',
      '2026-12',
      '--tenant',
      'northwind',
      '--out',
      ws.out,
      '--provisional',
    );
    expect([0, 3]).toContain(code);
    expect(captured.out).toMatch(/^northwind 2026-12: PROVISIONAL [A-Z]+, /);
    const dir = path.join(ws.out, '2026-12', 'northwind');
    const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8')) as Packet;
    expect(packet.provisional).toBe(true);
    const text = pdfText(readFileSync(path.join(dir, 'northwind-2026-12.pdf')));
    expect(text).toContain(
      'PROVISIONAL — 2026-12 had not ended when this evidence was collected; figures may still change',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(path.join(dir, 'northwind-2026-12.xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThan(10);
    for (const sheet of wb.worksheets) {
      const stamped = (sheet.getRow(1).values as unknown[]).some(
        (v) => typeof v === 'string' && v.startsWith('PROVISIONAL — 2026-12 had not ended'),
      );
      expect(stamped, sheet.name).toBe(true);
    }
    // verify re-derives the same provisional packet from the frozen evidence.
    vi.useRealTimers();
    expect(await cli('verify', dir)).toBe(0);
  }, 120_000);

  it('a closed month (2026-11) runs without --provisional and is not stamped', async () => {
    const code = await cli(
      'run',
      '--config',
      cfg,
      '--period',
      '2026-11',
      '--tenant',
      'northwind',
      '--out',
      ws.out,
      '--json',
    );
    expect([0, 3]).toContain(code);
    const packet = JSON.parse(readFileSync(path.join(ws.out, '2026-11', 'northwind', 'packet.json'), 'utf8')) as Packet;
    expect(packet.provisional).toBeUndefined();
    expect(captured.out).not.toContain('provisional');
  }, 120_000);
});
