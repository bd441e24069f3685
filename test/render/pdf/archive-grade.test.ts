/**
 * Archive grade: every font is embedded (and subsetted), names in Polish, Greek, Japanese and Arabic
 * print as themselves, and the file identifies as PDF/A-2b with XMP metadata equal to its Info dictionary.
 */
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { readPdf } from '../../support/pdf-reader.js';
import { samplePacket } from '../../support/sample-packet.js';
import { pdfText, squash } from './pdf-inspect.js';

const wording = loadWording();

function render(p: Packet): Promise<Buffer> {
  return renderPdf(p, { pageSize: 'A4', wording, packetSha256: 'cd'.repeat(32) });
}

/** The sample packet with its tenant and its first finding's bucket renamed. */
function named(tenant: string, bucket: string): Packet {
  const p = samplePacket();
  const finding = p.findings[0]!;
  return {
    ...p,
    tenant: { ...p.tenant, displayName: tenant },
    findings: [{ ...finding, text: `${bucket}: 1 unencrypted object (100 B)` }, ...p.findings.slice(1)],
  };
}

/** The XMP packet: pdfkit writes the metadata stream uncompressed, as PDF/A asks. */
function xmp(pdf: Buffer): string {
  const raw = pdf.toString('utf8');
  const start = raw.indexOf('<?xpacket begin');
  const end = raw.indexOf('<?xpacket end');
  if (start < 0 || end < 0) throw new Error('no XMP packet');
  return raw.slice(start, raw.indexOf('?>', end) + 2);
}

const NAMES = [
  { script: 'Polish', tenant: 'Łódź Logistyka Sp. z o.o.', bucket: 'łódź-faktury-źródła' },
  { script: 'Greek', tenant: 'Αθήνα Ναυτιλιακή Α.Ε.', bucket: 'αρχείο-πελατών' },
  { script: 'Japanese', tenant: '東京データ株式会社', bucket: '請求書-アーカイブ' },
  { script: 'Arabic', tenant: 'شركة الخليج', bucket: 'فواتير' },
  { script: 'Arabic and Latin', tenant: 'Gulf Trading شركة الخليج', bucket: 'فواتير' },
  { script: 'Cyrillic', tenant: 'Москва Логистик', bucket: 'счета-архив' },
];

describe('renderPdf: archive grade', () => {
  for (const { script, tenant, bucket } of NAMES) {
    it(`${script}: tenant and bucket names print as themselves, every font embedded and subsetted`, async () => {
      const pdf = await render(named(tenant, bucket));
      const { fonts } = readPdf(pdf);
      expect(fonts.length).toBeGreaterThan(0);
      for (const f of fonts) expect(f, f.name).toMatchObject({ embedded: true, subset: true });
      expect(fonts.every((f) => /Noto/.test(f.name))).toBe(true);
      const text = squash(pdfText(pdf, false));
      // Arabic is shaped (joining forms) and its words stand right to left: read left to right, as this
      // reader does, the last word comes first; each reads back letter for letter, with no stray code.
      if (script.startsWith('Arabic')) {
        const onPage = (name: string) =>
          name.replace(/[\u0600-\u06ff]+(?: [\u0600-\u06ff]+)*/g, (words) => words.split(' ').reverse().join(' '));
        expect(text).toContain(onPage(tenant));
        expect(text).toContain(`${bucket}:`);
        const controlCodes = Array.from(text).filter((c) => c.codePointAt(0)! < 0x20 && !'\n\f\t'.includes(c));
        expect(controlCodes).toEqual([]);
      } else {
        expect(text).toContain(tenant.normalize('NFC'));
        expect(text).toContain(bucket);
      }
    });
  }

  it('loads the CJK face only for a page that needs it', async () => {
    const latin = readPdf(await render(samplePacket())).fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(latin.some((n) => /JP/.test(n))).toBe(false);
    const japanese = readPdf(await render(named('東京データ株式会社', 'x'))).fonts.map((f) => f.name);
    expect(japanese.some((n) => /NotoSansJP/.test(n))).toBe(true);
  });

  it('no standard-14 font anywhere in the file', async () => {
    const pdf = await render(samplePacket());
    expect(pdf.toString('latin1')).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
  });

  it('identifies as PDF/A-2b: PDF 1.7, pdfaid part 2 conformance B, an sRGB output intent', async () => {
    const pdf = await render(samplePacket());
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    expect(raw).toMatch(/\/S \/GTS_PDFA1/);
    const doc = new DOMParser().parseFromString(xmp(pdf), 'text/xml');
    const text = (ns: string, tag: string) => doc.getElementsByTagNameNS(ns, tag)[0]?.textContent?.trim();
    expect(text('http://www.aiim.org/pdfa/ns/id/', 'part')).toBe('2');
    expect(text('http://www.aiim.org/pdfa/ns/id/', 'conformance')).toBe('B');
  });

  it('XMP equals the Info dictionary, and stays well-formed XML for a tenant called "AT&T <Labs>"', async () => {
    const pdf = await render(named('AT&T <Labs>', 'att-data'));
    const info = readPdf(pdf).info;
    const errors: string[] = [];
    const doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(xmp(pdf), 'text/xml');
    expect(errors).toEqual([]);
    const li = (ns: string, tag: string) =>
      doc
        .getElementsByTagNameNS(ns, tag)[0]
        ?.getElementsByTagNameNS('http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'li')[0]?.textContent;
    const dc = 'http://purl.org/dc/elements/1.1/';
    expect(info.Title).toContain('AT&T <Labs>');
    expect(li(dc, 'title')).toBe(info.Title);
    expect(li(dc, 'creator')).toBe(info.Author);
    expect(li(dc, 'description')).toBe(info.Subject);
    const xmpNs = 'http://ns.adobe.com/xap/1.0/';
    expect(doc.getElementsByTagNameNS(xmpNs, 'CreateDate')[0]?.textContent).toBe('2026-11-01T11:00:00Z');
    expect(doc.getElementsByTagNameNS(xmpNs, 'ModifyDate')[0]?.textContent).toBe('2026-11-01T11:00:00Z');
    expect(doc.getElementsByTagNameNS('http://ns.adobe.com/pdf/1.3/', 'Producer')[0]?.textContent).toBe(info.Producer);
  });
});
