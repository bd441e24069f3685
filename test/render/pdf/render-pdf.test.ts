import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { defaultTemplatesDir, loadWording, wordingFromText, type Wording } from '../../../src/wording/wording.js';
import { samplePacket } from '../../support/sample-packet.js';
import {
  type Word,
  overlapping,
  pageObjects,
  pdfText,
  pdfWords,
  pdfinfo,
  pdfinfoPages,
  squash,
  titleLines,
} from './pdf-inspect.js';
import { LONG_BUCKET, stressPacket } from './stress-packet.js';

const SHA = `3f9a1c2b${'0'.repeat(52)}c21e`;
const wording = loadWording();
const render = (packet = samplePacket(), pageSize: 'A4' | 'LETTER' = 'A4', w: Wording = wording, logoPath?: string) =>
  renderPdf(packet, { pageSize, wording: w, packetSha256: SHA, ...(logoPath ? { logoPath } : {}) });

/** Text is squashed (see pdf-inspect.ts) so assertions do not depend on the reader's column padding. */

/** The page's content box: 40 pt side margins, 36 pt top and bottom (layout.ts). */
function outsideContentBox(words: Word[], width: number, height: number): Word[] {
  const tolerance = 0.5;
  return words.filter(
    (w) =>
      w.xMin < 40 - tolerance ||
      w.xMax > width - 40 + tolerance ||
      w.yMin < 36 - tolerance ||
      w.yMax > height - 36 + tolerance,
  );
}

describe('renderPdf: the scope line per bucket type', () => {
  it('states each type: counted, not listed (where and the error code), or not read', async () => {
    const p = samplePacket();
    p.scope = {
      types: [
        { type: 'general_purpose', state: 'listed', inScope: 2, excluded: 1, undetermined: 0, unlisted: [] },
        {
          type: 'directory',
          state: 'unlisted',
          inScope: 0,
          excluded: 0,
          undetermined: 0,
          unlisted: [
            {
              where: 'account 111122223333 ap-south-2',
              source: 's3express:ListDirectoryBuckets',
              reason: 'AccessDenied: no',
            },
          ],
        },
        { type: 'table', state: 'not_read', inScope: 0, excluded: 0, undetermined: 0, unlisted: [] },
      ],
    };
    const text = squash(pdfText(await render(p)));
    expect(text).toContain(
      'Scope 2 general purpose buckets; directory buckets not listed in account 111122223333 ap-south-2 (AccessDenied); table',
    );
    // The line wraps: the second line goes on with the last type and the accounts.
    expect(text).toContain("buckets not read — in 1 account, 1 region; 1 excluded by the tenant's bucket selection");
  });
});

