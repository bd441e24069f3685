/**
 * The page's fonts with Arabic: names read back letter for letter and in the order they stand on the
 * page, a glyph two code points share reads back as the one this document printed (whatever the process
 * rendered before), the bytes of a page do not depend on what was rendered before it, and letters on
 * which fontkit's mark positioning fails still render.
 */
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { readPdf } from '../../support/pdf-reader.js';
import { samplePacket } from '../../support/sample-packet.js';
import { pdfText, titleLines } from './pdf-inspect.js';

const wording = loadWording();

function named(displayName: string): Packet {
  const p = samplePacket();
  return { ...p, tenant: { ...p.tenant, displayName } };
}

const render = (name: string) => renderPdf(named(name), { pageSize: 'A4', wording, packetSha256: 'cd'.repeat(32) });

/** The page title as read left to right, without the fixed " — S3 encryption evidence". */
const title = (pdf: Buffer) => titleLines(pdf).replace(/ — S3 encryption evidence$/, '');

/** The title line as a reader's text extraction gives it: runs that touch (an Arabic word and its brackets) are one word. */
const titleText = (pdf: Buffer) =>
  (pdfText(pdf, false).split('\n')[0] ?? '').replace(/ — S3 encryption evidence.*$/, '');

/** Code points as U+ hex, so a failure shows which digit or letter came back. */
const codes = (s: string) =>
  Array.from(s).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

describe('fonts: Arabic on the page', () => {
  it('an Arabic name reads back letter for letter, its words right to left (read left to right: the last first)', async () => {
    const pdf = await render('شركة الخليج');
    expect(title(pdf)).toBe('الخليج شركة');
    // No stray codes: every character of the title line is a letter, a space or the dash.
    expect(pdfText(pdf, false).split('\n')[0]).toMatch(/^[\u0621-\u064a ]+ — S3 encryption evidence/);
  });

  it('Latin before and after an Arabic stretch stays in place', async () => {
    expect(title(await render('Gulf Co شركة الخليج للتجارة Ltd'))).toBe('Gulf Co للتجارة الخليج شركة Ltd');
  });

  it('an Arabic name with a bracketed word: the brackets stand around it, mirrored, on the left of the first word', async () => {
    // Logical "شركة (الخليج)": drawn right to left, the pair encloses the second word on the left.
    expect(titleText(await render('شركة (الخليج)'))).toBe('(الخليج) شركة');
    expect(titleText(await render('شركة [الخليج] للتجارة'))).toBe('للتجارة [الخليج] شركة');
    // Latin in the brackets makes them left to right: the Arabic words on either side stand apart, in place.
    expect(titleText(await render('شركة (Gulf) للتجارة'))).toBe('شركة (Gulf) للتجارة');
  });

  it('a number after Arabic words reads left to right, on their left', async () => {
    expect(codes(title(await render('شركة ١٣٨٩ Ltd')))).toEqual(codes('١٣٨٩ شركة Ltd'));
  });

  it('one glyph for "١" (U+0661) and "۱" (U+06F1): each page reads back the digits it printed, in any order', async () => {
    const arabicIndic = 'شركة ١٣٨٩';
    const persian = 'شركة ۱۳۸۹';
    const first = await render(arabicIndic);
    const other = await render(persian);
    const again = await render(arabicIndic);
    expect(codes(title(first))).toEqual(codes('١٣٨٩ شركة'));
    expect(codes(title(other))).toEqual(codes('۱۳۸۹ شركة'));
    // The page rendered after the other is the same file as the one rendered before it.
    expect(again.equals(first)).toBe(true);
  });

  it('letters on which fontkit’s mark positioning fails (Maghrebi feh and qaf) render and read back', async () => {
    const pdf = await render('مطاحن ڢاس ڧ');
    expect(title(pdf)).toBe('ڧ ڢاس مطاحن');
    for (const f of readPdf(pdf).fonts) expect(f, f.name).toMatchObject({ embedded: true, subset: true });
  });
});
