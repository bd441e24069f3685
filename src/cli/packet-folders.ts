import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { PACKET_FILE } from '../packet-folder.js';

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Refuses (exit 2, one line) a folder argument that is not a packet folder at all, before any work:
 * `render` needs its packet.json, `analyze` its evidence/, `verify` the folder itself (anything
 * missing inside it is what verify reports).
 */
export async function requirePacketFolder(folder: string, command: 'analyze' | 'render' | 'verify'): Promise<void> {
  if (!(await isDirectory(folder)))
    throw new UsageError(
      `${command}: ${folder} is not a packet folder (no such folder); give output/<period>/<tenant>`,
    );
  if (command === 'render' && !(await isFile(path.join(folder, PACKET_FILE))))
    throw new UsageError(`render: ${folder} has no ${PACKET_FILE}; analyze re-derives it from evidence/`);
  if (command === 'analyze' && !(await isDirectory(path.join(folder, 'evidence'))))
    throw new UsageError(`analyze: ${folder} has no evidence/ folder to analyze`);
}
