import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkFiles, readManifest, type FileCheck } from '../workspace/manifest.js';
import { derivePacket, PACKET_FILE } from './analyze-folder.js';

export interface VerifyReport {
  folder: string;
  ok: boolean;
  files: FileCheck[];
  /** packet.json as re-derived from evidence/ equals the stored one, byte for byte. */
  packetReproduced: boolean;
  packetDifferences: string[];
  problems: string[];
}

/** Lists the JSON paths where two values differ (first 20), so a reviewer sees what changed. */
function diffJson(a: unknown, b: unknown, at = '$', out: string[] = []): string[] {
  if (out.length >= 20) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null || typeof a !== 'object') {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: stored ${JSON.stringify(a)?.slice(0, 80)} ≠ re-derived ${JSON.stringify(b)?.slice(0, 80)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) diffJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`, out);
  return out;
}

export async function verifyFolder(folder: string): Promise<VerifyReport> {
  const problems: string[] = [];
  let files: FileCheck[] = [];
  try {
    files = await checkFiles(folder, await readManifest(folder));
  } catch (err) {
    problems.push(`manifest.json unreadable: ${(err as Error).message}`);
  }
  let packetReproduced = false;
  let packetDifferences: string[] = [];
  try {
    const stored = await readFile(path.join(folder, PACKET_FILE), 'utf8');
    const { text } = await derivePacket(folder);
    packetReproduced = stored === text;
    if (!packetReproduced) packetDifferences = diffJson(JSON.parse(stored), JSON.parse(text));
  } catch (err) {
    problems.push(`packet could not be re-derived: ${(err as Error).message}`);
  }
  const filesOk = files.length > 0 && files.every((f) => f.state === 'ok');
  return { folder, ok: problems.length === 0 && filesOk && packetReproduced, files, packetReproduced, packetDifferences, problems };
}
