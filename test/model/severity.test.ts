import { describe, expect, it } from 'vitest';
import { bySeverity, SEVERITIES, severityCounts, worstSeverity } from '../../src/model/severity.js';

describe('the one severity scale', () => {
  it('orders critical, high, medium, low, info', () => {
    expect([...SEVERITIES].reverse().sort(bySeverity)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(bySeverity('high', 'critical')).toBeGreaterThan(0);
    expect(bySeverity('medium', 'medium')).toBe(0);
  });

  it('worstSeverity picks the more severe of two', () => {
    expect(worstSeverity('medium', 'high')).toBe('high');
    expect(worstSeverity('critical', 'info')).toBe('critical');
    expect(worstSeverity('low', 'low')).toBe('low');
  });

  it('severityCounts has a zero for every severity, in scale order', () => {
    expect(severityCounts()).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    expect(Object.keys(severityCounts())).toEqual([...SEVERITIES]);
  });
});
