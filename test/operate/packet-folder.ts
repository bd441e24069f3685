/** A small packet-shaped folder with a real manifest, for publish and sign tests. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildManifest, writeManifest } from '../../src/workspace/manifest.js';

export const PACKET_FILES: Record<string, string> = {
  'packet.json': '{"schemaVersion":1}\n',
  'acme-2026-10.pdf': '%PDF-1.7 fake\n',
  'evidence/run.json': '{"mode":"live"}\n',
  'exports/unencrypted-objects.csv': 'bucket,key\nacme-data,docs/b c.txt\n',
};

export async function packetFolder(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 's3e-op-'));
  const dir = path.join(root, '2026-10', 'acme');
  for (const [rel, text] of Object.entries(PACKET_FILES)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  await writeManifest(
    dir,
    await buildManifest(dir, {
      tool: { name: 's3-evidence', version: 'test' },
      tenant: 'acme',
      period: { label: '2026-10', startUtc: '2026-10-01T00:00:00Z', endUtc: '2026-11-01T00:00:00Z', timeZone: 'UTC' },
      configSha256: '0'.repeat(64),
      collection: { mode: 'live', startedAt: '2026-11-02T08:00:00Z' },
      sources: [],
      render: { pageSize: 'A4', topFindings: 6 },
    }),
  );
  return dir;
}
