import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/analyze/catalog.js';
import { CONTROLS } from '../../../src/analyze/controls/index.js';
import { controlsDir, loadControlMetadata } from '../../../src/analyze/controls/metadata.js';
import { frameworksDir, loadFrameworks } from '../../../src/analyze/controls/frameworks.js';
import { DEFAULT_FRAMEWORKS, FRAMEWORK_IDS, LEGACY_FRAMEWORKS } from '../../../src/config/frameworks.js';

/** A minimal framework file. */
function fw(id: string, requirement: string, controls: string): string {
  return `id: ${id}\nframework: X\nshort: X\nversion: "1"\nsheet: X\nsource: a test\nrequirements:\n  - id: ${requirement}\n    title: t\n    controls: ${controls}\n`;
}

describe('control catalog', () => {
  it('lists every control folder in the static index, and nothing else', () => {
    const folders = readdirSync(controlsDir())
      .filter((f) => statSync(path.join(controlsDir(), f)).isDirectory())
      .sort();
    expect(CONTROLS.map((c) => c.id).sort()).toEqual(folders);
  });

  it('every control.yaml validates and its id equals its folder', () => {
    for (const c of CONTROLS) expect(loadControlMetadata(c.id).id).toBe(c.id);
  });

  it('pins every framework file: its requirement ids and the controls mapped to each', () => {
    const pinned = Object.fromEntries(
      loadCatalog().frameworks.map((f) => [f.file, Object.fromEntries(f.requirements.map((r) => [r.id, r.controls]))]),
    );
    const atRest = [
      's3-default-encryption-enabled',
      's3-default-encryption-matches-expectation',
      's3-objects-encrypted',
      's3-policy-denies-unencrypted-uploads',
    ];
    const tls = ['s3-policy-denies-insecure-transport'];
    const rotate = ['kms-customer-keys-rotate'];
    const sseC = ['s3-sse-c-uploads-blocked'];
    const tableKeys = ['s3tables-kms-key-allows-maintenance'];
    const directory = 's3express-default-encryption-matches-expectation';
    // Directory buckets' encryption sits beside the general purpose buckets' expectation control.
    const atRestAll = [...atRest.slice(0, 2), directory, ...atRest.slice(2)];
    expect(pinned).toEqual({
      'aws-fsbp-v1.0.0.yaml': { 'S3.5': tls },
      'cbc-aws-s3.yaml': { 'CBC-AWS-S3-1': [...atRestAll, ...tls, ...sseC, ...rotate, ...tableKeys] },
      'cis-aws-foundations-v1.4.0.yaml': { '2.1.1': ['s3-default-encryption-enabled'], '2.1.2': tls, '3.8': rotate },
      'cis-aws-foundations-v3.0.0.yaml': { '2.1.1': tls, '3.6': rotate },
      'cis-aws-foundations-v4.0.1.yaml': { '2.1.1': tls, '3.6': rotate },
      'cis-aws-foundations-v5.0.0.yaml': { '2.1.1': tls, '3.6': rotate },
      'cis-aws-foundations-v7.0.0.yaml': { '3.1.1': tls, '4.6': rotate },
      'hipaa-security-rule.yaml': {
        '164.312(a)(2)(iv)': [...atRest, ...sseC],
        '164.312(e)(1)': tls,
        '164.312(e)(2)(ii)': tls,
      },
      'iso-27001-2022.yaml': { '5.14': tls, '8.24': [...atRestAll, ...tls, ...sseC, ...rotate, ...tableKeys] },
      'nist-800-53-r5.yaml': {
        'SC-8': tls,
        'SC-12': [...sseC, ...rotate, ...tableKeys],
        'SC-13': ['s3-default-encryption-matches-expectation', 's3-policy-denies-unencrypted-uploads', directory],
        'SC-28': ['s3-default-encryption-enabled', 's3-objects-encrypted', 's3-policy-denies-unencrypted-uploads'],
      },
      'pci-dss-v4.0.1.yaml': { '3.5.1': [...atRest, ...sseC], '3.7.4': rotate, '4.2.1': tls },
      'soc2-tsc-2017.yaml': { 'CC6.1': [...atRestAll, ...sseC, ...rotate, ...tableKeys], 'CC6.7': tls },
    });
  });

  it('since CIS v2.0 no CIS version maps an S3 encryption-at-rest control', () => {
    const atRest = new Set([
      's3-default-encryption-enabled',
      's3-default-encryption-matches-expectation',
      's3-objects-encrypted',
      's3-policy-denies-unencrypted-uploads',
    ]);
    const current = loadCatalog().frameworks.filter(
      (f) => f.id.startsWith('cis-') && f.id !== 'cis-aws-foundations-v1.4.0',
    );
    expect(current.map((f) => f.version)).toEqual(['3.0.0', '4.0.1', '5.0.0', '7.0.0']);
    for (const f of current) expect(f.requirements.flatMap((r) => r.controls).filter((c) => atRest.has(c))).toEqual([]);
  });

  it("the configuration's list of framework ids is the folder, and every file names its source and version", () => {
    const files = readdirSync(frameworksDir())
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
    expect([...FRAMEWORK_IDS]).toEqual(files);
    for (const id of [...DEFAULT_FRAMEWORKS, ...LEGACY_FRAMEWORKS]) expect(files).toContain(id);
    for (const f of loadCatalog().frameworks) {
      expect(f.source.length).toBeGreaterThan(10);
      // The header comment cites where the ids and titles come from.
      expect(readFileSync(path.join(frameworksDir(), f.file), 'utf8')).toMatch(/^# .+\n/);
    }
    // Versioned frameworks say their version in the name the packet prints.
    for (const f of loadCatalog().frameworks.filter((x) => /-v\d/.test(x.id)))
      expect(f.framework).toContain(`v${f.version}`);
    const sheets = loadCatalog().frameworks.map((f) => f.sheet);
    expect(new Set(sheets).size).toBe(sheets.length);
  });

  it('rejects a framework whose id is not its file name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), fw('y', 'A-1', '[c1]'));
    expect(() => loadFrameworks(new Set(['c1']), dir)).toThrow('id "y" does not match its file name');
  });

  it('rejects a requirement listed twice', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), `${fw('x', 'A-1', '[c1]')}  - id: A-1\n    title: t\n    controls: [c1]\n`);
    expect(() => loadFrameworks(new Set(['c1']), dir)).toThrow('requirement A-1 listed twice');
  });

  it('rejects a framework naming an unknown control', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), fw('x', 'A-1', '[no-such-control]'));
    expect(() => loadFrameworks(new Set(['s3-objects-encrypted']), dir)).toThrow(
      'requirement A-1 names unknown control "no-such-control"',
    );
  });

  it('rejects a control listed twice in one requirement', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), fw('x', 'A-1', '[c1, c1]'));
    expect(() => loadFrameworks(new Set(['c1']), dir)).toThrow('lists control "c1" twice');
  });

  it('rejects control metadata whose id differs from its folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ctl-'));
    const folder = path.join(dir, 'my-control');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'control.yaml'),
      'id: other\ntitle: t\npasses: p\nrationale: r\nremediation: m\nseverity: high\n',
    );
    expect(() => loadControlMetadata('my-control', dir)).toThrow('does not match its folder "my-control"');
  });
});
