import { describe, expect, it } from 'vitest';
import { controlColumns, shortReferences } from '../../../src/render/pdf/sections/controls.js';

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

describe('controlColumns', () => {
  it('room to spare: each column gets what it needs and the slack is shared by need', () => {
    // 400 needed of 480: 80 shared in proportion (title 160 of 400 gets 32).
    expect(controlColumns(500, { title: 160, result: 20, scope: 140, refs: 100 })).toEqual({
      title: 192,
      result: 20,
      scope: 168,
      refs: 120,
    });
  });

  it('too little room: references keep their least share (18 %), title and scope share the rest by need', () => {
    const w = controlColumns(500, { title: 200, result: 70, scope: 200, refs: 150 });
    expect(w.result).toBe(70);
    expect(w.refs).toBe(90);
    expect(w.title).toBe(170);
    expect(w.scope).toBe(170);
    expect(w.title + w.result + w.scope + w.refs).toBe(500);
  });

  it('references that need less than their least share give the rest to title and scope', () => {
    const w = controlColumns(500, { title: 250, result: 30, scope: 250, refs: 40 });
    expect(w.refs).toBe(40);
    expect(w.title).toBe(215);
    expect(w.scope).toBe(215);
  });
});
