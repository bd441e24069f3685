/**
 * The page's "Seen" list (issue 12), one case each: what an executive reads is never cut mid-name,
 * never hides a failing control, says what was evaluated and what a figure covers, and keeps the
 * operator's paths and commands off the client's page.
 */
import { describe, expect, it } from 'vitest';
import { completenessText } from '../../../src/analyze/build-packet.js';
import type { ControlResult, Packet } from '../../../src/model/packet.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { samplePacket } from '../../support/sample-packet.js';
import { pdfText, pdfWords, squash, tileTexts, titleLines } from './pdf-inspect.js';

const wording = loadWording();
const render = async (p: Packet, pageSize: 'A4' | 'LETTER' = 'A4', topFindings = 6) =>
  squash(pdfText(await renderPdf(p, { pageSize, wording, packetSha256: 'ef'.repeat(32), topFindings })));

function control(id: string, title: string, verdict: ControlResult['verdict']): ControlResult {
  return {
    id,
    title,
    passes: 'n/a',
    verdict,
    summary: verdict === 'fail' ? '2 of 3 buckets pass · 1 fail' : '3 of 3 buckets pass',
    counts: { pass: 2, fail: verdict === 'fail' ? 1 : 0, not_evaluated: 0, not_applicable: 0, exception: 0 },
    resources: [],
    references: [],
    remediation: 'n/a',
  };
}

/** Six controls, the two failing ones last (as acme's were), eleven findings of eight rules, every section filled. */
function fullPage(): Packet {
  const p = samplePacket({ logs: true, governance: true });
  const controls = [
    control('c1', 'Default encryption on every bucket', 'pass'),
    control('c2', 'Encryption mode and key as expected', 'pass'),
    control('c3', 'Objects encrypted at rest', 'pass'),
    control('c4', 'Uploads without SSE denied by policy', 'pass'),
    control('c5', 'Non-TLS requests denied by policy', 'fail'),
    control('c6', 'Customer-managed keys rotate', 'fail'),
  ];
  const findings = Array.from({ length: 11 }, (_, i) => ({
    ...p.findings[0]!,
    id: `F-${i + 1}`,
    // Eight rules: rule-0, rule-1 and rule-2 hold two findings each, rule-3 … rule-7 one.
    controlId: `rule-${i % 8}`,
    resource: `bucket-${i}`,
    text: `bucket-${i}: finding number ${i + 1}`,
  }));
  return { ...p, controls, findings };
}

describe('the page never hides a failure', () => {
  for (const size of ['A4', 'LETTER'] as const) {
    it(`${size}: every FAIL control is on the page, and the configured six findings`, async () => {
      const t = await render(fullPage(), size);
      expect(t).toContain('Non-TLS requests denied by policy FAIL');
      expect(t).toContain('Customer-managed keys rotate FAIL');
      expect(t).not.toMatch(/and \d+ more — see workbook sheet Controls/);
      // Eleven findings of eight rules: the configured six rows, the rules with two findings first.
      expect(t).toContain('by rule: 6 of 8 rules, 11 findings · full list: workbook sheet Findings');
      // rule-0 is no control of the packet and has no wording: named by the words its findings share, never by its id.
      expect(t).toContain('×2 Finding number: bucket-0, bucket-8');
      expect(t).not.toMatch(/\brule-\d/);
      expect(t).toContain('×1 bucket-3: finding number 4');
      expect(t).toContain('and 2 more rules (2 findings) — see workbook sheet Findings');
    });
  }

  it('with fewer rows than controls, the passing ones give way and are counted', async () => {
    const p = fullPage();
    const many = Array.from({ length: 20 }, (_, i) => control(`p${i}`, `Passing control ${i}`, 'pass'));
    const t = await render({ ...p, controls: [...many, ...p.controls] }, 'LETTER');
    expect(t).toContain('Non-TLS requests denied by policy FAIL');
    expect(t).toContain('Customer-managed keys rotate FAIL');
    expect(t).toMatch(/and \d+ more — see workbook sheet Controls/);
  });
});

