import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFailure } from '../../src/util/read-failure.js';

const failureOf = async (file: string) => readFailure(await readFile(file).catch((err: unknown) => err));

describe('readFailure: why a file could not be read, without the local path', () => {
  it("Node's errors by their code, in words; the path Node names is left out", async () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir-s3e', 'manifest.json');
    expect(await failureOf(missing)).toBe('there is no such file');
    expect(await failureOf(os.tmpdir())).toBe('it is a folder');
    expect(readFailure(Object.assign(new Error(`EBUSY: resource busy, open '${missing}'`), { code: 'EBUSY' }))).toBe(
      'EBUSY (the file could not be read)',
    );
  });

  it("any other error keeps its own message (the tool's own words, JSON's)", () => {
    expect(readFailure(new SyntaxError('Unexpected end of JSON input'))).toBe('Unexpected end of JSON input');
    expect(readFailure('gone')).toBe('gone');
  });
});
