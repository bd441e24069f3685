import { beforeAll, describe, expect, it } from 'vitest';
import type { TrendPoint } from '../../../src/evidence/governance-evidence.js';
import type { Packet } from '../../../src/model/packet.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { withGovernance } from '../../support/sample-governance-sections.js';
import { samplePacket } from '../../support/sample-packet.js';
import { outsideMargins, overlapping, pageObjects, pdfText, pdfWords, pdfinfoPages, squash } from './pdf-inspect.js';
import { stressPacket } from './stress-packet.js';

const SHA = `3f9a1c2b${'0'.repeat(52)}c21e`;
const wording = loadWording();
const render = (packet: Packet, pageSize: 'A4' | 'LETTER' = 'A4') =>
  // Three top findings, as a tenant that wants the trend chart on the page configures: with six, the
  // allocation gives the chart's room to findings (the workbook keeps the trend).
  renderPdf(packet, { pageSize, wording, packetSha256: SHA, topFindings: 3 });

/** The stress packet with every section filled: logs, drift, exceptions, trend. */
function stressWithEverything(): Packet {
  const p = withGovernance(stressPacket());
  const logs = samplePacket({ logs: true, manyBuckets: 500 });
  return {
    ...p,
    sections: { ...p.sections, deniedUploads: logs.sections.deniedUploads, keyUsage: logs.sections.keyUsage },
  };
}

describe('renderPdf: drift, exceptions and trend', () => {
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    pdf = await render(samplePacket({ governance: true, logs: true }));
    text = squash(pdfText(pdf));
  });

  it('draws the 12-month trend with its axis stated, every month labelled and each value printed', () => {
    expect(text).toContain('TREND, LAST 12 MONTHS');
    // Lowest month 97.5 %: the tightest floor holding it is 95.
    expect(text).toContain('axis 95–100 %');
    expect(text).toMatch(/Nov 2025 Dec Jan 2026 Feb Mar Apr May Jun Jul Aug Sep Oct/);
    expect(text).toMatch(/\b100 %/);
    expect(text).toMatch(/\b95 %/);
    for (const value of ['97.5', '98.1', '98.9', '99.2', '99.5', '99.7', '99.900', '99.950', '99.972', '99.982'])
      expect(text).toContain(value);
  });

  it('leaves the missing month a named gap, and the unreadable one too, with no number under either', () => {
    expect(text.match(/no packet/g)).toHaveLength(1);
    expect(text).toContain('unreadable');
    // Ten months were read: ten figures per row, none for January or April (blank, never 0).
    expect(text).toMatch(/Failing controls 5 5 4 4 3 3 3 3 2 2\n/);
    // August's packet did not collect denied uploads: "—", not 0.
    expect(text).toMatch(/Denied uploads 40 35 30 28 25 22 20 — 12 17\n/);
    expect(text).toMatch(/Critical changes — — — — — — — — 0 2\n/);
  });

  it('puts month-over-month deltas on the coverage and denied-uploads tiles', () => {
    // 99.982 - 99.972, 99.9 - 99.91, 17 - 12.
    expect(text).toContain('+0.010 pt vs Sep');
    expect(text).toContain('–0.010 pt vs Sep');
    expect(text).toContain('+5 vs Sep');
  });

  it('marks controls with excepted resources and explains the mark under the table', () => {
    expect(text).toMatch(/Encryption mode and key as expected FAIL\* 0 of 2 buckets pass · 1 fail · 1 exception SC-13/);
    expect(text).toMatch(/Customer-managed keys rotate EXCEPTION\* 0 of 1 keys pass · 1 exception SC-12/);
    expect(text).toContain(
      '* 2 failing resources covered by an active exception (EX-1, EX-3), counted as EXCEPTION — workbook sheet Exceptions',
    );
  });

  it('states the drift against the named baseline and its critical items in their own sentences, keys by alias', () => {
    // Approved 2026-09-30T18:00Z: 14:00 in New York, still the 30th.
    expect(text).toContain(
      'Changes vs baseline 2 critical, 1 medium, 1 info since baseline v1 of Sep 2026, approved 2026-09-30 by Jane Doe — workbook sheet Drift',
    );
    // The item's sentence may wrap once.
    expect(text).toMatch(
      /CRITICAL: Bucket policy of bucket acme-web-assets: statement "DenyInsecureTransport" removed: TLS deny\s+removed\./,
    );
    // The second critical item (key rotation) gives way to the controls and findings when the page is full;
    // the header's counts still say there are two.
    expect(text).not.toContain('CRITICAL: Automatic rotation of key arn:');
    // Warnings stay in the workbook when there are critical items.
    expect(text).not.toContain('MEDIUM:');
  });

  it('states open exceptions with owners, the expired and invalid ones, and what expires within 30 days', () => {
    expect(text).toContain(
      'Exceptions 3 open (owners: data-team, platform-team; 1 unused: EX-4) · 1 expired: EX-2 (web-team) · 1 invalid: EX-5',
    );
    expect(text).toContain('expiring within 30 days: EX-3 on 2026-11-20 (platform-team) — workbook sheet Exceptions');
  });

  it('keeps AWS Config in the grid and no longer lists drift, exceptions or trend as not collected', () => {
    expect(text).toContain('AWS Config not collected — not collected by this version');
    for (const label of [
      'Changes vs baseline not collected',
      'Exceptions not collected',
      '12-month trend not collected',
    ])
      expect(text).not.toContain(label);
  });

  it('stays one page, inside the margins, without overlaps, and renders identically twice', async () => {
    expect(pageObjects(pdf)).toBe(1);
    const { width, height, words } = pdfWords(pdf);
    expect(outsideMargins(words, width, height)).toEqual([]);
    expect(overlapping(words)).toEqual([]);
    expect((await render(samplePacket({ governance: true, logs: true }))).equals(pdf)).toBe(true);
  });
});

