import { describe, expect, it } from 'vitest';
import { packetFigures } from '../../src/model/packet-figures.js';
import { stableJson } from '../../src/util/atomic-write.js';
import type { Packet } from '../../src/model/packet.js';
import { samplePacket } from '../support/sample-packet.js';

describe('packetFigures', () => {
  it("gives a packet in memory's figures exactly as its packet.json gives them", () => {
    const packet = structuredClone(samplePacket());
    // Values JSON does not keep as they are: an absent total, a NaN share.
    (packet.kpis as { objectsPct: number | null }).objectsPct = Number.NaN;
    (packet.sections as unknown as Record<string, unknown>).deniedUploads = { state: 'collected', total: undefined };
    const fromFile = packetFigures(JSON.parse(stableJson(packet)) as Packet);
    expect(packetFigures(packet)).toStrictEqual(fromFile);
    expect(fromFile).toMatchObject({ objectsPct: null, deniedUploads: 0 });
  });

  it('counts failing controls, missing evidence and open and expired exceptions from the packet', () => {
    const packet = structuredClone(samplePacket());
    (packet.sections as unknown as Record<string, unknown>).exceptions = {
      state: 'evaluated',
      counts: { active: 2, expiring_soon: 1, unused: 4, expired: 3, invalid: 5 },
      entries: [],
    };
    const figures = packetFigures(packet);
    expect(figures.failingControls).toBe(packet.controls.filter((c) => c.verdict === 'fail').length);
    expect(figures.missingEvidence).toBe(packet.completeness.missing.length);
    expect(figures).toMatchObject({ openExceptions: 7, expiredExceptions: 3, period: packet.period.label });
  });
});
