import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { captured, cli } from '../support/cli.js';

const root = mkdtempSync(path.join(os.tmpdir(), 's3e-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function oneLine(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

describe('a folder argument that is not a packet folder: exit 2, one line, no stack', () => {
  it('render /nonexistent', async () => {
    expect(await cli('render', '/nonexistent')).toBe(2);
    expect(oneLine(captured.err)).toEqual([
      's3-evidence: render: /nonexistent is not a packet folder (no such folder); give output/<period>/<tenant>',
    ]);
    expect(captured.out).toBe('');
  });

  it('analyze and verify of a folder that does not exist', async () => {
    expect(await cli('analyze', '/nonexistent')).toBe(2);
    expect(oneLine(captured.err)).toHaveLength(1);
    expect(captured.err).toContain('analyze: /nonexistent is not a packet folder');
    expect(await cli('verify', path.join(root, 'missing'))).toBe(2);
    expect(oneLine(captured.err)).toEqual([
      `s3-evidence: verify: ${path.join(root, 'missing')} is not a packet folder (no such folder); give output/<period>/<tenant>`,
    ]);
  });

  it('render of a folder without packet.json, and of one whose packet.json is not JSON', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect(await cli('render', empty)).toBe(2);
    expect(oneLine(captured.err)).toEqual([
      `s3-evidence: render: ${empty} has no packet.json; analyze re-derives it from evidence/`,
    ]);
    writeFileSync(path.join(empty, 'packet.json'), '{ not json');
    expect(await cli('render', empty)).toBe(2);
    expect(oneLine(captured.err)).toHaveLength(1);
    expect(captured.err).toContain(`render: ${path.join(empty, 'packet.json')} is not valid JSON`);
  });

  it('analyze of a folder whose evidence/ lacks run.json names the file', async () => {
    const noRun = path.join(root, 'no-run');
    mkdirSync(path.join(noRun, 'evidence'), { recursive: true });
    expect(await cli('analyze', noRun)).toBe(2);
    expect(oneLine(captured.err)).toEqual([
      `s3-evidence: analyze: ${path.join(noRun, 'evidence', 'run.json')}: cannot read (ENOENT)`,
    ]);
  });

  it('a file given as a folder', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(await cli('render', file)).toBe(2);
    expect(captured.err).toContain('is not a packet folder');
  });
});
