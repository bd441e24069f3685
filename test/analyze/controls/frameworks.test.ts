import { describe, expect, it } from 'vitest';
import { requirementStatus, selectFrameworks } from '../../../src/analyze/controls/frameworks.js';
import { loadCatalog } from '../../../src/analyze/catalog.js';

describe('requirement status from its controls', () => {
  it('any FAIL fails; then NOT EVALUATED; then EXCEPTION; PASS if any passed; N/A only when all are', () => {
    expect(requirementStatus(['pass', 'not_evaluated', 'fail', 'exception'])).toBe('fail');
    expect(requirementStatus(['pass', 'exception', 'not_evaluated'])).toBe('not_evaluated');
    expect(requirementStatus(['pass', 'exception', 'not_applicable'])).toBe('exception');
    expect(requirementStatus(['not_applicable', 'pass'])).toBe('pass');
    expect(requirementStatus(['not_applicable'])).toBe('not_applicable');
    expect(requirementStatus([])).toBe('not_evaluated');
  });

  it('selects frameworks in the order given and names an id no file defines', () => {
    const all = loadCatalog().frameworks;
    expect(selectFrameworks(all, ['soc2-tsc-2017', 'cis-aws-foundations-v7.0.0']).map((f) => f.sheet)).toEqual([
      'SOC 2',
      'CIS 7.0.0',
    ]);
    expect(() => selectFrameworks(all, ['soc2-tsc-2017', 'cis-aws-foundations-v2.0.0'])).toThrow(
      'framework "cis-aws-foundations-v2.0.0" is not defined (frameworks/cis-aws-foundations-v2.0.0.yaml)',
    );
  });
});
