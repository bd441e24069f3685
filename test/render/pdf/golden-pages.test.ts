/**
 * Golden page images: the three demo tenants' October pages (rendered by the demo's own pipeline in a
 * temporary folder, September approved as baseline first, as `npm start` does) and the stress tenant on
 * A4 and Letter, rasterised with PDF.js onto a Skia canvas (test/support/page-image.ts), compared with the
 * references in test/fixtures/golden-pages/. A page that differs writes the actual image and a diff
 * under <os tmpdir>/s3e-golden-pages/ and names them in the failure.
 *
 * After a deliberate change to the page, look at the new images and regenerate the references:
 *   npm run golden:update
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { periodFor } from '../../../src/config/period.js';
import { prepareDemoHistory } from '../../../src/demo/demo-history.js';
import { DEMO_PERIOD, demoExportedAt } from '../../../src/demo/generate-demo.js';
import type { Packet } from '../../../src/model/packet.js';
import { runTenant } from '../../../src/pipeline/run-tenant.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import {
  decodePng,
  diffImages,
  encodePng,
  PIXEL_TOLERANCE,
  rasterise,
  writeFailure,
  type PageImage,
} from '../../support/page-image.js';
import { stressTenant } from '../../support/stress-tenant.js';
import { pdfText, squash } from './pdf-inspect.js';

const REFERENCES = path.resolve('test/fixtures/golden-pages');
const UPDATE = process.env.S3E_UPDATE_GOLDEN === '1';
const DEMO_TENANTS = ['northwind', 'acme', 'globex'] as const;

const pdfs = new Map<string, Buffer>();
const demoPackets = new Map<string, Packet>();
let root: string;

/** The demo as `npm start` makes it, in a temporary folder: config and exceptions copied, exports generated. */
async function renderDemo(): Promise<void> {
  root = mkdtempSync(path.join(os.tmpdir(), 's3e-golden-demo-'));
  cpSync(path.resolve('config/demo.yaml'), path.join(root, 'config', 'demo.yaml'));
  cpSync(path.resolve('config/exceptions'), path.join(root, 'config', 'exceptions'), { recursive: true });
  const file = path.join(root, 'config', 'demo.yaml');
  const config = parseConfig(readFileSync(file, 'utf8'), file);
  const outDir = path.join(root, 'out');
  const exportsDir = path.join(root, 'output', 'demo-export');
  await prepareDemoHistory({ config, configSha256: 'f'.repeat(64), exportsDir, outDir });
  for (const tenant of config.tenants) {
    const result = await runTenant({
      config,
      configSha256: 'f'.repeat(64),
      tenant,
      period: periodFor(DEMO_PERIOD, tenant.timeZone),
      outDir,
      now: new Date(demoExportedAt(DEMO_PERIOD)),
    });
    pdfs.set(tenant.id, readFileSync(path.join(result.folder, `${tenant.id}-${DEMO_PERIOD}.pdf`)));
    demoPackets.set(tenant.id, JSON.parse(readFileSync(path.join(result.folder, 'packet.json'), 'utf8')) as Packet);
  }
}

async function renderStress(packet: Packet, size: 'A4' | 'LETTER'): Promise<Buffer> {
  return renderPdf(packet, { pageSize: size, wording: loadWording(), packetSha256: 'ab'.repeat(32) });
}

/** Compares a page with its reference (or writes the reference in update mode); returns the failure text, if any. */
async function compare(name: string, image: PageImage): Promise<string | undefined> {
  const reference = path.join(REFERENCES, `${name}.png`);
  if (UPDATE) {
    mkdirSync(REFERENCES, { recursive: true });
    writeFileSync(reference, encodePng(image));
  }
  if (!existsSync(reference)) return `no reference ${reference}: run npm run golden:update and look at it`;
  const diff = diffImages(await decodePng(reference), image);
  if (diff.sameSize && diff.differing <= PIXEL_TOLERANCE) return undefined;
  const files = writeFailure(name, image, diff);
  return (
    `${name}: ${diff.sameSize ? `${diff.differing} pixels differ (at most ${PIXEL_TOLERANCE} may)` : 'page size differs'}` +
    ` from ${path.relative(process.cwd(), reference)}; actual ${files.actual}, diff ${files.diff}` +
    ' (after a deliberate change: npm run golden:update)'
  );
}

