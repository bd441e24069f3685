import { describe, expect, it } from 'vitest';
import { logText } from '../../../src/collect/access-logs/log-text.js';

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
