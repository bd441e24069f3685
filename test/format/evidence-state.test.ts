import { describe, expect, it } from 'vitest';
import { evidenceState } from '../../src/format/evidence-state.js';

describe('evidenceState', () => {
  it('says complete when nothing is missing', () => {
    expect(evidenceState(true, 0)).toBe('complete');
  });

  it('counts what is missing, grouped by thousands as the packet words its counts', () => {
    expect(evidenceState(false, 4)).toBe('INCOMPLETE (4 missing)');
    expect(evidenceState(false, 999)).toBe('INCOMPLETE (999 missing)');
    expect(evidenceState(false, 19000)).toBe('INCOMPLETE (19,000 missing)');
    expect(evidenceState(false, 1234567)).toBe('INCOMPLETE (1,234,567 missing)');
  });
});

describe('evidenceState without a count', () => {
  it('says incomplete and invents no number', () => {
    expect(evidenceState(false, null)).toBe('INCOMPLETE');
  });
});