describe('honest headers and tiles', () => {
  it('"0 of 6 evaluated" over six NOT EVALUATED rows, never "6 evaluated"', async () => {
    const p = fullPage();
    const t = await render({ ...p, controls: p.controls.map((c) => ({ ...c, verdict: 'not_evaluated' as const })) });
    expect(t).toContain('0 of 6 evaluated · 0 failing');
    expect(t).not.toMatch(/(^|[^f] )6 evaluated/);
  });

  it('coverage tiles with no bucket measured say why, never "no inventory" for a report that could not be read', async () => {
    const p = samplePacket();
    const [first, second] = p.buckets;
    const pdf = await renderPdf(
      {
        ...p,
        buckets: [
          { ...first!, coverage: { state: 'unverified', reason: 'MD5 mismatch', problems: [] } },
          { ...second!, coverage: { state: 'no_inventory', cause: 'not_configured', reason: 'no location' } },
        ],
        kpis: { ...p.kpis, objectsPct: null, bytesPct: null },
        coverage: { ...p.coverage, measuredBuckets: 0, totalBuckets: 2, objectsPct: null, bytesPct: null },
      },
      { pageSize: 'A4', wording, packetSha256: 'ef'.repeat(32) },
    );
    // Both coverage tiles: "—" and the reasons, each counted ("none measured: " gives way on A4's narrow tiles).
    expect(tileTexts(pdf).slice(0, 2)).toEqual([
      'OBJECTS ENCRYPTED — 1 unreadable, 1 not configured',
      'BYTES ENCRYPTED — 1 unreadable, 1 not configured',
    ]);
    expect(pdfText(pdf)).not.toContain('no inventory');
  });

  it('coverage tiles over measured buckets without objects say so, not "no inventory"', async () => {
    const p = samplePacket();
    const pdf = await renderPdf(
      {
        ...p,
        kpis: { ...p.kpis, objectsPct: null, bytesPct: null },
        coverage: { ...p.coverage, objectsPct: null, bytesPct: null },
      },
      { pageSize: 'A4', wording, packetSha256: 'ef'.repeat(32) },
    );
    expect(tileTexts(pdf).slice(0, 2)).toEqual([
      'OBJECTS ENCRYPTED — measured buckets hold no objects',
      'BYTES ENCRYPTED — measured buckets hold no objects',
    ]);
  });
});

