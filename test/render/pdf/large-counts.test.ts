/**
 * A tenant of 10,000 buckets on one page: its counts are written with thousands separators and drawn
 * whole. The controls are the catalog's own, their summaries made by the analysis's controlSummary with
 * a large tenant's counts (those of the 10,000-bucket bench); the findings are the sample's 10,014 of
 * one rule. Before, the page showed "×…00" for those findings, "3000 of 10000 buckets pass · 6000 fail ·
 * 1000 not…" and "Table keys usable by S3 Tables…", and said "bucket bench-00000 (…); and 3 more" of
 * 10,000 buckets with missing evidence: it counted the packet sentence's own "and 9,997 more" as one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/analyze/catalog.js';
import { referencesFor } from '../../../src/analyze/controls/frameworks.js';
import { completenessText } from '../../../src/analyze/build-packet.js';
import { controlSummary } from '../../../src/analyze/evaluate-controls.js';
import type { ControlResult, Packet } from '../../../src/model/packet.js';
import type { Verdict } from '../../../src/model/shared.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { samplePacket } from '../../support/sample-packet.js';
import { outsideMargins, overlapping, pdfText, pdfWords, squash } from './pdf-inspect.js';

const wording = loadWording();

/** The status block names some of the 10,000 buckets with missing evidence and counts the rest. */
function expectEveryBucketCounted(pdf: Buffer): void {
  const status = statusWords(pdf);
  const named = status.match(/bucket bench-\d{5}/g) ?? [];
  expect(named.length).toBeGreaterThan(0);
  expect(status).toContain(`and ${(10_000 - named.length).toLocaleString('en-US')} more — see Missing evidence below`);
}

/** The status block's words in reading order (its two sizes of line leading defeat line grouping). */
function statusWords(pdf: Buffer): string {
  const { words } = pdfWords(pdf);
  const top = words.find((w) => w.text === 'OBJECTS')!.yMin;
  return words
    .filter((w) => w.yMax < top)
    .sort((a, b) => Math.round(a.yMin) - Math.round(b.yMin) || a.xMin - b.xMin)
    .map((w) => w.text)
    .join(' ');
}

/** pass, fail, not evaluated per control, in catalog order; zeros where the bench's tenant has none in scope. */
const COUNTS: Record<string, [number, number, number]> = {
  's3-default-encryption-enabled': [9000, 0, 1000],
  's3-default-encryption-matches-expectation': [9000, 0, 1000],
  's3-objects-encrypted': [0, 0, 10000],
  's3-policy-denies-unencrypted-uploads': [0, 9000, 1000],
  's3-policy-denies-insecure-transport': [3000, 6000, 1000],
  's3-sse-c-uploads-blocked': [0, 9000, 1000],
  'kms-customer-keys-rotate': [675, 225, 0],
};

function largeTenant(): Packet {
  const base = samplePacket({ manyBuckets: 10_000 });
  const catalog = loadCatalog();
  const controls = catalog.controls.map((control): ControlResult => {
    const meta = catalog.metadata.get(control.id)!;
    const [pass, fail, notEvaluated] = COUNTS[control.id] ?? [0, 0, 0];
    const counts: Record<Verdict, number> = {
      pass,
      fail,
      not_evaluated: notEvaluated,
      not_applicable: 0,
      exception: 0,
    };
    const resources = pass + fail + notEvaluated;
    const verdict: Verdict =
      resources === 0 ? 'not_applicable' : fail > 0 ? 'fail' : notEvaluated > 0 ? 'not_evaluated' : 'pass';
    return {
      id: control.id,
      title: meta.title,
      passes: meta.passes,
      verdict,
      summary: controlSummary(wording, control.scope, counts, resources),
      counts,
      resources: [],
      references: referencesFor(control.id, catalog.frameworks),
      remediation: meta.remediation,
    };
  });
  // Each of 10,000 buckets without inventory (the 10,000-bucket bench's tenant); the first 1,000 also denied.
  const scope = (i: number) => `bucket bench-${String(i).padStart(5, '0')}`;
  const missing = [
    ...Array.from({ length: 10_000 }, (_, i) => ({
      scope: scope(i),
      source: 'S3 Inventory',
      reason: 'no S3 Inventory location is configured for this tenant',
    })),
    ...Array.from({ length: 1_000 }, (_, i) => ({
      scope: scope(i * 10 + 9),
      source: 's3:GetBucketPolicy',
      reason: 'AccessDenied: denied',
    })),
  ];
  const completeness = { complete: false, missing, text: completenessText(missing, wording, 10_000, 900) };
  return { ...base, status: 'incomplete', controls, completeness };
}

