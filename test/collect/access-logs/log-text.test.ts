import { describe, expect, it } from 'vitest';
import { LogTextDecoder, logText } from '../../../src/collect/access-logs/log-text.js';

describe('logText', () => {
  it('gives ASCII bytes as the same text UTF-8 decoding gives', () => {
    const bytes = Buffer.from('a b "c d" [01/Oct/2026:00:00:00 +0000]\n~\x7f\n', 'utf8');
    expect(logText(bytes)).toBe('a b "c d" [01/Oct/2026:00:00:00 +0000]\n~\x7f\n');
  });

  it('decodes bytes beyond ASCII as UTF-8, not as Latin-1', () => {
    // "Ü" is C3 9C in UTF-8; Latin-1 would read it as two characters
    const bytes = Buffer.from([0x6b, 0x65, 0x79, 0x2f, 0xc3, 0x9c, 0x2e, 0x74, 0x78, 0x74]);
    expect(logText(bytes)).toBe('key/\u00dc.txt');
    expect(logText(bytes)).toHaveLength(9);
  });
});

describe('LogTextDecoder', () => {
  // ASCII, 2-, 3- and 4-byte sequences, and bytes that are no UTF-8: a stray continuation byte, a
  // lead byte cut short by ASCII, an overlong lead (C0) and a lead beyond Unicode (F8).
  const bytes = Buffer.concat([
    Buffer.from('key/Ü-€-😀 "x"\n', 'utf8'),
    Buffer.from([0x80, 0x41, 0xe2, 0x82, 0x42, 0xc0, 0xaf, 0xf8, 0x43, 0xf0, 0x9f, 0x98]),
  ]);
  const decodeInChunks = (cuts: number[]): string => {
    const d = new LogTextDecoder();
    let text = '';
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      text += d.write(bytes.subarray(from, cut));
      from = cut;
    }
    return text + d.end();
  };

  it('gives the text of the whole file wherever the chunks are cut, even inside a sequence', () => {
    const whole = bytes.toString('utf8');
    expect(whole).toContain('\ufffd');
    for (let a = 0; a <= bytes.length; a++) {
      expect(decodeInChunks([a])).toBe(whole);
      for (let b = a; b <= bytes.length; b++) expect(decodeInChunks([a, b])).toBe(whole);
    }
  });

  it('gives ASCII chunks as they are', () => {
    const d = new LogTextDecoder();
    expect(d.write(Buffer.from('abc\n'))).toBe('abc\n');
    expect(d.write(Buffer.from([0xe2, 0x82]))).toBe('');
    expect(d.write(Buffer.from([0xac, 0x0a]))).toBe('€\n');
    expect(d.end()).toBe('');
  });
});