describe('cut lists say what they leave out, never mid-identifier', () => {
  it('missing evidence beside the status: whole items, then how many more', async () => {
    const p = samplePacket();
    const missing = ['globex-analytics', 'globex-payments', 'globex-archive', 'globex-logs', 'globex-media'].map(
      (b) => ({ scope: `bucket ${b}`, source: 's3:GetBucketEncryption', reason: 'AccessDenied: denied' }),
    );
    const text = completenessText(missing, wording, 5, 0);
    const pdf = await renderPdf(
      { ...p, completeness: { complete: false, missing, text } },
      { pageSize: 'A4', wording, packetSha256: 'ef'.repeat(32) },
    );
    // Word by word: the status word beside the two lines makes a reader interleave them.
    const words = pdfWords(pdf).words.map((w) => w.text);
    expect(words.filter((w) => w.endsWith('…') && /[A-Za-z]…$/.test(w) && w.includes(':'))).toEqual([]);
    expect(squash(pdfText(pdf))).not.toMatch(/s3:GetB[a-zA-Z]*…/);
    for (const w of ['(s3:GetBucketEncryption:', 'AccessDenied);', 'more', 'Missing', 'below'])
      expect(words).toContain(w);
    expect(words.some((w) => /^[1-4]$/.test(w))).toBe(true);
  });

  it('a 108-character tenant name shrinks the title onto two lines, whole', async () => {
    const name =
      'Contoso Global Logistics and Maritime Shipping Holdings International Limited Partnership of Europe and Asia';
    expect(name.length).toBe(108);
    const p = samplePacket();
    const pdf = await renderPdf(
      { ...p, tenant: { ...p.tenant, displayName: name } },
      { pageSize: 'A4', wording, packetSha256: 'ef'.repeat(32) },
    );
    const t = pdfText(pdf);
    // Whole, on two smaller lines, where "Contoso Global Logisti…" showed two and a half words.
    expect(titleLines(pdf)).toBe(`${name} — S3 encryption evidence`);
    expect(t).not.toMatch(/Contoso[^\n]*…/);
  });

  it('exception ids in the footnote are whole: as many as fit, then "+N"', async () => {
    const p = samplePacket({ governance: true });
    const ex = p.sections.exceptions;
    if (ex.state !== 'evaluated') throw new Error('sample changed');
    const entries = Array.from({ length: 44 }, (_, i) => ({
      ...ex.entries[0]!,
      id: `EX-2026-${101 + i}`,
      appliedTo: ['acme-prod-data'],
    }));
    const t = await render({ ...p, sections: { ...p.sections, exceptions: { ...ex, entries } } });
    const footnote = /\* \d+ failing resources? covered by an active exception \(([^)]*)\)/.exec(t);
    expect(footnote).not.toBeNull();
    const ids = footnote![1]!.split(/,\s*/);
    const last = ids.pop()!;
    for (const id of ids) expect(id).toMatch(/^EX-2026-1\d\d$/);
    expect(last).toMatch(/^EX-2026-1\d\d \+\d+$/);
    expect(t).not.toContain('…X-2026');
  });

  it('entries without an owner are counted with the owners, not left off', async () => {
    const p = samplePacket({ governance: true });
    const ex = p.sections.exceptions;
    if (ex.state !== 'evaluated') throw new Error('sample changed');
    const ownerless = Array.from({ length: 6 }, (_, i) => {
      const { owner: _owner, ...rest } = ex.entries[0]!;
      return { ...rest, id: `EX-NO-${i}`, status: 'active' as const };
    });
    const t = await render({
      ...p,
      sections: { ...p.sections, exceptions: { ...ex, entries: [...ex.entries, ...ownerless] } },
    });
    expect(t).toMatch(/\b6 without an owner/);
  });
});

describe('client-safe text', () => {
  it('no local path and no operator command on the page', async () => {
    const p = samplePacket({ governance: true });
    const t = await render({
      ...p,
      completeness: {
        ...p.completeness,
        missing: [
          {
            scope: 'bucket acme-denied',
            source: 'S3 Inventory',
            reason: 'no S3 Inventory report (looked in ../output/demo-export/inventory/acme/acme-denied)',
          },
        ],
      },
      sections: {
        ...p.sections,
        drift: { state: 'no_baseline', command: 's3-evidence baseline approve --tenant acme --period 2026-10' },
      },
    });
    expect(t).not.toContain('demo-export');
    expect(t).not.toContain('../');
    expect(t).not.toContain('s3-evidence baseline');
    expect(t).not.toContain('s3-evidence verify');
    expect(t).toContain('no S3 Inventory report');
  });
});

describe('free space before any cut', () => {
  it('a section reason too long for its grid cell gets a row of its own, whole, instead of "(account 22…"', async () => {
    const p = samplePacket();
    const reason =
      'no AWS Config evidence (account 222222222222: the offline export has no configservice folder; account 333333333333: not recording)';
    const t = await render({ ...p, sections: { ...p.sections, awsConfig: { state: 'not_collected', reason } } });
    // The row's two lines read as one sentence once the line break is a space.
    expect(t.replace(/\n\s*/g, ' ')).toContain(`AWS Config not collected — ${reason}`);
    expect(t).not.toMatch(/\(account \d*…/);
  });
});
