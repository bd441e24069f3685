/**
 * Rendering is linear in every input size: a packet with 10,000 buckets, findings, missing-evidence
 * items and exceptions renders within a small multiple of the ordinary sample packet's time, both
 * measured here (a ratio, not seconds, so a slow or busy machine does not decide the result).
 */
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/model/packet.js';
import { renderPdf } from '../../../src/render/pdf/render-pdf.js';
import { loadWording } from '../../../src/wording/wording.js';
import { samplePacket } from '../../support/sample-packet.js';
import { pdfText, squash } from './pdf-inspect.js';

const wording = loadWording();
const SHA = 'ab'.repeat(32);
const N = 10_000;

function hugePacket(): Packet {
  const p = samplePacket({ manyBuckets: N, logs: true, governance: true });
  const exceptions = p.sections.exceptions;
  if (exceptions.state !== 'evaluated') throw new Error('the governance sample has an evaluated exceptions register');
  const entries = Array.from({ length: N }, (_, i) => ({
    ...exceptions.entries[i % exceptions.entries.length]!,
    id: `EX-${i + 1}`,
  }));
  return {
    ...p,
    status: 'incomplete',
    completeness: {
      ...p.completeness,
      complete: false,
      missing: Array.from({ length: N }, (_, i) => ({
        scope: `bucket bench-${String(i).padStart(5, '0')}`,
        source: 'inventory',
        reason: 'no S3 Inventory location is configured for this tenant',
      })),
    },
    sections: { ...p.sections, exceptions: { ...exceptions, entries } },
  };
}

/** Fastest of `runs` renders, in ms: the least disturbed by other work on the machine. */
async function fastest(packet: Packet, runs: number): Promise<{ ms: number; pdf: Buffer }> {
  let best = Infinity;
  let pdf: Buffer = Buffer.alloc(0);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    pdf = await renderPdf(packet, { pageSize: 'A4', wording, packetSha256: SHA });
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, pdf };
}

describe('renderPdf: time linear in the packet size', () => {
  it(`renders ${N.toLocaleString('en-US')} buckets, findings, missing items and exceptions within 10x the sample packet's time`, async () => {
    const sample = samplePacket({ logs: true, governance: true });
    const huge = hugePacket();
    await fastest(sample, 2); // warm up fonts and code paths
    const small = await fastest(sample, 5);
    const big = await fastest(huge, 3);
    // Building the page from 10,000 of everything may cost a few passes over the lists, never a
    // pass per item; before the fix 1,000 missing items alone took over 300x the sample's time.
    expect(big.ms / small.ms).toBeLessThan(10);
    const text = squash(pdfText(big.pdf));
    // The page names the first missing items and counts the rest (N minus the few shown).
    expect(text).toContain('bench-00000');
    expect(text).toMatch(/and 9,99\d more — see workbook/);
  }, 120_000);
});
