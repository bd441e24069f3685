import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameworkRef, Packet } from '../../src/model/packet.js';
import { derivePacket, renderInto } from '../../src/pipeline/analyze-folder.js';
import { verifyFolder } from '../../src/pipeline/verify-folder.js';
import { stableJson } from '../../src/util/atomic-write.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';
import { pageText, readPdf } from '../support/pdf-reader.js';
import { readWorkbook, sheetNamed } from '../support/xlsx-reader.js';
import { sha256 } from '../../src/util/hash.js';

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let folder: string;
let packet: Packet;

/** A framework file read straight from frameworks/, not through the tool's loader. */
function frameworkFile(id: string): {
  framework: string;
  version: string;
  requirements: Array<{ id: string; title: string; controls: string[] }>;
} {
  return parse(readFileSync(path.resolve('frameworks', `${id}.yaml`), 'utf8')) as ReturnType<typeof frameworkFile>;
}

/** RFC 4180 lines as the exports write them (quoted fields may hold commas, no newlines in these files). */
function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

beforeAll(async () => {
  ws = await demoWorkspace();
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
  const result = await runDemoTenant(ws, tenant);
  folder = result.folder;
  packet = JSON.parse(readFileSync(path.join(folder, 'packet.json'), 'utf8')) as Packet;
}, 120_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

describe('frameworks chosen by the configuration', () => {
  it("the demo config gives each tenant three frameworks, and acme's packet records them in that order", () => {
    expect(ws.config.tenants.map((t) => [t.id, t.frameworks])).toEqual([
      ['northwind', ['cis-aws-foundations-v7.0.0', 'soc2-tsc-2017', 'hipaa-security-rule']],
      ['acme', ['cis-aws-foundations-v7.0.0', 'nist-800-53-r5', 'soc2-tsc-2017']],
      ['globex', ['cis-aws-foundations-v7.0.0', 'pci-dss-v4.0.1', 'iso-27001-2022']],
    ]);
    expect(packet.schemaVersion).toBe(2);
    expect(packet.frameworks!.map((f) => [f.id, f.version, f.sheet])).toEqual([
      ['cis-aws-foundations-v7.0.0', '7.0.0', 'CIS 7.0.0'],
      ['nist-800-53-r5', 'Rev. 5', 'NIST 800-53 r5'],
      ['soc2-tsc-2017', '2017 (revised points of focus 2022)', 'SOC 2'],
    ]);
    // Each control carries references to the selected frameworks only.
    const tls = packet.controls.find((c) => c.id === 's3-policy-denies-insecure-transport')!;
    expect(tls.references.map((r) => `${r.short} ${r.id}`)).toEqual(['CIS 3.1.1', 'NIST SC-8', 'SOC 2 CC6.7']);
    const rest = packet.controls.find((c) => c.id === 's3-default-encryption-enabled')!;
    expect(rest.references.map((r) => `${r.short} ${r.id}`)).toEqual(['NIST SC-28', 'SOC 2 CC6.1']);
  });

  it('one workbook sheet per framework, right after Controls: each requirement, each mapped control with verdict and scope, and the requirement status', () => {
    const wb = readWorkbook(path.join(folder, 'acme-2026-10.xlsx'), 200);
    const at = wb.sheetNames.indexOf('Controls');
    expect(wb.sheetNames.slice(at, at + 4)).toEqual(['Controls', 'CIS 7.0.0', 'NIST 800-53 r5', 'SOC 2']);
    const words: Record<string, string> = {
      pass: 'PASS',
      fail: 'FAIL',
      not_evaluated: 'NOT EVALUATED',
      not_applicable: 'N/A',
      exception: 'EXCEPTION',
    };
    for (const fw of packet.frameworks!) {
      const file = frameworkFile(fw.id);
      const sheet = sheetNamed(wb, fw.sheet);
      expect(sheet.rows[0]!.map((c) => c.value)).toEqual([
        'Requirement',
        'Requirement title',
        'Requirement status',
        'Control',
        'Control title',
        'Control verdict',
        'Control scope',
        'Framework (source)',
      ]);
      expect(sheet.freezePanes).toBe('A2');
      const expected = file.requirements.flatMap((r) =>
        r.controls.map((id) => {
          const c = packet.controls.find((x) => x.id === id)!;
          const status = fw.requirements.find((x) => x.id === r.id)!.status;
          return [r.id, r.title, words[status], id, c.title, words[c.verdict], c.summary];
        }),
      );
      expect(sheet.rows.slice(1).map((row) => row.slice(0, 7).map((c) => c.value))).toEqual(expected);
      expect(sheet.rows[1]![7]!.value).toBe(`${file.framework} (${fw.source})`);
    }
    // acme breaks TLS, SSE enforcement and rotation: every SOC 2 and CIS requirement fails.
    expect(packet.frameworks!.flatMap((f) => f.requirements.map((r) => `${f.short} ${r.id} ${r.status}`))).toEqual([
      'CIS 3.1.1 fail',
      'CIS 4.6 fail',
      'NIST SC-8 fail',
      'NIST SC-12 fail',
      'NIST SC-13 fail',
      'NIST SC-28 fail',
      'SOC 2 CC6.1 fail',
      'SOC 2 CC6.7 fail',
    ]);
  });

  it('one exports/compliance-<framework>.csv per framework, in Prowler’s shape: a row per requirement, control and resource', () => {
    for (const fw of packet.frameworks!) {
      const text = readFileSync(path.join(folder, 'exports', `compliance-${fw.id}.csv`), 'utf8');
      expect(text.split('\r\n').at(-1)).toBe('');
      const rows = csvRows(text);
      const header = rows[0]!;
      expect(header.slice(0, 6)).toEqual([
        'Provider',
        'Description',
        'AccountId',
        'Region',
        'AssessmentDate',
        'Requirements_Id',
      ]);
      const at = (r: string[], h: string) => r[header.indexOf(h)];
      const file = frameworkFile(fw.id);
      const expected = file.requirements.flatMap((r) =>
        r.controls.flatMap((id) => {
          const c = packet.controls.find((x) => x.id === id)!;
          return (c.resources.length > 0 ? c.resources : [undefined]).map((res) => [
            r.id,
            r.title,
            id,
            c.title,
            res?.resource ?? '',
            { pass: 'PASS', fail: 'FAIL', exception: 'FAIL', not_evaluated: 'MANUAL', not_applicable: 'MANUAL' }[
              res?.verdict ?? c.verdict
            ],
            res?.verdict === 'exception' ? 'True' : 'False',
          ]);
        }),
      );
      expect(
        rows
          .slice(1)
          .map((r) =>
            [
              'Requirements_Id',
              'Requirements_Description',
              'CheckId',
              'CheckTitle',
              'ResourceName',
              'Status',
              'Muted',
            ].map((h) => at(r, h)),
          ),
      ).toEqual(expected);
      for (const r of rows.slice(1)) {
        expect(at(r, 'Name')).toBe(file.framework);
        expect(at(r, 'Version')).toBe(fw.version);
        expect(at(r, 'AssessmentDate')).toBe(packet.generatedAt);
      }
    }
  });

  it('the page names the frameworks in the controls heading and prefixes each reference with its framework', async () => {
    const text = pageText(readPdf(readFileSync(path.join(folder, 'acme-2026-10.pdf'))).pages[0]!, false);
    expect(text).toContain('refs: CIS 7.0.0 · NIST 800-53 r5 · SOC 2');
    expect(text).toContain('CIS 3.1.1 · NIST SC-8');
    expect(text).toContain('CIS 4.6 · NIST SC-12');
  });

  it('verify re-renders the framework sheets and CSVs byte for byte', async () => {
    const report = await verifyFolder(folder);
    expect(
      report.rendered.filter((r) => r.path.startsWith('exports/compliance-')).map((r) => [r.path, r.state]),
    ).toEqual([
      ['exports/compliance-cis-aws-foundations-v7.0.0.csv', 'identical'],
      ['exports/compliance-nist-800-53-r5.csv', 'identical'],
      ['exports/compliance-soc2-tsc-2017.csv', 'identical'],
    ]);
    expect(report.ok).toBe(true);
  });
});

describe('packets issued before frameworks were selectable', () => {
  it('evidence whose tenant.json names no frameworks re-derives with CIS v1.4.0, NIST 800-53 r5 and CBC', async () => {
    const old = mkdtempSync(path.join(os.tmpdir(), 's3e-legacy-'));
    try {
      cpSync(folder, old, { recursive: true });
      const file = path.join(old, 'evidence', 'tenant.json');
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as { tenant: Record<string, unknown> };
      delete recorded.tenant.frameworks;
      writeFileSync(file, JSON.stringify(recorded));
      const { packet: p } = await derivePacket(old);
      expect(p.frameworks!.map((f) => f.id)).toEqual(['cis-aws-foundations-v1.4.0', 'nist-800-53-r5', 'cbc-aws-s3']);
      const refs = (id: string) => p.controls.find((c) => c.id === id)!.references.map((r) => `${r.framework} ${r.id}`);
      expect(refs('s3-policy-denies-insecure-transport')).toEqual([
        'CIS AWS Foundations Benchmark v1.4.0 2.1.2',
        'NIST SP 800-53 Rev. 5 SC-8',
        'CBC AWS S3 encryption policy CBC-AWS-S3-1',
      ]);
      expect(refs('s3-default-encryption-enabled')).toEqual([
        'CIS AWS Foundations Benchmark v1.4.0 2.1.1',
        'NIST SP 800-53 Rev. 5 SC-28',
        'CBC AWS S3 encryption policy CBC-AWS-S3-1',
      ]);
      expect(refs('kms-customer-keys-rotate')).toEqual([
        'CIS AWS Foundations Benchmark v1.4.0 3.8',
        'NIST SP 800-53 Rev. 5 SC-12',
        'CBC AWS S3 encryption policy CBC-AWS-S3-1',
      ]);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  it('a schema-1 packet.json re-renders with its own CIS v1.4.0 references, no framework sheets and no compliance CSVs', async () => {
    const v14: Record<string, FrameworkRef> = {
      's3-default-encryption-enabled': {
        framework: 'CIS AWS Foundations Benchmark v1.4.0',
        id: '2.1.1',
        title: 'Ensure all S3 buckets employ encryption-at-rest',
      },
      's3-policy-denies-insecure-transport': {
        framework: 'CIS AWS Foundations Benchmark v1.4.0',
        id: '2.1.2',
        title: 'Ensure S3 Bucket Policy is set to deny HTTP requests',
      },
      'kms-customer-keys-rotate': {
        framework: 'CIS AWS Foundations Benchmark v1.4.0',
        id: '3.8',
        title: 'Ensure rotation for customer created symmetric CMKs is enabled',
      },
    };
    const old = JSON.parse(JSON.stringify(packet)) as Packet;
    old.schemaVersion = 1;
    delete old.frameworks;
    for (const c of old.controls) c.references = v14[c.id] ? [v14[c.id]!] : [];
    const text = stableJson(old);
    const scratch = mkdtempSync(path.join(os.tmpdir(), 's3e-rerender-'));
    try {
      const written = await renderInto(scratch, folder, old, sha256(text), { pageSize: 'A4', topFindings: 6 });
      expect(written.filter((f) => f.startsWith('exports/compliance-'))).toEqual([]);
      const wb = readWorkbook(path.join(scratch, 'acme-2026-10.xlsx'), 200);
      expect(wb.sheetNames.filter((n) => /CIS|NIST|SOC/.test(n))).toEqual([]);
      const controls = sheetNamed(wb, 'Controls');
      const refColumn = controls.rows[0]!.findIndex((c) => c.value === 'Framework references');
      const refs = controls.rows
        .slice(1)
        .map((r) => r[refColumn]!.value)
        .filter((v) => v);
      expect(refs).toEqual([
        'CIS AWS Foundations Benchmark v1.4.0 2.1.1 (Ensure all S3 buckets employ encryption-at-rest)',
        'CIS AWS Foundations Benchmark v1.4.0 2.1.2 (Ensure S3 Bucket Policy is set to deny HTTP requests)',
        'CIS AWS Foundations Benchmark v1.4.0 3.8 (Ensure rotation for customer created symmetric CMKs is enabled)',
      ]);
      const page = pageText(readPdf(readFileSync(path.join(scratch, 'acme-2026-10.pdf'))).pages[0]!, false);
      expect(page).toContain('full detail: workbook sheet Controls');
      expect(page).not.toContain('refs: ');
      for (const id of ['2.1.1', '2.1.2', '3.8']) expect(page).toContain(id);
      expect(page).toContain('packet schema v1');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
