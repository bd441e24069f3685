import { describe, expect, it } from 'vitest';
import { countNotItemised } from '../../../src/collect/athena/sql-engine.js';

describe('countNotItemised: what an engine counted beyond the rows it itemised', () => {
  it('is the difference', () => {
    expect(countNotItemised(7, 3, 'refused uploads')).toBe(4);
    expect(countNotItemised(3, 3, 'refused uploads')).toBe(0);
    expect(countNotItemised(0, 0, 'refused uploads')).toBe(0);
  });

  it('an answer counting fewer in all than it itemised, or no whole number, is refused, not believed', () => {
    expect(() => countNotItemised(2, 3, 'refused uploads')).toThrow(
      'the engine counted 2 refused uploads but itemised 3',
    );
    expect(() => countNotItemised(Number.NaN, 0, 'refused uploads')).toThrow();
    expect(() => countNotItemised(2.5, 1, 'refused uploads')).toThrow();
    expect(() => countNotItemised(2 ** 60, 1, 'refused uploads')).toThrow();
  });
});