describe('renderPdf: the sample packet', () => {
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    pdf = await render();
    text = squash(pdfText(pdf));
  });

  it('is exactly one page', () => {
    expect(pageObjects(pdf)).toBe(1);
    expect(pdfinfoPages(pdf)).toBe(1);
  });

  it('names tenant, period with its zone, operator, generation time and schema', () => {
    expect(text).toContain('ACME Corp — S3 encryption evidence');
    expect(text).toContain('October 2026');
    expect(text).toContain('times in America/New_York');
    expect(text).toContain('Prepared by Example MSP · generated 2026-11-01 06:00 EST · packet schema v1');
  });

  it('shows the status word, the headline and the completeness text', () => {
    expect(text).toMatch(/^ ?STATUS\b.*\n ?ATTENTION\b/m);
    expect(text).toContain('3 controls failing');
    expect(text).toContain('Evidence incomplete: 1 bucket unreadable (AccessDenied)');
  });

  it('shows the five KPI tiles with their figures and denominators', () => {
    // Key rotation has no tile since denied uploads took the fifth place: it is on the Keys line and in the controls.
    for (const label of [
      'OBJECTS ENCRYPTED',
      'BYTES ENCRYPTED',
      'DEFAULT ENCRYPTION',
      'POLICY GUARDRAILS',
      'DENIED UPLOADS',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/99\.982 %/);
    expect(text).toMatch(/99\.900 %/);
    // The reader may join a figure and its smaller "/ N" without a space.
    expect(text).toMatch(/DEFAULT ENCRYPTION[^\n]*\n[^]*?\b1 ?\/ ?2\b/);
    expect(text).toMatch(/SSE 0 ?\/ ?2/);
    expect(text).toMatch(/TLS 1 ?\/ ?2/);
    // An incomplete packet's coverage tile says what its figure covers.
    // (the note wraps inside its tile: two tiles side by side share the lines)
    expect(text).toContain('of 1 measured bucket; 1');
    expect(text).toContain('not measured');
    expect(text).not.toContain('1 of 2 buckets measured');
    expect(text).not.toContain('KEY ROTATION');
    // Not collected: no figure, and the tile says where the reason is.
    expect(text).toContain('not collected (reason');
  });

  it('lists controls with result words and short framework refs', () => {
    expect(text).toMatch(/Default encryption on every bucket NOT EVALUATED 1 of 2 buckets; 1 not evaluated SC-28/);
    expect(text).toMatch(/Objects encrypted at rest FAIL 1 bucket with unencrypted objects CBC-AWS-S3-1/);
  });

  it('lists findings by rule, worst first, each rule once with its count; resources whole, then how many more', () => {
    // 15 findings: 1 HIGH of one rule, 14 MEDIUM of another (sample-packet.ts): two rows, not six.
    expect(text).toContain('by rule: 2 of 2 rules, 15 findings · full list: workbook sheet Findings');
    expect(text).toMatch(/HIGH ×1 acme-prod-data: 1 unencrypted object \(100 B\), oldest 2019-03-02/);
    expect(text).toMatch(
      // The rule is no control of this packet: named by the words its findings share, cut to half the row.
      /MEDIUM ×14 No bucket policy statement denies uploads without…: bucket-0, bucket-1, bucket-2, bucket-3 and 10 more/,
    );
    expect(text).not.toContain('bucket-0: no bucket policy');
    expect(text).not.toMatch(/more rules? \(/);
  });

  it('states missing evidence, keys, scope, sources and every later section', () => {
    expect(text).toContain('Missing evidence bucket acme-denied: s3:GetBucketEncryption (AccessDenied)');
    expect(text).toContain('Keys 1 customer-managed, 1 of 1 rotating; 0 AWS-managed; 0 unreadable');
    expect(text).toContain('2 buckets in 1 account, 1 region; 1 excluded');
    // The label is not repeated when the source's own text starts with it; it is added when not.
    expect(text).toContain(
      'Sources inventory report 2026-10-31 for 1 of 2 buckets · access logs: not collected · CloudTrail: not collected',
    );
    for (const label of [
      'Denied uploads',
      'Key usage',
      'Changes vs baseline',
      'AWS Config',
      'Exceptions',
      '12-month trend',
    ]) {
      expect(text).toContain(`${label} not collected — not collected by this version`);
    }
  });

  it("ends with the packet hash, how to verify (no command: the page is the client's), and the page number", () => {
    expect(text).toContain(
      'packet.json sha256 3f9a1c2b…c21e · every file of the packet is listed with its sha256 in manifest.json',
    );
    expect(text).not.toContain('s3-evidence verify');
    expect(text).toContain('page 1/1');
  });

  it('keeps every word inside the margins, with no two words overlapping', () => {
    const { width, height, words } = pdfWords(pdf);
    expect(words.length).toBeGreaterThan(150);
    expect(width).toBeCloseTo(595.28, 2);
    expect(outsideContentBox(words, width, height)).toEqual([]);
    expect(overlapping(words)).toEqual([]);
  });

  it('fixes the document info from the packet', () => {
    const info = pdfinfo(pdf);
    expect(info).toMatch(/^CreationDate:\s+2026-11-01T11:00:00Z$/m);
    expect(info).toMatch(/^ModDate:\s+2026-11-01T11:00:00Z$/m);
    expect(info).toMatch(/^Producer:\s+s3-evidence 0\.1\.0 \(pdfkit\)$/m);
    expect(info).toMatch(/^Title:\s+ACME Corp — S3 encryption evidence — October 2026$/m);
  });
});

