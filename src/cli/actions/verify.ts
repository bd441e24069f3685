/** `s3-evidence verify`: every check a packet folder must pass, with its signature if it has one. */
import { UsageError } from '../../errors.js';
import { verifyFolder, verifyMessages } from '../../pipeline/verify-folder.js';
import { TOOL } from '../../tool.js';
import { EXIT } from '../exit-codes.js';
import { requirePacketFolder } from '../packet-folders.js';
import { placementProblem } from '../../workspace/packet-placement.js';
import { signatureCheck, signatureTrust, type VerifySignatureOptions } from './packet-operations.js';

/** A file count as the terminal shows it: 112,042. */
const count = (n: number) => n.toLocaleString('en-US');

export async function verifyCommand(
  folders: string[],
  opts: { json?: boolean } & VerifySignatureOptions,
): Promise<number> {
  if (folders.length === 0) throw new UsageError('verify needs at least one packet folder');
  for (const f of folders) await requirePacketFolder(f, 'verify');
  const trust = await signatureTrust(opts);
  const reports = [];
  const signatures = new Map<string, Awaited<ReturnType<typeof signatureCheck>>>();
  for (const f of folders) {
    const signature = await signatureCheck(f, trust);
    signatures.set(f, signature);
    const r = await verifyFolder(f);
    // A packet verifies wherever it is kept, but one in <period>/<name>/ must be that tenant's of that month.
    const placement = r.owner ? placementProblem(f, r.owner) : undefined;
    reports.push({
      ...r,
      ok: r.ok && placement === undefined && signature.check.state !== 'failed',
      ...(placement ? { placement } : {}),
      signature: signature.check,
    });
  }
  if (opts.json) process.stdout.write(`${JSON.stringify({ tool: TOOL, reports }, null, 2)}\n`);
  else {
    for (const r of reports) {
      const whose = r.owner ? ` (tenant ${r.owner.tenant}, ${r.owner.period})` : '';
      process.stdout.write(`${r.folder}: ${r.ok ? 'VERIFIED' : 'NOT VERIFIED'}${whose}\n`);
      if (r.placement) process.stdout.write(`  placement: ${r.placement}\n`);
      const bad = r.files.filter((f) => f.state !== 'ok');
      process.stdout.write(
        `  files: ${count(r.files.length - bad.length)} of ${count(r.files.length)} match the manifest\n`,
      );
      process.stdout.write(
        `  packet.json ${r.packetReproduced ? 're-derived identically from evidence/' : 'differs from what evidence/ gives'}\n`,
      );
      const sameRendered = r.rendered.filter((c) => c.state === 'identical').length;
      process.stdout.write(
        `  rendered files: ${sameRendered} of ${r.rendered.length} identical to a re-render of packet.json\n`,
      );
      process.stdout.write(
        `  manifest header: ${r.header.length === 0 ? 'every field agrees with packet.json and evidence/' : `${r.header.length} field(s) disagree`}\n`,
      );
      for (const line of verifyMessages(r)) process.stdout.write(`  ${line}\n`);
      for (const n of r.notes) process.stdout.write(`  note: ${n}\n`);
      for (const line of signatures.get(r.folder)?.lines ?? []) process.stdout.write(`${line}\n`);
    }
  }
  return reports.every((r) => r.ok) ? EXIT.complete : EXIT.unexpected;
}
