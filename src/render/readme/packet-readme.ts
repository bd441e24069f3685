import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Packet } from '../../model/packet.js';
import { UNENCRYPTED_EXPORT } from '../../format/unencrypted-columns.js';
import { LOG_EXPORTS } from '../csv/log-exports.js';
import { complianceCsvPath } from '../framework-rows.js';
import { OCSF_EXPORT } from '../ocsf/compliance-findings.js';
import type { Renderer } from '../renderer.js';

/**
 * README.txt: what each file of the packet is and how to check it, for whoever opens the folder
 * without the tool (an auditor, an archive). Rendered from packet.json like every other file, so the
 * manifest lists it and `verify` renders it again; nothing in it comes from the machine or the clock.
 */

const README_FILE = 'README.txt';

const WIDTH = 30;
const entry = (file: string, what: string) =>
  file.length < WIDTH - 1 ? `  ${file.padEnd(WIDTH)}${what}` : `  ${file}\n  ${''.padEnd(WIDTH)}${what}`;

function fileEntries(packet: Packet): string[] {
  const base = `${packet.tenant.id}-${packet.period.label}`;
  const lines = [
    entry(`${base}.pdf`, 'the one-page summary (status, coverage, controls, top findings)'),
    entry(`${base}.xlsx`, 'the auditor workbook: Summary, Controls, one sheet per framework, the detail'),
    entry('packet.json', 'every figure of the PDF and workbook, as data (the Packet model)'),
    entry('manifest.json', 'sha256 and size of every file listed here except itself; tool, period, sources'),
    entry(README_FILE, 'this file'),
    entry(UNENCRYPTED_EXPORT, 'every object the inventory reports as not encrypted'),
    entry('exports/findings.csv', 'every finding, with its severity, control and evidence'),
    entry('exports/buckets.csv', 'one row per bucket: default encryption, enforcement, coverage'),
  ];
  for (const fw of packet.frameworks ?? [])
    lines.push(entry(complianceCsvPath(fw), `${fw.name}: a row per requirement, control and resource`));
  if (packet.sections.deniedUploads.state === 'collected')
    lines.push(entry(LOG_EXPORTS.deniedUploads, 'every upload refused for its encryption, from the logs'));
  if (packet.sections.keyUsage.state === 'collected') {
    lines.push(entry(LOG_EXPORTS.keyUsage, 'KMS key use by principal, operation, day and bucket'));
    lines.push(entry(LOG_EXPORTS.keyEvents, 'every KMS key-management event (rotation, policy, deletion)'));
  }
  lines.push(entry(OCSF_EXPORT, 'the control results as OCSF Compliance Finding events'));
  lines.push(
    entry(
      'evidence/',
      `the raw evidence the figures were computed from (${packet.evidence.length.toLocaleString('en-US')} files)`,
    ),
  );
  return lines;
}

export function packetReadme(packet: Packet): string {
  const mode =
    packet.collection.mode === 'live' ? 'live (read from AWS with read-only calls)' : 'offline (from exported answers)';
  const text = [
    `S3 encryption evidence packet: ${packet.tenant.displayName} (${packet.tenant.id})`,
    '',
    `Period:           ${packet.period.label} (${packet.period.timeZone}), ${packet.period.startUtc} to ${packet.period.endUtc}`,
    `Made by:          ${packet.tool.name} ${packet.tool.version}, for ${packet.operator}`,
    `Collection mode:  ${mode}`,
    `Generated:        ${packet.generatedAt}`,
    `Status:           ${packet.status.toUpperCase()}${packet.completeness.complete ? '' : ' (evidence incomplete)'}`,
    ...(packet.provisional ? ['Provisional:      the period had not ended; figures may still change'] : []),
    '',
    'Files',
    ...fileEntries(packet),
    '',
    'Not listed in manifest.json, as they are made after it and about it: manifest.signature.json and',
    'manifest.public-key.der (a KMS signature over manifest.json), publish-receipt.json, deliveries.json.',
    '',
    'How to verify',
    `  1. With the tool (${packet.tool.name} ${packet.tool.version} or later):`,
    '       s3-evidence verify <this folder>',
    '     recomputes every hash, re-derives packet.json from evidence/, renders every file again and',
    '     compares bytes, reports files added or missing, and checks the signature when there is one.',
    '     Exit code 0 means the folder is exactly what the tool made.',
    '  2. Without it, check the hashes against manifest.json (run in this folder):',
    `       jq -r '.files[] | .sha256 + "  " + .path' manifest.json | sha256sum -c -`,
    '     or, with Python instead of jq:',
    `       python3 -c 'import json; [print(f["sha256"] + "  " + f["path"]) for f in json.load(open("manifest.json"))["files"]]' | sha256sum -c -`,
    '     Every line must end in OK. This proves the files are the ones listed; it does not prove the',
    '     figures follow from the evidence (the tool does that).',
    '',
  ];
  return text.join('\n');
}

export const readmeRenderer: Renderer = {
  id: 'readme',
  async render(packet, ctx) {
    await writeFile(path.join(ctx.outDir, README_FILE), packetReadme(packet));
    return [README_FILE];
  },
};
