/**
 * The stress tenant (test/support/stress-tenant.ts) on A4 and on Letter: one page, every FAIL and NOT
 * EVALUATED control on it, the 108-character name whole, and every cut list saying what and how many
 * it leaves out, with every bucket name and exception id whole.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import {
  STRESS_EXCEPTIONS,
  STRESS_OWNERLESS,
  STRESS_RULES,
  STRESS_TENANT_NAME,
  stressBucketName,
  stressTenant,
} from '../../support/stress-tenant.js';
import {
  tileTexts,
  titleLines,
  overlapping,
  outsideMargins,
  pageObjects,
  pdfText,
  pdfWords,
  squash,
} from './pdf-inspect.js';

const wording = loadWording();
const packet = stressTenant();
const bucketNames = new Set(Array.from({ length: 300 }, (_, i) => stressBucketName(i)));

describe('the stress tenant fixture', () => {
  it('is what issue 12 describes: 300 buckets of 63 characters, 465 findings, 60 exceptions (12 ownerless), a 108-character name', () => {
    expect(packet.buckets).toHaveLength(300);
    expect(packet.buckets.every((b) => b.name.length === 63)).toBe(true);
    expect(bucketNames.size).toBe(300);
    expect(packet.findings).toHaveLength(465);
    const ex = packet.sections.exceptions;
    if (ex.state !== 'evaluated') throw new Error('exceptions not evaluated');
    expect(ex.entries).toHaveLength(STRESS_EXCEPTIONS);
    expect(ex.entries.filter((e) => e.owner === undefined)).toHaveLength(STRESS_OWNERLESS);
    expect(packet.tenant.displayName).toHaveLength(108);
  });

  it('its coverage adds up over its own 300 buckets: 298 measured, 2 not (one report unreadable, one not delivered)', () => {
    const measured = packet.buckets.filter((b) => b.coverage.state === 'measured');
    expect(measured).toHaveLength(298);
    expect(packet.coverage).toMatchObject({ measuredBuckets: 298, totalBuckets: 300 });
    // Each measured bucket holds the sample's 10 objects, 9 of them encrypted.
    expect(packet.coverage.total.objects).toBe(2980);
    expect(packet.coverage.encrypted.objects).toBe(2682);
    expect(packet.buckets.filter((b) => b.coverage.state !== 'measured').map((b) => b.coverage.state)).toEqual([
      'unverified',
      'no_inventory',
    ]);
  });
});

for (const size of ['A4', 'LETTER'] as const) {
  describe(`the stress tenant on ${size}`, () => {
    let pdf: Buffer;
    let text: string;
    beforeAll(async () => {
      pdf = await renderPdf(packet, { pageSize: size, wording, packetSha256: 'ab'.repeat(32) });
      text = squash(pdfText(pdf));
    }, 60_000);

    it('is one page with nothing outside the margins or overlapping', () => {
      expect(pageObjects(pdf)).toBe(1);
      const { width, height, words } = pdfWords(pdf);
      expect(outsideMargins(words, width, height)).toEqual([]);
      expect(overlapping(words)).toEqual([]);
    });

    it('shows the 108-character tenant name whole, shrunk onto two lines', () => {
      expect(titleLines(pdf)).toBe(`${STRESS_TENANT_NAME} — S3 encryption evidence`);
    });

    it('shows every FAIL and NOT EVALUATED control with its result word', () => {
      const must = packet.controls.filter((c) => c.verdict === 'fail' || c.verdict === 'not_evaluated');
      expect(must.length).toBeGreaterThan(1);
      for (const c of must) expect(text).toMatch(new RegExp(`${c.title} (FAIL|NOT EVALUATED)`));
    });

    it('lists findings by rule, worst first, each with its count: six rows for 465 findings', () => {
      expect(text).toContain('by rule: 6 of 6 rules, 465 findings');
      const counts = [...text.matchAll(/(CRITICAL|HIGH|MEDIUM|LOW|INFO) ×(\d+) /g)].map((m) => `${m[1]} ${m[2]}`);
      expect(counts).toEqual(STRESS_RULES.map((r) => `${r.severity.toUpperCase()} ${r.count}`));
    });

    it('each finding row names buckets whole and says how many it leaves out', () => {
      const rows = [...text.matchAll(/×(\d+) [^:\n]+: ([^\n]*)/g)];
      expect(rows).toHaveLength(STRESS_RULES.length);
      for (const [i, row] of rows.entries()) {
        const distinct = Math.min(STRESS_RULES[i]!.count, 300);
        const listed = /^(.*?)(?: and (\d+) more)?\s*$/.exec(row[2]!)!;
        const counted = /^(\d+) resources — see workbook sheet Findings$/.exec(row[2]!.trim());
        if (counted) {
          expect(Number(counted[1])).toBe(distinct);
          continue;
        }
        const names = listed[1]!.split(', ');
        for (const name of names) expect(bucketNames.has(name), name).toBe(true);
        expect(names.length + Number(listed[2] ?? 0)).toBe(distinct);
      }
    });

    it('never cuts a bucket name or an exception id', () => {
      expect(text).not.toMatch(/contoso-global-[a-z0-9-]*…/);
      expect(text).not.toMatch(/…[a-z0-9-]*-archive/);
      for (const m of text.matchAll(/contoso-global-logistics[a-z0-9-]*/g))
        expect(bucketNames.has(m[0]), m[0]).toBe(true);
      expect(text).not.toMatch(/EX-\d*…|…X-/);
    });

    it('coverage tiles say what they cover: 298 of the 300 buckets measured, 2 not', () => {
      const [objects, bytes] = tileTexts(pdf);
      // Letter's wider tiles hold the full sentence on two lines; A4's take the shorter one, whole.
      const note = size === 'LETTER' ? 'of 298 measured buckets; 2 not measured' : '298 of 300 buckets measured, 2 not';
      expect(objects).toBe(`OBJECTS ENCRYPTED 90.0 % –9.972 pt vs Sep ${note}`);
      expect(bytes).toBe(`BYTES ENCRYPTED 90.0 % –9.910 pt vs Sep ${note}`);
    });

    it('names every rule by its title or its wording, never by its id', () => {
      for (const { rule } of STRESS_RULES) expect(text).not.toContain(rule);
      expect(text).toContain('Plain-HTTP requests not denied: contoso-global');
      expect(text).toContain('Uploads without SSE not denied: contoso-global');
    });

    it('the exceptions row counts all 60, the 12 without an owner included', () => {
      expect(text).toContain(`${STRESS_EXCEPTIONS} open`);
      expect(text).toMatch(new RegExp(`\\b${STRESS_OWNERLESS} without an owner`));
    });

    it('the exception footnote names ids whole, then how many more, adding up to the 60 applied', () => {
      const footnote = /covered by an active exception \(([^)]*)\)/.exec(text);
      expect(footnote).not.toBeNull();
      const m = /^(.*?) \+(\d+)$/.exec(footnote![1]!)!;
      const ids = m[1]!.split(', ');
      for (const id of ids) expect(id).toMatch(/^EX-2026-1\d\d$/);
      expect(ids.length + Number(m[2])).toBe(STRESS_EXCEPTIONS);
    });
  });
}
