import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWording } from '../../src/wording/wording.js';

describe('loadWording', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 's3e-wording-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and compiles a templates folder once per process: a second tenant reuses it', () => {
    writeFileSync(path.join(dir, 'a.yaml'), 'greeting: "Hello {{name}}"\n');
    const first = loadWording(dir);
    // Changed on disk after the first read: the process keeps the wording it started with.
    writeFileSync(path.join(dir, 'a.yaml'), 'greeting: "Bye {{name}}"\n');
    const second = loadWording(path.join(dir, '.'));
    expect(second).toBe(first);
    expect(second.t('greeting', { name: 'acme' })).toBe('Hello acme');
  });

  it('keeps folders apart', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 's3e-wording-'));
    try {
      writeFileSync(path.join(other, 'a.yaml'), 'greeting: "Hi {{name}}"\n');
      expect(loadWording(other).t('greeting', { name: 'b' })).toBe('Hi b');
      expect(loadWording(other)).not.toBe(loadWording(dir));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
