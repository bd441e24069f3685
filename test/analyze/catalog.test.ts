import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/analyze/catalog.js';
import { CONTROLS } from '../../src/analyze/controls/index.js';

describe('loadCatalog', () => {
  it('is read once per process: every tenant shares the same validated catalog', () => {
    const first = loadCatalog();
    expect(loadCatalog()).toBe(first);
    expect([...first.metadata.keys()].sort()).toEqual(CONTROLS.map((c) => c.id).sort());
  });
});
