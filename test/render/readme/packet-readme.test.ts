import { describe, expect, it } from 'vitest';
import { packetReadme } from '../../../src/render/readme/packet-readme.js';
import type { Packet } from '../../../src/model/packet.js';
import { samplePacket } from '../../support/sample-packet.js';

const framework = {
  id: 'nist-800-53-r5',
  name: 'NIST SP 800-53 Rev. 5',
  short: 'NIST',
  version: 'r5',
  sheet: 'NIST 800-53 r5',
  source: 'NIST',
  requirements: [],
};

describe('README.txt of a packet', () => {
  const packet: Packet = { ...samplePacket({ logs: true }), frameworks: [framework] };
  const text = packetReadme(packet);

  it('names the tenant, period and zone, tool version and collection mode', () => {
    expect(text.split('\n').slice(0, 8)).toEqual([
      'S3 encryption evidence packet: ACME Corp (acme)',
      '',
      'Period:           2026-10 (America/New_York), 2026-10-01T04:00:00Z to 2026-11-01T04:00:00Z',
      `Made by:          s3-evidence ${packet.tool.version}, for Example MSP`,
      'Collection mode:  offline (from exported answers)',
      'Generated:        2026-11-01T11:00:00Z',
      'Status:           ATTENTION (evidence incomplete)',
      '',
    ]);
    expect(packetReadme({ ...packet, collection: { ...packet.collection, mode: 'live' } })).toContain(
      'Collection mode:  live (read from AWS with read-only calls)',
    );
  });

  it("counts a large tenant's evidence files with thousands separators", () => {
    const evidence = Array.from({ length: 112_031 }, (_, i) => ({
      path: `evidence/f${i}.json`,
      sha256: 'ab'.repeat(32),
      size: 1,
    }));
    expect(packetReadme({ ...packet, evidence })).toContain(
      'the raw evidence the figures were computed from (112,031 files)',
    );
  });

  it('says what each file is, the exports the packet has included', () => {
    const files = text
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(files.slice(0, files.indexOf('evidence/') + 1)).toEqual([
      'acme-2026-10.pdf',
      'acme-2026-10.xlsx',
      'packet.json',
      'manifest.json',
      'README.txt',
      'exports/unencrypted-objects.csv',
      'exports/findings.csv',
      'exports/buckets.csv',
      'exports/compliance-nist-800-53-r5.csv',
      'exports/denied-uploads.csv',
      'exports/key-usage.csv',
      'exports/key-management-events.csv',
      'exports/ocsf-compliance-findings.jsonl',
      'evidence/',
    ]);
    const noLogs = packetReadme(samplePacket());
    expect(noLogs).not.toContain('denied-uploads.csv');
    expect(noLogs).not.toContain('key-usage.csv');
  });

  it('says how to verify: the tool, and sha256sum against manifest.json', () => {
    expect(text).toContain('       s3-evidence verify <this folder>');
    expect(text).toContain(`jq -r '.files[] | .sha256 + "  " + .path' manifest.json | sha256sum -c -`);
  });

  it('the same packet gives the same text: no clock, no local path', () => {
    expect(packetReadme(structuredClone(packet))).toBe(text);
    expect(text).not.toMatch(/\/(tmp|home|Users|work)\//);
    expect(text).not.toContain(process.cwd());
  });
});