for (const pageSize of ['A4', 'LETTER'] as const) {
  describe(`a 10,000-bucket tenant's page (${pageSize})`, () => {
    const packet = largeTenant();
    let pdf: Buffer;
    let text: string;
    beforeAll(async () => {
      pdf = await renderPdf(packet, { pageSize, wording, packetSha256: 'ab'.repeat(32) });
      text = squash(pdfText(pdf, false)).replace(/\s+/g, ' ');
    }, 60_000);

    it('states its counts with thousands separators in the packet (the analysis wording)', () => {
      const tls = packet.controls.find((c) => c.id === 's3-policy-denies-insecure-transport')!;
      expect(tls.summary).toBe('3,000 of 10,000 buckets pass · 6,000 fail · 1,000 not evaluated');
    });

    it('counts every bucket with missing evidence it does not name: 10,000 in all', () => {
      // The packet's sentence names three and counts the rest in its own words.
      expect(packet.completeness.text).toContain('; and 9,997 more (workbook sheet Summary)');
      expectEveryBucketCounted(pdf);
    });

    it('draws the count of a rule with 10,014 findings whole', () => {
      expect(packet.findings).toHaveLength(10_015);
      expect(text).toContain('×10,014');
      expect(text).not.toMatch(/×[^ ]*…/);
    });

    it("draws every control's title whole, and its counts whole (short of the scope noun where the long form does not fit)", () => {
      for (const c of packet.controls) {
        expect(text).toContain(c.title);
        const [pass, fail, notEvaluated] = COUNTS[c.id] ?? [0, 0, 0];
        if (pass + fail + notEvaluated === 0) continue;
        const applicable = (pass + fail + notEvaluated).toLocaleString('en-US');
        const parts = [`${pass.toLocaleString('en-US')} of ${applicable}`];
        if (fail > 0) parts.push(`${fail.toLocaleString('en-US')} fail`);
        if (notEvaluated > 0) parts.push(`${notEvaluated.toLocaleString('en-US')} not evaluated`);
        const [first, ...rest] = parts;
        // "3,000 of 10,000 buckets pass · …" or "3,000 of 10,000 pass · …": either way every count whole.
        expect(text).toMatch(new RegExp(`${first} (?:buckets |keys )?pass${rest.map((p) => ` · ${p}`).join('')}`));
      }
      const table = text.slice(text.indexOf('CONTROL RESULT SCOPE'), text.indexOf('Top findings'));
      expect(table).not.toContain('…');
      // One form for every row, so the column reads alike: the keys' row is short too.
      expect(table).toContain('675 of 900 pass · 225 fail');
      expect(table).not.toMatch(/ (buckets|keys) pass/);
    });

    it('is one page with nothing overlapping or outside the margins', () => {
      const { width, height, words } = pdfWords(pdf);
      expect(outsideMargins(words, width, height)).toEqual([]);
      expect(overlapping(words)).toEqual([]);
    });
  });
}

describe('a packet made before counts had separators ("and 9997 more (workbook sheet Summary)")', () => {
  it('is counted the same on the page: every bucket not named', async () => {
    const made = largeTenant();
    const text = made.completeness.text.replace('and 9,997 more', 'and 9997 more');
    expect(text).not.toBe(made.completeness.text);
    const pdf = await renderPdf(
      { ...made, completeness: { ...made.completeness, text } },
      { pageSize: 'A4', wording, packetSha256: 'ab'.repeat(32) },
    );
    expectEveryBucketCounted(pdf);
  });
});

describe("the page's AWS Config line at a large tenant", () => {
  it('writes its counts with thousands separators', () => {
    expect(
      wording.t('pdf.later.awsConfigSummary', {
        rules: 6,
        agree: 9000,
        disagree: 1200,
        notRecording: 0,
        changes: 1500,
      }),
    ).toBe('6 rules: 9,000 agree, 1,200 disagree · 1,500 config changes — sheet AWS Config');
  });
});