describe('renderPdf: determinism', () => {
  it('renders the same packet to identical bytes', async () => {
    const [a, b] = await Promise.all([render(), render()]);
    expect(a.equals(b)).toBe(true);
  });
  it('changes the bytes (and the trailer ID) when the generation time changes', async () => {
    const a = await render();
    const b = await render({ ...samplePacket(), generatedAt: '2026-11-02T11:00:00Z' });
    const id = (pdf: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(pdf.toString('latin1'))?.[1];
    expect(id(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(a)).not.toBe(id(b));
  });
});

describe('renderPdf: page sizes', () => {
  it('uses the A4 and US Letter media boxes', async () => {
    expect((await render(samplePacket(), 'A4')).toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    expect((await render(samplePacket(), 'LETTER')).toString('latin1')).toContain('/MediaBox [0 0 612 792]');
  });
});

describe('renderPdf: one page whatever the packet size', () => {
  it.each(['A4', 'LETTER'] as const)(
    '500 extra buckets on %s: one page, counts cut with "and N more"',
    async (size) => {
      const pdf = await render(samplePacket({ manyBuckets: 500 }), size);
      expect(pageObjects(pdf)).toBe(1);
      const text = squash(pdfText(pdf));
      expect(text).toContain('by rule: 2 of 2 rules, 515 findings');
      expect(text).toContain('MEDIUM ×514 No bucket policy statement denies uploads without…: bucket-0, bucket-1');
      expect(text).toContain('bucket-3 and 510 more');
      expect(text).toContain('502 buckets in 1 account');
    },
  );

  it.each(['A4', 'LETTER'] as const)(
    'the stress packet on %s: one page, nothing outside the margins or overlapping',
    async (size) => {
      const pdf = await render(stressPacket(), size);
      expect(pageObjects(pdf)).toBe(1);
      expect(pdfinfoPages(pdf)).toBe(1);
      const { width, height, words } = pdfWords(pdf);
      expect(words.length).toBeGreaterThan(300);
      expect(outsideContentBox(words, width, height)).toEqual([]);
      expect(overlapping(words)).toEqual([]);
      const text = squash(pdfText(pdf));
      expect(text).toContain('INCOMPLETE');
      // Rows are cut from the controls that neither fail nor lack evidence: FAIL and NOT EVALUATED stay.
      expect(text).toContain('FAIL');
      expect(text).toContain('NOT EVALUATED');
      expect(text).toMatch(/and \d+ more — see workbook sheet Controls/);
      // 514 findings of one rule on 504 buckets with 68-character names: no name fits whole beside the rule, so the row counts them.
      expect(text).toContain(
        'MEDIUM ×514 No bucket policy statement denies uploads without…: 504 resources — see workbook sheet Findings',
      );
      // 40 missing items: one or two named whole (as the spare lines fall), the rest counted.
      expect(text).toMatch(/and 3[89] more — see workbook sheet Summary/);
    },
  );

  it('shortens a long bucket name in the middle, keeping its distinctive end', async () => {
    const text = squash(pdfText(await render(stressPacket(), 'A4')));
    expect(text).not.toContain(LONG_BUCKET);
    const shortened = /(acme-very-long-[a-z-]*)…([a-z-]*-0042-archive): 1 unencrypted object/.exec(text);
    expect(shortened).not.toBeNull();
    expect(shortened![1]!.length + shortened![2]!.length).toBeLessThan(LONG_BUCKET.length);
  });

  it('prints CJK with an embedded font, an emoji no font has as "?", and "—" for a missing figure', async () => {
    const pdf = await render(stressPacket(), 'A4');
    const text = squash(pdfText(pdf));
    // The long name takes two title lines; read them line by line.
    expect(titleLines(pdf)).toContain('Ünïcødé Œuvre');
    expect(titleLines(pdf)).toContain('株');
    expect(text).toMatch(/OBJECTS ENCRYPTED/);
    expect(text).toContain('no inventory');
    // 99.99999 % of bytes is not 100 %.
    expect(text).toContain('99.999 %');
    expect(text).not.toContain('100 %');
  });
});

describe('renderPdf: wording and logo', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 's3e-pdf-logo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes every label from the wording file', async () => {
    const doc = parse(readFileSync(path.join(defaultTemplatesDir(), 'wording.yaml'), 'utf8')) as {
      pdf: Record<string, Record<string, unknown>>;
    };
    doc.pdf.status = { ...doc.pdf.status, attention: 'ACHTUNG' };
    doc.pdf.controls = { ...doc.pdf.controls, heading: 'Kontrollen' };
    doc.pdf.footer = { ...doc.pdf.footer, page: 'Seite {{page}} von {{pages}}' };
    const text = squash(pdfText(await render(samplePacket(), 'A4', wordingFromText(stringify(doc)))));
    expect(text).toContain('ACHTUNG');
    expect(text).not.toContain('ATTENTION');
    expect(text).toContain('Kontrollen');
    expect(text).toContain('Seite 1 von 1');
  });

  it('draws a logo left of the title and stays on one page', async () => {
    // A 1x1 PNG.
    const logo = path.join(dir, 'logo.png');
    writeFileSync(
      logo,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      ),
    );
    const pdf = await render(samplePacket(), 'A4', wording, logo);
    expect(pageObjects(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
    const acme = pdfWords(pdf).words.find((w) => w.text === 'ACME');
    // Logo box 34 pt + 10 pt gap after the 40 pt margin.
    expect(acme?.xMin).toBeCloseTo(84, 0);
  });
});
