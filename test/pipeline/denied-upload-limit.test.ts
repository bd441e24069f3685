/**
 * A month with more refused uploads than the tenant's limit (sources.maxDeniedUploads): the first
 * ones are itemised, the rest counted, and the packet says what it left out instead of failing for
 * want of memory (a million refusals used to end the run with "Invalid string length").
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLogScan, CloudTrailScan } from '../../src/evidence/log-scans.js';
import type { Packet } from '../../src/model/packet.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';
import { verifyFolder } from '../../src/pipeline/verify-folder.js';
import { tileTexts } from '../render/pdf/pdf-inspect.js';
import { readWorkbook, sheetNamed } from '../support/xlsx-reader.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
beforeAll(async () => {
  ws = await demoWorkspace();
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('sources.maxDeniedUploads', () => {
  it('itemises the first refused uploads of each log location, counts the rest and names them as missing evidence', async () => {
    const acme = ws.config.tenants.find((t) => t.id === 'acme')!;
    // Within the default limit, every refused upload of the demo month is itemised.
    const whole = await runDemoTenant(ws, acme);
    const evidence = path.join(whole.folder, 'evidence', 'logs');
    const accessLogs = readJson<AccessLogScan>(path.join(evidence, 'access-logs-1.json'));
    const trail = readJson<CloudTrailScan>(path.join(evidence, 'cloudtrail-1.json'));
    expect(accessLogs.deniedPastLimit).toBeUndefined();
    expect(trail.deniedPastLimit).toBeUndefined();
    const wholePacket = readJson<Packet>(path.join(whole.folder, 'packet.json'));
    const wholeDenied = wholePacket.sections.deniedUploads;
    if (wholeDenied.state !== 'collected') throw new Error('expected collected');
    expect(wholeDenied.notItemised).toBeUndefined();
    const a = accessLogs.denied.length;
    const c = trail.denied.length;
    expect(a).toBeGreaterThan(2);
    expect(c).toBeGreaterThan(2);

    const limited = await runDemoTenant(ws, { ...acme, sources: { ...acme.sources, maxDeniedUploads: 2 } });
    expect(limited.complete).toBe(false);
    expect(limited.missing).toBe(whole.missing + 2);
    const ev = path.join(limited.folder, 'evidence', 'logs');
    const limitedAccessLogs = readJson<AccessLogScan>(path.join(ev, 'access-logs-1.json'));
    const limitedTrail = readJson<CloudTrailScan>(path.join(ev, 'cloudtrail-1.json'));
    expect(limitedAccessLogs.denied).toHaveLength(2);
    expect(limitedAccessLogs.deniedPastLimit).toEqual({ limit: 2, count: a - 2 });
    expect(limitedTrail.denied).toHaveLength(2);
    expect(limitedTrail.deniedPastLimit).toEqual({ limit: 2, count: c - 2 });
    // Apart from the refused uploads, the scans are the same.
    expect({ ...limitedAccessLogs, denied: [], deniedPastLimit: undefined }).toEqual({ ...accessLogs, denied: [] });

    const packet = readJson<Packet>(path.join(limited.folder, 'packet.json'));
    const denied = packet.sections.deniedUploads;
    if (denied.state !== 'collected') throw new Error('expected collected');
    expect(denied.notItemised).toBe(a - 2 + (c - 2));
    const messages = denied.problems.map((p) => `${p.file}: ${p.message}`);
    expect(messages).toContain(
      `${accessLogs.location}: ${a - 2} more denied uploads past the first 2 were counted, not itemised (the limit is sources.maxDeniedUploads): the refused uploads' figures by reason, bucket, principal and day leave them out`,
    );
    expect(messages).toContain(
      `${trail.location}: ${c - 2} more denied upload records past the first 2 were counted, not itemised (the limit is sources.maxDeniedUploads): the refused uploads' figures by reason, bucket, principal and day leave them out`,
    );
    // The page's tile gives the itemised count as a floor, and how many more there were.
    const pdf = readFileSync(path.join(limited.folder, `acme-2026-10.pdf`));
    const tile = tileTexts(pdf).find((t) => t.startsWith('DENIED UPLOADS'))!;
    expect(tile).toBe(`DENIED UPLOADS ${denied.total}+ this month +${a - 2 + (c - 2)} not itemised`);
    // The workbook's sheet says it apart from the itemised total, and marks each location's count.
    const sheet = sheetNamed(readWorkbook(path.join(limited.folder, 'acme-2026-10.xlsx'), 200), 'Denied uploads');
    const rows = sheet.rows.map((r) => r.map((c) => c.value).filter((v) => v !== null));
    expect(rows).toContainEqual([
      'Total',
      'more refused, counted but not itemised',
      a - 2 + (c - 2),
      'past the limit sources.maxDeniedUploads per log location; in none of the rows below (see the Problem rows)',
    ]);
    expect(rows.filter((r) => r[0] === 'Problem' && r[2] === 'NOT ITEMISED').map((r) => r[1])).toEqual([
      accessLogs.location,
      trail.location,
    ]);
    // The month's trend point keeps the count, so a later month's trend shows this one as a floor.
    const trend = packet.sections.trend;
    if (trend.state !== 'collected') throw new Error('expected a trend');
    expect(trend.points.at(-1)).toMatchObject({
      period: '2026-10',
      deniedUploads: denied.total,
      deniedUploadsNotItemised: a - 2 + (c - 2),
    });
    // And the packet verifies: packet.json re-derived from its evidence is the same, byte for byte.
    const verified = await verifyFolder(limited.folder);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });
});
