import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunInfo } from '../evidence/bundle.js';
import type { ExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import { REVISION_NOTE } from './revisions.js';
import { TOOL } from '../tool.js';
import { EVIDENCE_DIR, evidencePaths } from '../evidence/evidence-store.js';
import { listFilesRecursive, sha256, sha256File, type HashedFile } from '../util/hash.js';
import { readFailure } from '../util/read-failure.js';
import { verifyManifestSignature } from '../workspace/verify-signature.js';
import { readOwnFile } from '../workspace/own-file.js';
import {
  checkFiles,
  MANIFEST_COMPANIONS,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type FileCheck,
  type Manifest,
  type RenderSettings,
} from '../workspace/manifest.js';
import { derivePacket, readRecordedTenant, renderInto } from './analyze-folder.js';
import { hashingReads } from '../evidence/read-evidence.js';
import { readPacketFile } from './packet-file.js';
import { PACKET_FILE } from '../packet-folder.js';
import { packetHeader, type ManifestHeader } from './manifest-header.js';
import { describeDifference } from './verify/describe-difference.js';

/** A manifest header field that does not say what packet.json and the evidence say. */
interface HeaderMismatch {
  field: string;
  message: string;
}

/** A rendered file (PDF, workbook, CSV export) compared with what re-rendering packet.json gives. */
type RenderedCheck =
  | { path: string; state: 'identical' }
  | { path: string; state: 'differs'; message: string }
  | { path: string; state: 'missing'; message: string };

export interface VerifyReport {
  folder: string;
  ok: boolean;
  /** Every hash in manifest.json recomputed. */
  files: FileCheck[];
  /** packet.json as re-derived from evidence/ equals the stored one, byte for byte. */
  packetReproduced: boolean;
  packetDifferences: string[];
  /** Header fields of manifest.json that disagree with packet.json / evidence/run.json / evidence/tenant.json. */
  header: HeaderMismatch[];
  /**
   * PDF, XLSX and CSV exports re-rendered from packet.json (outside the folder) and compared byte for byte;
   * empty when the check was asked not to re-render (then rendered files are proven by their hashes alone).
   */
  rendered: RenderedCheck[];
  /** Whether rendered files were re-rendered (`verify`) or checked by hash only (`portfolio` by default). */
  rerendered: boolean;
  /** Files in the folder that are neither evidence packet.json lists, nor packet.json, nor a rendered file. */
  extra: string[];
  /** Evidence files packet.json lists that the folder does not hold. */
  missingEvidence: string[];
  /** Facts that do not fail verification but explain a difference (e.g. another tool version). */
  notes: string[];
  problems: string[];
  /** sha256 of the manifest.json bytes this verification checked; absent when it could not be read. */
  manifestSha256?: string;
  /** Whose packet manifest.json says this is (tenant id, period label), when it says. */
  owner?: { tenant: string; period: string };
}

/** The tenant id and period label manifest.json names, when both are texts. */
function manifestOwner(manifest: Record<string, unknown>): VerifyReport['owner'] {
  const period = manifest.period as { label?: unknown } | null | undefined;
  const label = typeof period === 'object' && period !== null ? period.label : undefined;
  return typeof manifest.tenant === 'string' && typeof label === 'string'
    ? { tenant: manifest.tenant, period: label }
    : undefined;
}

/** Lists the JSON paths where two values differ (first 20), so a reviewer sees what changed. */
function diffJson(
  a: unknown,
  b: unknown,
  at = '$',
  out: string[] = [],
  labels = { a: 'stored', b: 're-derived' },
): string[] {
  if (out.length >= 20) return out;
  if (
    typeof a !== typeof b ||
    Array.isArray(a) !== Array.isArray(b) ||
    a === null ||
    b === null ||
    typeof a !== 'object'
  ) {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(
        `${at}: ${labels.a} ${JSON.stringify(a)?.slice(0, 80)} ≠ ${labels.b} ${JSON.stringify(b)?.slice(0, 80)}`,
      );
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  for (const k of keys)
    diffJson(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`,
      out,
      labels,
    );
  return out;
}

/** Which evidence file backs each header field, for the message. */
const HEADER_SOURCE: Record<Exclude<keyof ManifestHeader, 'render'>, string> = {
  tool: 'packet.json and evidence/run.json',
  tenant: 'packet.json and evidence/tenant.json',
  period: 'packet.json and evidence/tenant.json',
  configSha256: 'packet.json and evidence/run.json',
  collection: 'packet.json and evidence/run.json',
  sources: 'evidence/tenant.json',
};

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function isRenderSettings(value: unknown): value is RenderSettings {
  const r = value as Partial<RenderSettings> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    (r.pageSize === 'A4' || r.pageSize === 'LETTER') &&
    Number.isInteger(r.topFindings) &&
    r.topFindings! >= 1 &&
    r.topFindings! <= 12 &&
    Object.keys(r).length === 2
  );
}

/** Compares every header field of the stored manifest with the header packet.json and the evidence call for. */
function checkHeader(stored: Record<string, unknown>, expected: Omit<ManifestHeader, 'render'>): HeaderMismatch[] {
  const out: HeaderMismatch[] = [];
  if (stored.manifestVersion !== MANIFEST_VERSION) {
    out.push({
      field: 'manifestVersion',
      message: `manifest.json manifestVersion is ${short(stored.manifestVersion)}; this tool writes and reads ${MANIFEST_VERSION}`,
    });
  }
  for (const field of Object.keys(HEADER_SOURCE) as Array<keyof typeof HEADER_SOURCE>) {
    const want = expected[field];
    const have = stored[field];
    if (JSON.stringify(have) === JSON.stringify(want)) continue;
    const whole = (JSON.stringify(have) ?? '').length <= 120 && (JSON.stringify(want) ?? '').length <= 120;
    if (whole) {
      out.push({
        field,
        message: `manifest.json ${field} is ${short(have)} but ${HEADER_SOURCE[field]} say ${short(want)}`,
      });
    } else {
      const where = diffJson(have, want, field, [], { a: 'manifest has', b: `${HEADER_SOURCE[field]} say` });
      out.push({
        field,
        message: `manifest.json ${field} disagrees with ${HEADER_SOURCE[field]}: ${where.slice(0, 3).join('; ')}${where.length > 3 ? ` and ${where.length - 3} more` : ''}`,
      });
    }
  }
  // `render` cannot be derived from evidence: it must be well formed, and the re-rendered files prove it.
  if (!isRenderSettings(stored.render)) {
    out.push({
      field: 'render',
      message: `manifest.json render is ${short(stored.render)}; expected {"pageSize": "A4" or "LETTER", "topFindings": 1 to 12}`,
    });
  }
  for (const field of Object.keys(stored)) {
    if (field === 'manifestVersion' || field === 'files' || field === 'render' || field in HEADER_SOURCE) continue;
    out.push({ field, message: `manifest.json has a field no packet explains: ${field} = ${short(stored[field])}` });
  }
  const entryProblem = unexplainedEntryFields(stored.files);
  if (entryProblem) out.push({ field: 'files', message: entryProblem });
  return out;
}

const FILE_ENTRY_FIELDS: ReadonlySet<string> = new Set(['path', 'sha256', 'size']);

/** File entries holding more than path, sha256 and size (the hashes and sizes are checked file by file). */
function unexplainedEntryFields(files: unknown): string | undefined {
  if (!Array.isArray(files)) return undefined;
  const extra: string[] = [];
  let entries = 0;
  for (const item of files as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const fields = Object.keys(entry).filter((k) => !FILE_ENTRY_FIELDS.has(k));
    if (fields.length === 0) continue;
    entries++;
    if (extra.length < 3)
      extra.push(`${short(entry.path)}: ${fields.map((k) => `${k} = ${short(entry[k])}`).join(', ')}`);
  }
  if (entries === 0) return undefined;
  return `manifest.json lists ${entries} file(s) with fields no packet explains (an entry holds path, sha256 and size): ${extra.join('; ')}${entries > extra.length ? ` and ${entries - extra.length} more` : ''}`;
}

/** Renders packet.json again into a temporary folder outside the packet, and compares every output with the folder's copy. */
async function checkRendered(
  folder: string,
  packet: Packet,
  packetSha256: string,
  render: RenderSettings,
  exports?: ExportRows,
): Promise<RenderedCheck[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 's3e-verify-'));
  try {
    const written = await renderInto(scratch, folder, packet, packetSha256, render, exports);
    const checks: RenderedCheck[] = [];
    for (const rel of [...written].sort()) {
      const mine = path.join(scratch, ...rel.split('/'));
      const theirs = path.join(folder, ...rel.split('/'));
      const stored = await sha256File(theirs).catch(() => undefined);
      if (!stored) {
        checks.push({
          path: rel,
          state: 'missing',
          message: `${rel} is missing: re-rendering packet.json produces it`,
        });
        continue;
      }
      const fresh = await sha256File(mine);
      if (stored.sha256 === fresh.sha256) {
        checks.push({ path: rel, state: 'identical' });
        continue;
      }
      // Files too large to hold twice are described by size alone.
      const how =
        stored.size + fresh.size < 256 * 1024 * 1024
          ? describeDifference(rel, await readFile(theirs), await readFile(mine))
          : `${stored.size} bytes stored, ${fresh.size} bytes re-rendered`;
      checks.push({ path: rel, state: 'differs', message: `${rel} is not what packet.json renders to: ${how}` });
    }
    return checks;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface VerifyOptions {
  /**
   * Re-render the PDF, workbook and CSV exports and compare them byte for byte (default). Without it,
   * every figure is still re-derived from evidence/ and every file checked against its manifest hash:
   * what a portfolio, which reads packet.json's figures only, needs at a fraction of the cost.
   */
  rerender?: boolean;
}

type StoredPacket = { packet: Packet; sha256: string } | { problem: string };

/** packet.json, read and parsed on the first call only. */
function packetFileOnce(folder: string): () => Promise<StoredPacket> {
  let read: Promise<StoredPacket> | undefined;
  return () =>
    (read ??= readPacketFile(folder).catch((err: unknown) => ({
      problem: `packet.json unreadable: ${readFailure(err)}`,
    })));
}

interface Derivation {
  /** The export rows of the derivation, kept only when the rendered files are re-rendered. */
  exports?: ExportRows;
  derivedSha256?: string;
  /** The evidence files the derived packet lists. */
  derivedEvidence?: string[];
  /** packet.json's hash, taken while comparing it with the derived text: the manifest check reuses it. */
  storedHash?: HashedFile;
  notDerived?: string;
  headerProblem?: string;
}

/**
 * packet.json re-derived from evidence/ and compared with the folder's, and the manifest header
 * checked against it (against packet.json's packet when it cannot be derived). The derived packet
 * (some 150 MB at 10,000 buckets) does not outlive this call, and packet.json is parsed here only
 * when its bytes differ from the derived text, to list how: on the usual path one packet is in
 * memory at a time.
 */
async function checkDerivation(
  folder: string,
  manifest: Record<string, unknown> | undefined,
  report: VerifyReport,
  storedPacket: () => Promise<StoredPacket>,
  keepExports: boolean,
): Promise<Derivation> {
  let derived: Awaited<ReturnType<typeof derivePacket>> | undefined;
  let notDerived: string | undefined;
  try {
    derived = await derivePacket(folder);
  } catch (err) {
    notDerived = `packet could not be re-derived: ${(err as Error).message}`;
  }
  let basis = derived?.packet;
  let storedHash: HashedFile | undefined;
  if (derived) {
    storedHash = await sha256File(path.join(folder, PACKET_FILE)).then(
      (f) => ({ path: PACKET_FILE, ...f }),
      () => undefined,
    );
    report.packetReproduced = storedHash?.sha256 === derived.sha256;
    if (!report.packetReproduced) {
      const stored = await storedPacket();
      if ('packet' in stored) report.packetDifferences = diffJson(stored.packet, derived.packet);
    }
  } else {
    const stored = await storedPacket();
    if ('packet' in stored) basis = stored.packet;
  }
  const headerProblem = manifest ? await checkManifestHeader(folder, manifest, basis, report) : undefined;
  return {
    ...(derived
      ? {
          ...(keepExports ? { exports: derived.exports } : {}),
          derivedSha256: derived.sha256,
          derivedEvidence: (derived.packet.evidence ?? []).map((f) => f.path),
        }
      : {}),
    ...(storedHash ? { storedHash } : {}),
    ...(notDerived ? { notDerived } : {}),
    ...(headerProblem ? { headerProblem } : {}),
  };
}

/**
 * Checks manifest.json's header against the packet (`basis`: the derived one, else packet.json's),
 * into report.header, with a note when another version of the tool collected the evidence; returns
 * the problem when the check could not be made.
 */
async function checkManifestHeader(
  folder: string,
  manifest: Record<string, unknown>,
  basis: Packet | undefined,
  report: VerifyReport,
): Promise<string | undefined> {
  try {
    const { tenant } = await readRecordedTenant(folder);
    const run = JSON.parse(await readFile(path.join(folder, ...evidencePaths.run.split('/')), 'utf8')) as RunInfo;
    if (!basis) throw new Error('neither packet.json nor evidence/ gives a packet to compare with');
    report.header = checkHeader(manifest, packetHeader(basis, tenant));
    if (run.tool?.version !== TOOL.version || run.tool?.name !== TOOL.name) {
      report.notes.push(
        `collected by ${run.tool?.name} ${run.tool?.version}, verified with ${TOOL.name} ${TOOL.version}: re-rendered files may differ for that reason alone`,
      );
    }
    return undefined;
  } catch (err) {
    return `manifest header could not be checked: ${(err as Error).message}`;
  }
}

/**
 * Proves the whole folder: every hash in the manifest, every manifest header field, packet.json
 * re-derived from evidence/, every rendered file re-rendered from packet.json, and no file that
 * nothing accounts for. Each discrepancy gets its own message.
 */
export async function verifyFolder(folder: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const rerender = opts.rerender ?? true;
  const report: VerifyReport = {
    folder,
    ok: false,
    files: [],
    packetReproduced: false,
    packetDifferences: [],
    header: [],
    rendered: [],
    rerendered: rerender,
    extra: [],
    missingEvidence: [],
    notes: [],
    problems: [],
  };
  let manifest: (Record<string, unknown> & Partial<Manifest>) | undefined;
  let manifestProblem: string | undefined;
  try {
    const bytes = await readOwnFile(folder, MANIFEST_FILE);
    report.manifestSha256 = sha256(bytes);
    manifest = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (!Array.isArray(manifest.files)) throw new Error('it has no file list');
    const owner = manifestOwner(manifest);
    if (owner) report.owner = owner;
  } catch (err) {
    manifestProblem = `manifest.json unreadable: ${readFailure(err)}`;
  }

  const storedPacket = packetFileOnce(folder);
  // Re-derived first: each evidence file the derivation reads is hashed from those very bytes, and
  // the hash check below reads only the files it did not (at 10,000 buckets, 112,000 files read once).
  const {
    result: { exports, derivedSha256, derivedEvidence, storedHash, notDerived, headerProblem },
    read: hashedWhileDerived,
  } = await hashingReads(folder, () => checkDerivation(folder, manifest, report, storedPacket, rerender));
  if (storedHash) hashedWhileDerived.set(PACKET_FILE, storedHash);
  if (manifest && !manifestProblem) {
    try {
      report.files = await checkFiles(folder, manifest as Manifest, hashedWhileDerived);
    } catch (err) {
      manifestProblem = `manifest.json unreadable: ${readFailure(err)}`;
    }
  }
  if (manifestProblem) report.problems.push(manifestProblem);
  // Without a re-render, a packet.json found reproduced is the derived text byte for byte: its
  // evidence list is the derived packet's, and the file (90 MB at 10,000 buckets) is not parsed again.
  const read = rerender || !report.packetReproduced ? await storedPacket() : undefined;
  const stored = read && 'packet' in read ? read : undefined;
  // packet.json is read twice on the usual path (its bytes hashed, then its text parsed): what is
  // re-rendered below must be the packet that was found reproduced. Bytes equal to the derived text
  // are valid UTF-8, so the two hashes agree unless the file changed in between.
  if (stored && report.packetReproduced && stored.sha256 !== derivedSha256) {
    report.packetReproduced = false;
    report.problems.push('packet.json changed while it was being verified: verify it again');
  }
  for (const problem of [read && 'problem' in read ? read.problem : undefined, notDerived, headerProblem])
    if (problem) report.problems.push(problem);

  if (rerender && stored && manifest && isRenderSettings(manifest.render)) {
    try {
      report.rendered = await checkRendered(folder, stored.packet, stored.sha256, manifest.render, exports);
    } catch (err) {
      report.problems.push(`packet.json could not be re-rendered: ${(err as Error).message}`);
    }
  }

  const listedEvidence = stored
    ? (stored.packet.evidence ?? []).map((f) => f.path)
    : report.packetReproduced
      ? derivedEvidence
      : undefined;
  if (listedEvidence) {
    const listed = new Set(listedEvidence);
    const accounted = new Set([
      PACKET_FILE,
      REVISION_NOTE,
      MANIFEST_FILE,
      ...MANIFEST_COMPANIONS,
      ...listed,
      ...report.rendered.map((r) => r.path),
      // Not re-rendered: the rendered files are the ones the manifest lists, each checked by its hash above.
      ...(rerender ? [] : report.files.filter((f) => f.state !== 'unlisted').map((f) => f.path)),
    ]);
    const present = await listFilesRecursive(folder);
    report.extra = present.filter((p) => !accounted.has(p));
    const here = new Set(present);
    report.missingEvidence = [...listed].filter((p) => !here.has(p));
    if (!listed.size && present.some((p) => p.startsWith(`${EVIDENCE_DIR}/`)))
      report.problems.push('packet.json lists no evidence files');
  }

  report.ok =
    report.problems.length === 0 &&
    report.files.length > 0 &&
    report.files.every((f) => f.state === 'ok') &&
    report.packetReproduced &&
    report.header.length === 0 &&
    (!rerender || (report.rendered.length > 0 && report.rendered.every((r) => r.state === 'identical'))) &&
    report.extra.length === 0 &&
    report.missingEvidence.length === 0;
  return report;
}

/**
 * Why a packet folder does not verify (a problem of the folder itself, else the first of verify's
 * messages, or its signature, if it has one, not holding for its manifest.json), or nothing when it
 * does: for the commands that only use a packet that verifies (portfolio, deliver, resume, the trend's
 * months).
 */
export async function verifyProblem(folder: string, opts: VerifyOptions = {}): Promise<string | undefined> {
  const checked = await verifiedManifest(folder, opts);
  return 'problem' in checked ? checked.problem : undefined;
}

/**
 * verifyProblem, with the sha256 of the manifest.json that verified: what later reads of the folder
 * compare with to know it is still the packet that was checked (the trend's earlier months).
 */
export async function verifiedManifest(
  folder: string,
  opts: VerifyOptions = {},
): Promise<{ manifestSha256: string } | { problem: string }> {
  const report = await verifyFolder(folder, opts);
  if (report.ok && report.manifestSha256 !== undefined) {
    const problem = await signatureProblem(folder, report.manifestSha256);
    return problem === undefined ? { manifestSha256: report.manifestSha256 } : { problem };
  }
  // A problem of the folder itself (manifest.json or packet.json unreadable) is why the files differ,
  // so it is the one message given, not the first of the differences it causes.
  return { problem: report.problems[0] ?? verifyMessages(report)[0] ?? 'it does not verify' };
}

/**
 * Why a signed packet's signature does not hold for the manifest.json that verified (sha256
 * `manifestSha256`), as `verify` reports it; undefined when it holds or the packet is not signed.
 * An altered packet whose hashes were all rewritten still verifies, but not its signature. Checked
 * offline with the stored public key: integrity, not who signed (verify --expect-key pins that).
 */
async function signatureProblem(folder: string, manifestSha256: string): Promise<string | undefined> {
  const signature = await verifyManifestSignature(folder);
  if (signature.state === 'absent') return undefined;
  if (signature.state === 'failed')
    return `its signature does not verify: ${signature.problems[0] ?? 'no reason given'}`;
  if (signature.manifestSha256 !== manifestSha256)
    return `its signature is of another manifest.json (sha256 ${signature.manifestSha256 ?? '?'}, verified ${manifestSha256})`;
  return undefined;
}

/** One line per discrepancy, in the order a reviewer should read them. */
export function verifyMessages(r: VerifyReport): string[] {
  const out: string[] = [];
  for (const f of r.files) {
    if (f.state === 'changed')
      out.push(
        f.actual !== f.expected
          ? `changed: ${f.path} (its sha256 is not the one manifest.json lists)`
          : `changed: ${f.path} (its size, ${f.actualSize} bytes, is not the one manifest.json lists: ${JSON.stringify(f.expectedSize)})`,
      );
    else if (f.state === 'listed_twice') out.push(`listed twice: ${f.path} (manifest.json lists it more than once)`);
    else if (f.state === 'missing') out.push(`missing: ${f.path} (listed in manifest.json, not in the folder)`);
    else if (f.state === 'unlisted') out.push(`unlisted: ${f.path} (in the folder, not in manifest.json)`);
  }
  for (const h of r.header) out.push(`manifest header: ${h.message}`);
  if (!r.packetReproduced) out.push('packet.json differs from what evidence/ gives');
  for (const d of r.packetDifferences) out.push(`  ${d}`);
  for (const c of r.rendered) if (c.state !== 'identical') out.push(`rendered: ${c.message}`);
  for (const p of r.extra)
    out.push(
      `extra file: ${p} is neither evidence listed in packet.json, nor packet.json, nor a file packet.json renders to`,
    );
  for (const p of r.missingEvidence) out.push(`missing evidence: ${p} is listed in packet.json but not in the folder`);
  for (const p of r.problems) out.push(`problem: ${p}`);
  return out;
}
