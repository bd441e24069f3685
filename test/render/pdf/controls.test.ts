import { describe, expect, it } from 'vitest';
import { shortReferences } from '../../../src/render/pdf/sections/controls.js';

const chars = (s: string) => Array.from(s).length;
const more = (n: number) => `+${n}`;

describe('shortReferences', () => {
  it('lists each id once when all fit', () => {
    expect(shortReferences(['SC-28', 'SC-28', 'CBC-AWS-S3-1'], ' · ', more, 40, chars)).toBe('SC-28 · CBC-AWS-S3-1');
  });
  it('shows as many as fit, then +N', () => {
    // "SC-28 · SC-13 +2" is 16 columns; adding " · AC-3" would need 23.
    expect(shortReferences(['SC-28', 'SC-13', 'AC-3', 'SC-8'], ' · ', more, 20, chars)).toBe('SC-28 · SC-13 +2');
  });
  it('shortens a lone long id in the middle, keeping the count', () => {
    // 10 columns: " +1" takes 3, leaving 7: 3 head characters, the ellipsis, 3 tail characters.
    expect(shortReferences(['CBC-AWS-S3-1', 'SC-28'], ' · ', more, 10, chars)).toBe('CBC…3-1 +1');
  });
});
