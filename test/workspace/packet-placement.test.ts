import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placementProblem } from '../../src/workspace/packet-placement.js';

const acmeOctober = { tenant: 'acme', period: '2026-10' };

describe("placementProblem: a packet in the run's layout, <period>/<tenant id>/, is that tenant's of that month", () => {
  it('its own folder: nothing to say, however the path to it is written', () => {
    expect(placementProblem('/srv/out/2026-10/acme', acmeOctober)).toBeUndefined();
    expect(placementProblem('/srv/out/2026-10/acme/', acmeOctober)).toBeUndefined();
    expect(placementProblem(path.join('out', '2026-10', 'x', '..', 'acme'), acmeOctober)).toBeUndefined();
  });

  it("another tenant's folder, or another month's: named with both", () => {
    expect(placementProblem('/srv/out/2026-10/globex', acmeOctober)).toBe(
      "the packet in 2026-10/globex/ is tenant acme's for 2026-10, not tenant globex's for 2026-10",
    );
    expect(placementProblem('/srv/out/2026-09/acme', acmeOctober)).toBe(
      "the packet in 2026-09/acme/ is tenant acme's for 2026-10, not tenant acme's for 2026-09",
    );
  });

  it('a folder that is not in a period folder (kept elsewhere, a revision) says nothing by its name', () => {
    expect(placementProblem('/home/auditor/Downloads/acme-october', acmeOctober)).toBeUndefined();
    expect(placementProblem('/srv/out/2026-10/.revisions/acme-20261102T060000Z', acmeOctober)).toBeUndefined();
    expect(placementProblem('/srv/out/2026-13/globex', acmeOctober)).toBeUndefined();
  });
});