beforeAll(async () => {
  await renderDemo();
  const stress = stressTenant();
  for (const size of ['A4', 'LETTER'] as const) pdfs.set(`stress-${size}`, await renderStress(stress, size));
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('golden page images', () => {
  for (const name of [...DEMO_TENANTS, 'stress-A4', 'stress-LETTER']) {
    it(`${name}: the page looks as its reference`, async () => {
      const pdf = pdfs.get(name);
      expect(pdf, `${name} was not rendered`).toBeDefined();
      expect(await compare(name, await rasterise(pdf!))).toBeUndefined();
    }, 60_000);
  }

  it('rasterising the same page twice gives the same pixels', async () => {
    const pdf = pdfs.get('acme')!;
    const [a, b] = [await rasterise(pdf), await rasterise(pdf)];
    expect(diffImages(a, b).differing).toBe(0);
  }, 60_000);
});

describe("acme's demo page: what matters most is never cut", () => {
  it('every FAIL control and the six finding rows the config asks for; passing controls give way, counted', () => {
    const text = squash(pdfText(pdfs.get('acme')!));
    const packet = demoPackets.get('acme')!;
    const controls = text.slice(text.indexOf('CONTROL'), text.indexOf('Top findings'));
    const fail = packet.controls.filter((c) => c.verdict === 'fail').length;
    expect(fail).toBe(5);
    expect(packet.controls.filter((c) => c.verdict === 'not_evaluated')).toHaveLength(0);
    // Each FAIL row is on the page (FAIL* when an exception covers some of its resources).
    expect(controls.match(/ FAIL\*? /g)).toHaveLength(fail);
    // config/demo.yaml asks for six finding rows; acme's 14 findings fall under 12 rules.
    expect(text).toContain('by rule: 6 of 12 rules, 14 findings');
    expect(text).toContain('and 6 more rules (6 findings) — see workbook sheet Findings');
    // Nine controls: the five FAIL rows and one other are shown, the other three counted.
    expect(packet.controls).toHaveLength(9);
    expect(controls).toContain('and 3 more — see workbook sheet Controls');
  });

  it('on Letter too: every FAIL control and the six finding rows; the small print gives way, each cut line counting what it leaves out', async () => {
    const packet = demoPackets.get('acme')!;
    const text = squash(pdfText(await renderStress(packet, 'LETTER')));
    const controls = text.slice(text.indexOf('CONTROL'), text.indexOf('Top findings'));
    expect(controls.match(/ FAIL\*? /g)).toHaveLength(5);
    expect(text).toContain('by rule: 6 of 12 rules, 14 findings');
    expect(text).toContain('Key usage +2 more — see workbook sheet Key usage');
    expect(text).toContain('Denied uploads +2 more — see workbook sheet Denied uploads');
    expect(text).toContain(
      'Exceptions 2 open (owners: records-team@acme.example +1 more) · +2 more — see workbook sheet Exceptions',
    );
  }, 60_000);

  it('each control row whole: the result column as wide as its words, so title and scope need no ellipsis', () => {
    const text = squash(pdfText(pdfs.get('acme')!));
    const controls = text.slice(text.indexOf('CONTROL'), text.indexOf('Top findings'));
    expect(controls).toContain('Non-TLS requests denied by policy FAIL* 0 of 3 buckets pass · 2 fail · 1 excepted');
    expect(controls).toContain('Table keys usable by S3 Tables maintenance FAIL 0 of 1 tables pass · 1 fail');
    expect(controls).not.toContain('…');
    const globex = squash(pdfText(pdfs.get('globex')!));
    expect(globex.slice(globex.indexOf('CONTROL'), globex.indexOf('Top findings'))).not.toContain('…');
  });
});

describe('the small print: a cut line says what and how many it leaves out, and where they are', () => {
  /** The lines of "Evidence and scope", as a reader's text extraction gives them. */
  const smallPrint = (name: string) => {
    const text = pdfText(pdfs.get(name)!, false);
    return text
      .slice(text.indexOf('Evidence and scope'), text.indexOf('packet.json sha256'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  };

  it('no line of the small print ends in an ellipsis, on any golden page', () => {
    for (const name of [...DEMO_TENANTS, 'stress-A4', 'stress-LETTER'])
      expect(
        smallPrint(name).filter((l) => l.endsWith('…')),
        name,
      ).toEqual([]);
  });

  it("acme's full page: Sources and the denied-uploads coverage keep whole items, then count the rest and name the sheet", () => {
    const lines = smallPrint('acme');
    expect(lines).toContain(
      'Sources inventory 2026-11-01 for 3 of 3 buckets, all versions · +2 more — see workbook sheet Summary',
    );
    expect(lines).toContain(
      'coverage: access logs 31/31 days on 3/3 buckets; +1 more — see workbook sheet Denied uploads',
    );
  });

  it('the stress tenant: what each cut line leaves out, on A4 and on Letter', () => {
    const a4 = smallPrint('stress-A4');
    expect(a4).toContain('coverage: +2 more — see workbook sheet Denied uploads');
    expect(a4).toContain('Sources +3 more — see workbook sheet Summary');
    const missing =
      'Missing evidence bucket acme-denied: s3:GetBucketEncryption (AccessDenied); and 2 more — see workbook sheet Summary';
    expect(a4).toContain(missing);
    const letter = smallPrint('stress-LETTER');
    expect(letter).toContain(missing);
    // Letter has room: coverage and sources take a second line and show every item.
    expect(letter.join(' ')).toContain('CloudTrail 31/31 days on 1/2 buckets, no data events for acme-denied');
    expect(letter.join(' ')).toContain('access logs: not collected · CloudTrail: not collected');
    expect(letter.filter((l) => l.includes('more — see workbook sheet'))).toEqual([missing]);
  });
});

describe('the comparison sees a layout change', () => {
  it('a page whose findings moved by one row fails against the reference, and names its actual and diff images', async () => {
    const stress = stressTenant();
    // One rule fewer: every line below the findings moves up by a row.
    const perturbed = {
      ...stress,
      findings: stress.findings.filter((f) => f.controlId !== 'kms-customer-keys-rotate'),
    };
    const image = await rasterise(await renderStress(perturbed, 'A4'));
    const reference = await decodePng(path.join(REFERENCES, 'stress-A4.png'));
    const diff = diffImages(reference, image);
    expect(diff.differing).toBeGreaterThan(PIXEL_TOLERANCE * 10);
    const files = writeFailure('perturbed-stress-A4', image, diff);
    expect(existsSync(files.actual) && existsSync(files.diff)).toBe(true);
    expect(files.diff.startsWith(os.tmpdir())).toBe(true);
    rmSync(path.dirname(files.actual), { recursive: true, force: true });
  }, 60_000);

  it('a one-point shift of the whole page fails; the same page passes', async () => {
    const pdf = pdfs.get('northwind')!;
    const reference = await rasterise(pdf);
    const shifted = shiftRight(reference, 1);
    expect(diffImages(reference, shifted).differing).toBeGreaterThan(PIXEL_TOLERANCE);
    expect(diffImages(reference, reference).differing).toBe(0);
  }, 60_000);
});

/** The image moved `px` pixels to the right, white coming in from the left. */
function shiftRight(image: PageImage, px: number): PageImage {
  const data = new Uint8ClampedArray(image.data.length).fill(255);
  for (let y = 0; y < image.height; y++) {
    const row = y * image.width * 4;
    data.set(image.data.subarray(row, row + (image.width - px) * 4), row + px * 4);
  }
  return { ...image, data };
}
