import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  confinedPath,
  openConfinedStream,
  readConfinedFile,
  readConfinedText,
  RefusedReadError,
} from '../../src/util/confined-read.js';
import { makeDeviceOrSocket, makeFifo } from '../support/special-files.js';

let base: string;
let root: string;

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'confined-'));
  root = path.join(base, 'export');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'sub', 'inside.json'), '{"ok":true}');
  writeFileSync(path.join(base, 'outside.txt'), 'SECRET-OUTSIDE');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A path inside the export as a caller names it. */
const at = (rel: string) => path.join(root, ...rel.split('/'));

async function refusal(p: Promise<unknown>): Promise<RefusedReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RefusedReadError);
  return err as RefusedReadError;
}

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s) out += chunk.toString();
  return out;
}

describe('readConfinedFile', () => {
  it('reads a regular file inside the root, by relative or absolute path', async () => {
    expect(await readConfinedText(root, at('sub/inside.json'))).toBe('{"ok":true}');
    expect(await readConfinedText(root, path.join(root, 'sub', 'inside.json'))).toBe('{"ok":true}');
  });

  it('a missing file is undefined (not exported), not a refusal', async () => {
    expect(await readConfinedFile(root, at('sub/missing.json'))).toBeUndefined();
    expect(await readConfinedFile(path.join(base, 'no-root'), path.join(base, 'no-root', 'x.json'))).toBeUndefined();
  });

  it('refuses a path that climbs out of the root', async () => {
    const err = await refusal(readConfinedFile(root, at('sub/../../outside.txt')));
    expect(err.code).toBe('OutsideRoot');
    expect(err.message).toBe(`${at('sub/../../outside.txt')}: is outside ${root}`);
  });

  it('refuses a symbolic link to /etc/passwd without reading a byte of it', async () => {
    symlinkSync('/etc/passwd', path.join(root, 'sub', 'passwd.json'));
    const err = await refusal(readConfinedFile(root, at('sub/passwd.json')));
    expect(err.code).toBe('OutsideRoot');
    expect(err.reason).toBe(`is a symbolic link that leads outside ${root}`);
    expect(err.message).not.toContain('root:');
  });

  it('refuses a file reached through a linked folder that leaves the root', async () => {
    symlinkSync(base, path.join(root, 'up'));
    expect((await refusal(readConfinedFile(root, at('up/outside.txt')))).code).toBe('OutsideRoot');
  });

  it('follows a link that stays inside the root', async () => {
    symlinkSync(path.join(root, 'sub', 'inside.json'), path.join(root, 'alias.json'));
    expect(await readConfinedText(root, at('alias.json'))).toBe('{"ok":true}');
  });

  it('refuses a dangling link and a loop of links', async () => {
    symlinkSync(path.join(base, 'gone'), path.join(root, 'dangling.json'));
    expect((await refusal(readConfinedFile(root, at('dangling.json')))).reason).toBe('is a symbolic link to nothing');
    symlinkSync(path.join(root, 'b.json'), path.join(root, 'a.json'));
    symlinkSync(path.join(root, 'a.json'), path.join(root, 'b.json'));
    expect((await refusal(readConfinedFile(root, at('a.json')))).reason).toBe('is a loop of symbolic links');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    makeFifo(path.join(root, 'pipe.json'));
    const started = Date.now();
    const err = await refusal(readConfinedFile(root, at('pipe.json'), { timeoutMs: 5_000 }));
    expect(err).toMatchObject({ code: 'NotARegularFile', reason: 'is a named pipe (FIFO), not a regular file' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a device or socket', async () => {
    const kind = await makeDeviceOrSocket(path.join(root, 'dev.json'));
    expect(await refusal(readConfinedFile(root, at('dev.json')))).toMatchObject({
      code: 'NotARegularFile',
      reason: `is ${kind}, not a regular file`,
    });
  });

  it('refuses a folder', async () => {
    expect((await refusal(readConfinedFile(root, at('sub')))).reason).toBe('is a folder, not a regular file');
  });

  it('refuses a file over the size limit without reading it', async () => {
    writeFileSync(path.join(root, 'big.json'), '');
    truncateSync(path.join(root, 'big.json'), 1025);
    expect(await refusal(readConfinedFile(root, at('big.json'), { maxBytes: 1024 }))).toMatchObject({
      code: 'TooLarge',
      reason: 'is 1025 bytes, over the 1024-byte limit',
    });
    expect((await readConfinedFile(root, at('big.json'), { maxBytes: 1025 }))?.length).toBe(1025);
  });
});

describe('confinedPath', () => {
  it('gives the real path inside the root', async () => {
    symlinkSync('sub', path.join(root, 'linked'));
    expect(await confinedPath(root, at('linked/inside.json'))).toBe(
      path.join(await import('node:fs/promises').then((f) => f.realpath(root)), 'sub', 'inside.json'),
    );
  });
});

describe('openConfinedStream', () => {
  it('streams a regular file', async () => {
    expect(await streamText(await openConfinedStream(root, at('sub/inside.json')))).toBe('{"ok":true}');
  });

  it('refuses what readConfinedFile refuses', async () => {
    symlinkSync('/etc/passwd', path.join(root, 'p'));
    makeFifo(path.join(root, 'fifo'));
    expect((await refusal(openConfinedStream(root, at('p')))).code).toBe('OutsideRoot');
    expect((await refusal(openConfinedStream(root, at('fifo')))).code).toBe('NotARegularFile');
    writeFileSync(path.join(root, 'big'), 'x'.repeat(11));
    expect((await refusal(openConfinedStream(root, at('big'), { maxBytes: 10 }))).code).toBe('TooLarge');
  });

  it('a missing file rejects with ENOENT', async () => {
    await expect(openConfinedStream(root, at('nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a slow consumer is not a timeout', async () => {
    writeFileSync(path.join(root, 'data'), 'abc');
    // The open has a second (a loaded machine may take tens of ms to open a file); the consumer then
    // waits longer than that before reading, which must not count against the open's timeout.
    const s = await openConfinedStream(root, at('data'), { timeoutMs: 1_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await streamText(s)).toBe('abc');
  });
});
