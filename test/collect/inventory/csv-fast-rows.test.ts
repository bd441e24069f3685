import { readFileSync, writeFileSync } from 'node:fs';
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { CSV_FAST_ROWS_WASM } from '../../../src/collect/inventory/csv-fast-rows-binary.js';
import { fastRowReader } from '../../../src/collect/inventory/csv-fast-rows.js';

const SOURCE = new URL('../../../src/collect/inventory/csv-fast-rows.wat', import.meta.url);
const BINARY = new URL('../../../src/collect/inventory/csv-fast-rows-binary.ts', import.meta.url);

async function assemble(): Promise<string> {
  const tools = await wabt();
  const parsed = tools.parseWat('csv-fast-rows.wat', readFileSync(SOURCE, 'utf8'), { simd: true });
  try {
    return Buffer.from(parsed.toBinary({}).buffer).toString('base64');
  } finally {
    parsed.destroy();
  }
}

describe('csv-fast-rows.wat', () => {
  it('the shipped binary is the assembled source (S3E_UPDATE_WASM=1 writes it)', async () => {
    const assembled = await assemble();
    if (process.env.S3E_UPDATE_WASM) {
      writeFileSync(
        BINARY,
        '// Generated from csv-fast-rows.wat by test/collect/inventory/csv-fast-rows.test.ts\n' +
          '// (S3E_UPDATE_WASM=1 npx vitest run test/collect/inventory/csv-fast-rows.test.ts). Do not edit.\n' +
          `export const CSV_FAST_ROWS_WASM =\n  '${assembled}';\n`,
      );
      return;
    }
    expect(CSV_FAST_ROWS_WASM).toBe(assembled);
  });

  it('reads whole rows of the common shape and stops at the first it cannot take', () => {
    const reader = fastRowReader()!;
    const text = '"a","bc"\n"","d"\r\n"e""","f"\n"g","h"\n';
    const bytes = new Uint8Array(reader.memory.buffer);
    bytes.set(Buffer.from(text, 'latin1'));
    bytes[text.length] = 0x22;
    const out = 256;
    expect(reader.rows(0, text.length, 2, out, 100)).toBe(2);
    // The third row holds a "" escape: the caller's general scanner takes it from here.
    expect(reader.stop()).toBe(text.indexOf('"e'));
    expect(Array.from(new Int32Array(reader.memory.buffer, out, 8))).toEqual([1, 2, 5, 7, 10, 10, 13, 14]);
    // From the fourth row on, up to the end; and no further than maxRows.
    const fourth = text.indexOf('"g');
    expect(reader.rows(fourth, text.length, 2, out, 100)).toBe(1);
    expect(reader.stop()).toBe(text.length);
    expect(reader.rows(0, text.length, 2, out, 1)).toBe(1);
    expect(reader.stop()).toBe(text.indexOf('""'));
  });

  it('leaves a row cut by the end of the bytes, and one of another width, to the caller', () => {
    const reader = fastRowReader()!;
    const bytes = new Uint8Array(reader.memory.buffer);
    const put = (text: string) => {
      bytes.set(Buffer.from(text, 'latin1'));
      bytes[text.length] = 0x22;
      return text.length;
    };
    expect(reader.rows(0, put('"a","b"\n"c","d'), 2, 256, 100)).toBe(1);
    expect(reader.stop()).toBe(8);
    expect(reader.rows(0, put('"a","b","c"\n'), 2, 256, 100)).toBe(0);
    expect(reader.stop()).toBe(0);
    expect(reader.rows(0, put('"a"\n'), 2, 256, 100)).toBe(0);
    expect(reader.rows(0, put('a,"b"\n'), 2, 256, 100)).toBe(0);
  });
});