describe('renderPdf: governance variants', () => {
  it('no baseline: says changes cannot be judged, and no command (client-safe: the command is for the operator)', async () => {
    const p = samplePacket({ governance: true });
    const command =
      's3-evidence baseline approve --tenant acme --period 2026-10 --by "<your name>" --reason "<why this state is approved>"';
    p.sections.drift = { state: 'no_baseline', command };
    for (const size of ['A4', 'LETTER'] as const) {
      const t = squash(pdfText(await render(p, size)));
      expect(t).toContain(
        'Changes vs baseline no approved baseline yet, so changes cannot be judged — workbook sheet Drift',
      );
      expect(t).not.toContain('s3-evidence baseline');
      expect(t).not.toContain('baseline approve');
    }
  });

  it('no register; no change since the baseline; warnings shown when nothing is critical', async () => {
    const p = samplePacket({ governance: true });
    p.sections.exceptions = { state: 'no_register', file: 'config/exceptions/acme.yaml' };
    const drift = p.sections.drift;
    if (drift.state !== 'compared') throw new Error('sample changed');
    p.sections.drift = { ...drift, counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, items: [] };
    let t = squash(pdfText(await render(p)));
    // The register's file is the operator's; the page only says there is none.
    expect(t).toContain('Exceptions no exceptions register: no exception applies');
    expect(t).not.toContain('config/exceptions');
    expect(t).toContain('Changes vs baseline no change since baseline v1 of Sep 2026, approved 2026-09-30 by Jane Doe');

    p.sections.drift = {
      ...drift,
      counts: { critical: 0, high: 0, medium: 1, low: 0, info: 1 },
      items: drift.items.filter((i) => i.severity !== 'critical'),
    };
    t = squash(pdfText(await render(p)));
    expect(t).toContain('1 medium, 1 info since baseline v1');
    expect(t).toContain(
      'MEDIUM: Bucket policy of bucket acme-prod-data: statement "=SUM(A1:A9)" changed (Principal, Action).',
    );
  });

  it('no delta when the previous month has no packet; the trend still ends with this month', async () => {
    const p = samplePacket({ governance: true, logs: true });
    const trend = p.sections.trend;
    if (trend.state !== 'collected') throw new Error('sample changed');
    const gap: TrendPoint = {
      period: '2026-09',
      state: 'missing',
      objectsPct: null,
      bytesPct: null,
      deniedUploads: null,
      failingControls: null,
      criticalDrifts: null,
    };
    p.sections.trend = { ...trend, points: trend.points.map((pt) => (pt.period === '2026-09' ? gap : pt)) };
    const t = squash(pdfText(await render(p)));
    expect(t).not.toContain('vs Sep');
    expect(t.match(/no packet/g)).toHaveLength(2);
    expect(t).toMatch(/Failing controls 5 5 4 4 3 3 3 3 2\n/);
  });

  it('a tight axis when every month is at or above 99.9 %, and down-deltas for fewer denied uploads', async () => {
    const p = samplePacket({ governance: true, logs: true });
    const trend = p.sections.trend;
    if (trend.state !== 'collected') throw new Error('sample changed');
    p.sections.trend = {
      ...trend,
      points: trend.points.map((pt) =>
        pt.state === 'present'
          ? {
              ...pt,
              objectsPct: Math.max(pt.objectsPct ?? 0, 99.95),
              deniedUploads: pt.period === '2026-09' ? 20 : pt.deniedUploads,
            }
          : pt,
      ),
    };
    p.kpis = { ...p.kpis, objectsPct: 99.95 };
    const t = squash(pdfText(await render(p)));
    expect(t).toContain('axis 99.9–100 %');
    expect(t).toMatch(/\b99\.9 %/);
    // September keeps 99.972 (above the 99.95 floor); this month's tile says 99.95: down 0.022 pt. Denied 17 after 20: down 3.
    expect(t).toContain('–0.022 pt vs Sep');
    expect(t).toContain('–3 vs Sep');
  });

  it.each(['A4', 'LETTER'] as const)(
    'the stress packet with every section on %s: one page, nothing outside the margins or overlapping',
    async (size) => {
      const pdf = await render(stressWithEverything(), size);
      expect(pageObjects(pdf)).toBe(1);
      expect(pdfinfoPages(pdf)).toBe(1);
      const { width, height, words } = pdfWords(pdf);
      expect(outsideMargins(words, width, height)).toEqual([]);
      expect(overlapping(words)).toEqual([]);
      const t = squash(pdfText(pdf));
      // With every FAIL and NOT EVALUATED control kept whole, the trend chart gives way to a grid cell.
      expect(t).not.toContain('TREND, LAST 12 MONTHS');
      // The cell still names the chart's gaps: withGovernance's 12 months hold 2026-01 missing, 2026-04 unreadable.
      expect(t).toContain('12-month trend 10 of 12 months with a packet · 1 unreadable');
      expect(t).toContain('Changes vs baseline 2 critical');
      expect(t).toContain('Exceptions 3 open');
      expect(t).toMatch(/and \d+ more — see workbook sheet Controls/);
      // 515 findings of two rules take two rows; the 504 buckets of the second are counted, not listed.
      expect(t).toContain('by rule: 2 of 2 rules, 515 findings · full list: workbook sheet Findings');
      expect(t).toContain(
        'MEDIUM ×514 No bucket policy statement denies uploads without…: 504 resources — see workbook sheet Findings',
      );
    },
  );
});

describe('renderPdf: a month whose refused uploads went past the itemising limit', () => {
  it('shows its count as a floor ("12+") in the trend, and no difference of floors on the tile', async () => {
    const p = samplePacket({ governance: true, logs: true });
    const trend = p.sections.trend;
    if (trend.state !== 'collected') throw new Error('the sample packet has a trend');
    const points = trend.points.map((pt) =>
      pt.period === '2026-09' ? { ...pt, deniedUploadsNotItemised: 4_000 } : pt,
    );
    const text = squash(pdfText(await render({ ...p, sections: { ...p.sections, trend: { ...trend, points } } })));
    expect(text).toMatch(/Denied uploads 40 35 30 28 25 22 20 — 12\+ 17\n/);
    // The denied tile's "+5 vs Sep" (17 after 12) is gone; the coverage tiles keep theirs.
    expect(text).not.toContain('+5 vs Sep');
    expect(text).toContain('+0.010 pt vs Sep');
  });
});
