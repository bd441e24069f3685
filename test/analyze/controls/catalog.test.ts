import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/analyze/catalog.js';
import { CONTROLS } from '../../../src/analyze/controls/index.js';
import { controlsDir, loadControlMetadata } from '../../../src/analyze/controls/metadata.js';
import { loadFrameworks } from '../../../src/analyze/controls/frameworks.js';

describe('control catalog', () => {
  it('lists every control folder in the static index, and nothing else', () => {
    const folders = readdirSync(controlsDir()).filter((f) => statSync(path.join(controlsDir(), f)).isDirectory()).sort();
    expect(CONTROLS.map((c) => c.id).sort()).toEqual(folders);
  });

  it('every control.yaml validates and its id equals its folder', () => {
    for (const c of CONTROLS) expect(loadControlMetadata(c.id).id).toBe(c.id);
  });

  it('pins each framework\'s control set', () => {
    const frameworks = loadCatalog().frameworks;
    const sets = Object.fromEntries(frameworks.map((f) => [f.file, [...new Set(f.requirements.flatMap((r) => r.controls))].sort()]));
    expect(sets).toEqual({
      'cbc-aws-s3.yaml': [
        'kms-customer-keys-rotate',
        's3-default-encryption-enabled',
        's3-default-encryption-matches-expectation',
        's3-objects-encrypted',
        's3-policy-denies-insecure-transport',
        's3-policy-denies-unencrypted-uploads',
      ],
      'cis-aws-foundations-v1.4.0.yaml': ['kms-customer-keys-rotate', 's3-default-encryption-enabled', 's3-policy-denies-insecure-transport'],
      'nist-800-53-r5.yaml': [
        'kms-customer-keys-rotate',
        's3-default-encryption-enabled',
        's3-default-encryption-matches-expectation',
        's3-objects-encrypted',
        's3-policy-denies-insecure-transport',
        's3-policy-denies-unencrypted-uploads',
      ],
    });
  });

  it('rejects a framework naming an unknown control', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), 'framework: X\nshort: X\norder: 1\nrequirements:\n  - id: A-1\n    title: t\n    controls: [no-such-control]\n');
    expect(() => loadFrameworks(new Set(['s3-objects-encrypted']), dir)).toThrow('requirement A-1 names unknown control "no-such-control"');
  });

  it('rejects a control listed twice in one requirement', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-'));
    writeFileSync(path.join(dir, 'x.yaml'), 'framework: X\nshort: X\norder: 1\nrequirements:\n  - id: A-1\n    title: t\n    controls: [c1, c1]\n');
    expect(() => loadFrameworks(new Set(['c1']), dir)).toThrow('lists control "c1" twice');
  });

  it('rejects control metadata whose id differs from its folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ctl-'));
    const folder = path.join(dir, 'my-control');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'control.yaml'), 'id: other\ntitle: t\npasses: p\nrationale: r\nremediation: m\nseverity: high\n');
    expect(() => loadControlMetadata('my-control', dir)).toThrow('does not match its folder "my-control"');
  });
});
