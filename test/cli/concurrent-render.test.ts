/**
 * Tenants rendered side by side (`run --tenants-at-once`) give each tenant the bytes it gets alone, with
 * Arabic names whose digits share glyphs: "١٣٨٩" (Arabic-Indic) and "۱۳۸۹" (Extended Arabic-Indic) are
 * drawn with the same glyphs of Noto Sans Arabic. A page whose glyphs took their code points from
 * whatever the process drew first would differ from the one a run of that tenant alone makes.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCli, startCli } from '../support/cli-process.js';
import { demoWorkspace } from '../support/demo-workspace.js';
import { pdfText } from '../render/pdf/pdf-inspect.js';

const NAMES = { northwind: 'شركة الشمال ١٣٨٩', acme: 'شركة أكمي ۱۳۸۹' } as const;

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let bundle: string;
const outs = { together: '', northwind: '', acme: '' };

beforeAll(async () => {
  ws = await demoWorkspace();
  bundle = await bundledCli();
  const config = path.join(ws.root, 'config', 'demo.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace('displayName: Northwind Health', `displayName: ${NAMES.northwind}`)
      .replace('displayName: ACME Corp', `displayName: ${NAMES.acme}`),
  );
  const run = (out: string, ...extra: string[]) =>
    startCli(bundle, ['run', '-c', config, '-p', '2026-10', '-o', out, '--progress', 'none', ...extra]).done;
  for (const k of Object.keys(outs) as Array<keyof typeof outs>) outs[k] = path.join(ws.root, k);
  const results = await Promise.all([
    run(outs.together, '--tenant', 'northwind', '--tenant', 'acme', '--tenants-at-once', '2'),
    run(outs.northwind, '--tenant', 'northwind'),
    run(outs.acme, '--tenant', 'acme'),
  ]);
  for (const r of results) expect(r.code, r.stderr).not.toBe(1);
});
afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

const pdf = (out: string, tenant: string) => readFileSync(path.join(out, '2026-10', tenant, `${tenant}-2026-10.pdf`));

describe('run --tenants-at-once with Arabic tenant names', () => {
  for (const tenant of ['northwind', 'acme'] as const) {
    it(`${tenant}: the page made beside another tenant is byte for byte the page made alone`, () => {
      expect(pdf(outs.together, tenant).equals(pdf(outs[tenant], tenant))).toBe(true);
    });

    it(`${tenant}: its page reads back its own digits`, () => {
      const digits = NAMES[tenant].replace(/[^\u0660-\u0669\u06f0-\u06f9]/g, '');
      const title = pdfText(pdf(outs.together, tenant), false).split('\n')[0]!;
      expect(title.replace(/[^\u0660-\u0669\u06f0-\u06f9]/g, '')).toBe(digits);
    });
  }
});
