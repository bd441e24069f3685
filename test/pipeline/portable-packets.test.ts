/**
 * Packets are portable: the same configuration and export trees in two folders at different paths
 * (different depths, different names) give byte-identical packets, and no packet file — including
 * the text inside the PDF's compressed streams and the workbook's zipped parts — names either path.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { generateDemoExports } from '../../src/demo/generate-demo.js';

let base: string;
const roots: string[] = [];

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** Every entry of a zip, inflated; read from the central directory, as a streamed zip's local headers carry no sizes. */
function zipParts(zip: Buffer): Buffer[] {
  return new AdmZip(zip).getEntries().map((entry) => entry.getData());
}

/** The PDF's bytes plus every FlateDecode stream inflated. */
function pdfParts(pdf: Buffer): Buffer[] {
  const parts = [pdf];
  const text = pdf.toString('latin1');
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    try {
      parts.push(inflateSync(pdf.subarray(start, end)));
    } catch {
      // not a deflated stream (images, fonts stored raw)
    }
  }
  return parts;
}

function readable(file: string, bytes: Buffer): Buffer[] {
  if (file.endsWith('.xlsx')) return [bytes, ...zipParts(bytes)];
  if (file.endsWith('.pdf')) return pdfParts(bytes);
  return [bytes];
}

/** The demo's configuration and export trees under `root`, then `run` through the CLI as a user would. */
async function checkout(root: string): Promise<string> {
  mkdirSync(path.join(root, 'config'), { recursive: true });
  cpSync(path.resolve('config/demo.yaml'), path.join(root, 'config', 'demo.yaml'));
  await generateDemoExports(path.join(root, 'output', 'demo-export'));
  const out = path.join(root, 'out');
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    expect(
      await main([
        'node',
        's3-evidence',
        'run',
        '--config',
        path.join(root, 'config', 'demo.yaml'),
        '--period',
        '2026-10',
        '--out',
        out,
      ]),
    ).toBe(3);
  } finally {
    process.stdout.write = write;
  }
  return path.join(out, '2026-10');
}

let first: string;
let second: string;

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 's3e-portable-'));
  roots.push(path.join(base, 'a'), path.join(base, 'somewhere', 'much', 'deeper', 'checkout-b'));
  first = await checkout(roots[0]!);
  second = await checkout(roots[1]!);
}, 240_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('portable packets', () => {
  it('two checkouts at different paths give the same files, byte for byte (PDF and XLSX included)', () => {
    const files = walk(first).sort();
    expect(walk(second).sort()).toEqual(files);
    const packetFiles = files.filter((f) => f.includes('/'));
    expect(packetFiles.filter((f) => f.endsWith('.pdf'))).toHaveLength(3);
    expect(packetFiles.filter((f) => f.endsWith('.xlsx'))).toHaveLength(3);
    expect(packetFiles.length).toBeGreaterThan(150);
    const differing = files.filter(
      (f) => !readFileSync(path.join(first, f)).equals(readFileSync(path.join(second, f))),
    );
    console.log(`portable packets: ${files.length} files compared across two checkouts, ${differing.length} differing`);
    expect(differing).toEqual([]);
  });

  it('no file of either checkout contains its checkout path, even inside compressed PDF streams and workbook parts', () => {
    for (const [dir, root] of [
      [first, roots[0]!],
      [second, roots[1]!],
    ] as const) {
      const naming = walk(dir).filter((f) =>
        readable(f, readFileSync(path.join(dir, f))).some((part) => part.includes(root) || part.includes(base)),
      );
      expect(naming).toEqual([]);
    }
  });

  it('locations are recorded relative to the configuration file: offline exports, "looked in" reasons, the exceptions file', () => {
    const tenantJson = readFileSync(path.join(first, 'northwind', 'evidence', 'tenant.json'), 'utf8');
    expect(JSON.parse(tenantJson).tenant.accounts[0].offlineExport).toBe('../output/demo-export/accounts/111111111111');
    const manifest = JSON.parse(readFileSync(path.join(first, 'northwind', 'manifest.json'), 'utf8')) as {
      sources: Array<{ location: string }>;
    };
    expect(manifest.sources.map((s) => s.location)).toEqual([
      'offline export ../output/demo-export/accounts/111111111111',
      '../output/demo-export/inventory/northwind',
    ]);
    const globex = readFileSync(path.join(first, 'globex', 'packet.json'), 'utf8');
    expect(globex).toContain('looked in ../output/demo-export/inventory/globex/globex-analytics');
    const governance = JSON.parse(readFileSync(path.join(first, 'acme', 'evidence', 'governance.json'), 'utf8')) as {
      exceptions: { file: string };
    };
    expect(governance.exceptions.file).toBe('exceptions/acme.yaml');
  });
});
