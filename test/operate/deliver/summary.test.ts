import { describe, expect, it } from 'vitest';
import { linkTo, previousLabel, tenantSummary } from '../../../src/operate/deliver/summary.js';
import { samplePacket } from '../../support/sample-packet.js';

describe('tenant summary', () => {
  it('the previous month crosses a year; links are encoded under the base, relative without one', () => {
    expect(previousLabel('2027-01')).toBe('2026-12');
    expect(previousLabel('2026-10')).toBe('2026-09');
    expect(linkTo('https://e.example/p', '2026-10/a b/x#1.pdf')).toBe('https://e.example/p/2026-10/a%20b/x%231.pdf');
    expect(linkTo(undefined, '2026-10/acme/manifest.json')).toBe('2026-10/acme/manifest.json');
  });

  it('changes since last month: a control fixed, evidence complete again, the same status', () => {
    const now = samplePacket();
    now.controls = now.controls.map((c) => ({ ...c, verdict: 'pass' as const }));
    now.completeness = { ...now.completeness, complete: true, missing: [] };
    const before = samplePacket();
    before.period = { ...before.period, label: '2026-09' };
    const s = tenantSummary({ packet: now, previous: before, files: ['acme-2026-10.pdf'] });
    expect(s.changes).toEqual(['no longer failing: Objects encrypted at rest', 'evidence complete again']);
    expect(s.failingControls).toEqual([]);
    expect(s.links).toEqual([{ label: 'acme-2026-10.pdf', href: '2026-10/acme/acme-2026-10.pdf' }]);
    expect(tenantSummary({ packet: now, previous: now, files: [] }).changes).toEqual(['no change since 2026-09']);
  });
});
