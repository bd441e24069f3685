/**
 * `verify` binds every file of a packet: tampering a dishonest operator could do while keeping the
 * manifest's hashes consistent (recomputed after the edit) must still fail, each with its own message.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyFolder, verifyMessages, verifyProblem, type VerifyReport } from '../../src/pipeline/verify-folder.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';
import { forgeSignature, recomputeHashes } from '../support/forged-manifest.js';
import { kmsClientFor } from '../../src/collect/live/clients.js';
import { resolveLiveOptions } from '../../src/collect/live/options.js';
import { fetchSigningKey, signManifest, verifyManifestSignature } from '../../src/operate/sign/index.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { validateComplianceFinding } from '../support/ocsf-validator.js';

/** Run once (then cleared) when verify reads the recorded tenant, after packet.json has been hashed: a concurrent edit. */
const duringVerify = vi.hoisted(() => ({ edit: undefined as ((folder: string) => void) | undefined }));
vi.mock('../../src/pipeline/analyze-folder.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/pipeline/analyze-folder.js')>();
  return {
    ...actual,
    readRecordedTenant: async (folder: string) => {
      const recorded = await actual.readRecordedTenant(folder);
      const edit = duringVerify.edit;
      duringVerify.edit = undefined;
      edit?.(folder);
      return recorded;
    },
  };
});

/** Every path `verify` opens through fs/promises' open (hashing and confined reads both do), while `opened` is set. */
const opens = vi.hoisted(() => ({ opened: undefined as string[] | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = (file, ...rest) => {
    opens.opened?.push(String(file));
    return actual.open(file, ...rest);
  };
  return { ...actual, open, default: { ...actual, open } };
});

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
const folders: Record<string, string> = {};
let copies = 0;

beforeAll(async () => {
  ws = await demoWorkspace();
  for (const tenant of ws.config.tenants.filter((t) => t.id !== 'globex')) {
    const r = await runDemoTenant(ws, tenant);
    folders[tenant.id] = r.folder;
  }
}, 180_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

/** A fresh copy of northwind's packet to tamper with. */
function copyOfNorthwind(): string {
  const dir = path.join(ws.root, 'tampered', String(copies++), '2026-10', 'northwind');
  cpSync(folders.northwind!, dir, { recursive: true });
  return dir;
}

function failuresOf(r: VerifyReport) {
  return {
    files: r.files.filter((f) => f.state !== 'ok').map((f) => `${f.state} ${f.path}`),
    header: r.header.map((h) => h.field),
    rendered: r.rendered.filter((c) => c.state !== 'identical').map((c) => `${c.state} ${c.path}`),
    extra: r.extra,
    missingEvidence: r.missingEvidence,
    packetReproduced: r.packetReproduced,
    problems: r.problems,
  };
}

const CLEAN = {
  files: [],
  header: [],
  rendered: [],
  extra: [],
  missingEvidence: [],
  packetReproduced: true,
  problems: [],
};

describe('verify binds every file of the packet', () => {
  it('the untouched packet verifies: hashes, header, packet.json, and every rendered file re-rendered identically', async () => {
    const r = await verifyFolder(copyOfNorthwind());
    expect(failuresOf(r)).toEqual(CLEAN);
    expect(r.ok).toBe(true);
    expect(r.rendered.map((c) => c.path)).toEqual([
      'README.txt',
      'exports/buckets.csv',
      // northwind's frameworks in the demo config: one compliance export each.
      'exports/compliance-cis-aws-foundations-v7.0.0.csv',
      'exports/compliance-hipaa-security-rule.csv',
      'exports/compliance-soc2-tsc-2017.csv',
      'exports/denied-uploads.csv',
      'exports/findings.csv',
      'exports/key-management-events.csv',
      'exports/key-usage.csv',
      'exports/ocsf-compliance-findings.jsonl',
      'exports/unencrypted-objects.csv',
      'northwind-2026-10.pdf',
      'northwind-2026-10.xlsx',
    ]);
    expect(verifyMessages(r)).toEqual([]);
  });

  it('every field of a file entry is checked: a wrong size beside the right sha256, a file listed twice and a field of its own are named', async () => {
    const dir = copyOfNorthwind();
    const file = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      files: Array<{ path: string; sha256: string; size: number }>;
    };
    const pdf = manifest.files.find((f) => f.path === 'northwind-2026-10.pdf')!;
    const realSize = readFileSync(path.join(dir, pdf.path)).length;
    expect(pdf.size).toBe(realSize);
    pdf.size = realSize + 1000;
    const csv = manifest.files.find((f) => f.path === 'exports/findings.csv')!;
    manifest.files.push({ ...csv, sha256: '0'.repeat(64) });
    Object.assign(
      manifest.files.find((f) => f.path === 'README.txt')!,
      { reviewedBy: 'the auditor' },
    );
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({
      ...CLEAN,
      files: ['changed northwind-2026-10.pdf', 'listed_twice exports/findings.csv'],
      header: ['files'],
    });
    expect(verifyMessages(r)).toEqual([
      `changed: northwind-2026-10.pdf (its size, ${realSize} bytes, is not the one manifest.json lists: ${realSize + 1000})`,
      'listed twice: exports/findings.csv (manifest.json lists it more than once)',
      'manifest header: manifest.json lists 1 file(s) with fields no packet explains (an entry holds path, sha256 and size): "README.txt": reviewedBy = "the auditor"',
    ]);
    expect(r.ok).toBe(false);
  });

  it('README.txt is in the manifest, names every file of the folder, and an edited one is named by verify', async () => {
    for (const folder of Object.values(folders)) {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as {
        files: Array<{ path: string }>;
      };
      expect(manifest.files.map((f) => f.path)).toContain('README.txt');
      const readme = readFileSync(path.join(folder, 'README.txt'), 'utf8');
      const lines = readme.split('\n');
      const named = lines
        .slice(lines.indexOf('Files') + 1, lines.indexOf('', lines.indexOf('Files')))
        .filter((l) => /^ {2}\S/.test(l))
        .map((l) => l.trim().split(/\s+/)[0]!)
        .filter((f) => f.includes('.') || f.endsWith('/'));
      const listed = manifest.files.map((f) => (f.path.startsWith('evidence/') ? 'evidence/' : f.path));
      expect([...new Set(listed)].sort()).toEqual([...new Set(named.filter((f) => f !== 'manifest.json'))].sort());
    }
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'README.txt'), 'nothing to see\n');
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs README.txt'] });
  });

  it('the OCSF export is part of the packet: every line a valid Compliance Finding, one per control and resource, and an edited line is named', async () => {
    for (const folder of Object.values(folders)) {
      const packet = JSON.parse(readFileSync(path.join(folder, 'packet.json'), 'utf8')) as {
        controls: Array<{ resources: unknown[] }>;
      };
      const expected = packet.controls.reduce((n, c) => n + Math.max(1, c.resources.length), 0);
      const lines = readFileSync(path.join(folder, 'exports', 'ocsf-compliance-findings.jsonl'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(lines).toHaveLength(expected);
      for (const line of lines) expect(validateComplianceFinding(JSON.parse(line))).toEqual([]);
    }
    const dir = copyOfNorthwind();
    const file = path.join(dir, 'exports', 'ocsf-compliance-findings.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"status":"Pass"', '"status":"Fail"'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs exports/ocsf-compliance-findings.jsonl'] });
  });

  it("another tenant's PDF copied in, hashes recomputed: the PDF is named as not what packet.json renders to", async () => {
    const dir = copyOfNorthwind();
    cpSync(path.join(folders.acme!, 'acme-2026-10.pdf'), path.join(dir, 'northwind-2026-10.pdf'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs northwind-2026-10.pdf'] });
    const acmeSize = readFileSync(path.join(folders.acme!, 'acme-2026-10.pdf')).length;
    const ownSize = readFileSync(path.join(folders.northwind!, 'northwind-2026-10.pdf')).length;
    expect(verifyMessages(r)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^rendered: northwind-2026-10\\.pdf is not what packet\\.json renders to: ${acmeSize} bytes stored, ${ownSize} bytes re-rendered, first difference at byte \\d+$`,
        ),
      ),
    ]);
  });

  it('a swapped workbook, hashes recomputed: the XLSX is named with the workbook parts that differ', async () => {
    const dir = copyOfNorthwind();
    cpSync(path.join(folders.acme!, 'acme-2026-10.xlsx'), path.join(dir, 'northwind-2026-10.xlsx'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs northwind-2026-10.xlsx'] });
    const message = verifyMessages(r)[0]!;
    expect(message).toMatch(
      /^rendered: northwind-2026-10\.xlsx is not what packet\.json renders to: workbook parts differ: /,
    );
    expect(message).toContain('xl/worksheets/sheet1.xml');
  });

  it('an edited CSV export, hashes recomputed: the CSV is named with its first differing line', async () => {
    const dir = copyOfNorthwind();
    const csv = path.join(dir, 'exports', 'buckets.csv');
    const lines = readFileSync(csv, 'utf8').split('\n');
    const original = lines[1]!;
    lines[1] = original.replace(',yes,yes,', ',no,no,');
    expect(lines[1]).not.toBe(original);
    writeFileSync(csv, lines.join('\n'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs exports/buckets.csv'] });
    expect(verifyMessages(r)).toEqual([
      `rendered: exports/buckets.csv is not what packet.json renders to: line 2 is ${JSON.stringify(lines[1].slice(0, 80) + (lines[1].length > 80 ? '…' : ''))}, re-rendering packet.json gives ${JSON.stringify(original.slice(0, 80) + (original.length > 80 ? '…' : ''))}`,
    ]);
  });

  const headerEdits: Array<[string, (m: Record<string, unknown>) => void, RegExp]> = [
    [
      'tenant',
      (m) => (m.tenant = 'acme'),
      /^manifest header: manifest\.json tenant is "acme" but packet\.json and evidence\/tenant\.json say "northwind"$/,
    ],
    [
      'period',
      (m) => ((m.period as { label: string }).label = '2026-09'),
      /^manifest header: manifest\.json period is \{"label":"2026-09",.*\} but packet\.json and evidence\/tenant\.json say \{"label":"2026-10",/,
    ],
    [
      'configSha256',
      (m) => (m.configSha256 = 'a'.repeat(64)),
      new RegExp(
        `^manifest header: manifest\\.json configSha256 is "${'a'.repeat(64)}" but packet\\.json and evidence/run\\.json say "${'f'.repeat(64)}"$`,
      ),
    ],
    [
      'tool',
      (m) => ((m.tool as { version: string }).version = '9.9.9'),
      /^manifest header: manifest\.json tool is \{"name":"s3-evidence","version":"9\.9\.9"\} but packet\.json and evidence\/run\.json say \{"name":"s3-evidence","version":"0\.1\.0"\}$/,
    ],
    [
      'sources',
      (m) => (m.sources as Array<{ location: string }>).pop(),
      /^manifest header: manifest\.json sources disagrees with evidence\/tenant\.json: sources\[1\]: manifest has undefined ≠ evidence\/tenant\.json say \{"kind":"inventory","scope":"tenant northwind","location":"/,
    ],
    [
      'collection',
      (m) => ((m.collection as { startedAt: string }).startedAt = '2026-11-15T00:00:00Z'),
      /^manifest header: manifest\.json collection is \{"mode":"offline","startedAt":"2026-11-15T00:00:00Z",.*\} but packet\.json and evidence\/run\.json say \{"mode":"offline","startedAt":"2026-11-01T06:00:00Z",.*\}$/,
    ],
  ];
  for (const [field, edit, message] of headerEdits) {
    it(`an edited manifest header field (${field}), hashes recomputed: that field is named`, async () => {
      const dir = copyOfNorthwind();
      recomputeHashes(dir, edit);
      const r = await verifyFolder(dir);
      expect(r.ok).toBe(false);
      expect(failuresOf(r)).toEqual({ ...CLEAN, header: [field] });
      expect(verifyMessages(r)).toEqual([expect.stringMatching(message)]);
    });
  }

  it('a header field no packet explains, and malformed render settings, are each named', async () => {
    const dir = copyOfNorthwind();
    recomputeHashes(dir, (m) => {
      m.approvedBy = 'the auditor';
      m.render = { pageSize: 'A3', topFindings: 6 };
    });
    const r = await verifyFolder(dir);
    expect(r.header.map((h) => h.message)).toEqual([
      'manifest.json render is {"pageSize":"A3","topFindings":6}; expected {"pageSize": "A4" or "LETTER", "topFindings": 1 to 12}',
      'manifest.json has a field no packet explains: approvedBy = "the auditor"',
    ]);
    expect(r.ok).toBe(false);
  });

  it('render settings other than those the files were rendered with: every rendered file that depends on them differs', async () => {
    const dir = copyOfNorthwind();
    recomputeHashes(dir, (m) => (m.render = { pageSize: 'LETTER', topFindings: 6 }));
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['differs northwind-2026-10.pdf'] });
  });

  it('an extra file, hashes recomputed: named as extra', async () => {
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'exports', 'approved-by-auditor.csv'), 'approved\nyes\n');
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, extra: ['exports/approved-by-auditor.csv'] });
    expect(verifyMessages(r)).toEqual([
      'extra file: exports/approved-by-auditor.csv is neither evidence listed in packet.json, nor packet.json, nor a file packet.json renders to',
    ]);
  });

  it('an extra file not even in the manifest: named as unlisted and as extra', async () => {
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'NOTES.txt'), 'hello\n');
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, files: ['unlisted NOTES.txt'], extra: ['NOTES.txt'] });
  });

  it('a missing rendered file, hashes recomputed: named as missing', async () => {
    const dir = copyOfNorthwind();
    unlinkSync(path.join(dir, 'exports', 'findings.csv'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({ ...CLEAN, rendered: ['missing exports/findings.csv'] });
    expect(verifyMessages(r)).toEqual([
      'rendered: exports/findings.csv is missing: re-rendering packet.json produces it',
    ]);
  });

  it('a missing file the manifest lists: named as missing', async () => {
    const dir = copyOfNorthwind();
    unlinkSync(path.join(dir, 'northwind-2026-10.xlsx'));
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual({
      ...CLEAN,
      files: ['missing northwind-2026-10.xlsx'],
      rendered: ['missing northwind-2026-10.xlsx'],
    });
  });

  it('a missing evidence file, hashes recomputed: named as missing evidence, and packet.json no longer re-derives', async () => {
    const dir = copyOfNorthwind();
    unlinkSync(path.join(dir, 'evidence', 'index.json'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(r.missingEvidence).toEqual(['evidence/index.json']);
    expect(r.packetReproduced).toBe(false);
    expect(r.problems.some((p) => p.startsWith('packet could not be re-derived:') && p.includes('index.json'))).toBe(
      true,
    );
  });
});

describe('packet.json read only as far as it must be', () => {
  it('the same packet written compactly, hashes recomputed: its bytes are not what evidence/ derives, and no figure differs', async () => {
    const dir = copyOfNorthwind();
    const file = path.join(dir, 'packet.json');
    writeFileSync(file, JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))));
    recomputeHashes(dir);
    const r = await verifyFolder(dir, { rerender: false });
    expect(r.ok).toBe(false);
    expect(r.packetReproduced).toBe(false);
    expect(r.packetDifferences).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('packet.json not JSON, hashes recomputed: named unreadable, the header still checked against the derived packet, nothing re-rendered', async () => {
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'packet.json'), '{"kpis": ');
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(r.packetReproduced).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^packet\.json unreadable: /);
    expect(r.header).toEqual([]);
    expect(r.rendered).toEqual([]);
  });

  it('packet.json changed after it was hashed and before it is parsed for the re-render: not reproduced, and said', async () => {
    const dir = copyOfNorthwind();
    const file = path.join(dir, 'packet.json');
    duringVerify.edit = () => {
      const packet = JSON.parse(readFileSync(file, 'utf8')) as { kpis: { objectsPct: number } };
      packet.kpis.objectsPct = 42;
      writeFileSync(file, `${JSON.stringify(packet, null, 2)}\n`);
    };
    const r = await verifyFolder(dir);
    expect(duringVerify.edit).toBeUndefined();
    expect(r.ok).toBe(false);
    expect(r.packetReproduced).toBe(false);
    expect(r.problems).toEqual(['packet.json changed while it was being verified: verify it again']);
  });

  it('neither packet.json nor evidence/ readable: each named, in that order, and the header not checked', async () => {
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'packet.json'), 'not json');
    unlinkSync(path.join(dir, 'evidence', 'index.json'));
    recomputeHashes(dir);
    const r = await verifyFolder(dir);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.split(':')[0])).toEqual([
      'packet.json unreadable',
      'packet could not be re-derived',
      'manifest header could not be checked',
    ]);
    expect(r.problems[2]).toBe(
      'manifest header could not be checked: neither packet.json nor evidence/ gives a packet to compare with',
    );
  });
});

describe('checked without re-rendering (what a portfolio asks for)', () => {
  const light = (dir: string) => verifyFolder(dir, { rerender: false });

  it('the untouched packet checks out, nothing re-rendered, every file proven by its hash', async () => {
    const r = await light(copyOfNorthwind());
    expect(failuresOf(r)).toEqual(CLEAN);
    expect(r.ok).toBe(true);
    expect(r.rerendered).toBe(false);
    expect(r.rendered).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(expect.arrayContaining(['northwind-2026-10.pdf', 'packet.json']));
  });

  it('a figure edited in packet.json, hashes recomputed: packet.json no longer re-derives from evidence', async () => {
    const dir = copyOfNorthwind();
    const file = path.join(dir, 'packet.json');
    const packet = JSON.parse(readFileSync(file, 'utf8')) as { kpis: { objectsPct: number } };
    packet.kpis.objectsPct = 42;
    writeFileSync(file, JSON.stringify(packet));
    recomputeHashes(dir);
    const r = await light(dir);
    expect(r.ok).toBe(false);
    expect(r.packetReproduced).toBe(false);
    expect(r.packetDifferences.some((d) => d.includes('kpis.objectsPct'))).toBe(true);
  });

  it("another tenant's PDF copied in without recomputing hashes: named as changed", async () => {
    const dir = copyOfNorthwind();
    cpSync(path.join(folders.acme!, 'acme-2026-10.pdf'), path.join(dir, 'northwind-2026-10.pdf'));
    const r = await light(dir);
    expect(r.ok).toBe(false);
    expect(failuresOf(r)).toEqual({ ...CLEAN, files: ['changed northwind-2026-10.pdf'] });
  });

  it('an extra file not in the manifest: named as unlisted and as extra', async () => {
    const dir = copyOfNorthwind();
    writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const r = await light(dir);
    expect(r.ok).toBe(false);
    expect(failuresOf(r)).toEqual({ ...CLEAN, files: ['unlisted notes.txt'], extra: ['notes.txt'] });
  });
});

/** Replaces `relative` in `dir` by a link to an identical copy of it outside the folder. */
function linkToCopyOutside(dir: string, relative: string): void {
  const outside = path.join(ws.root, `outside-${path.basename(relative)}`);
  cpSync(path.join(dir, relative), outside);
  unlinkSync(path.join(dir, relative));
  symlinkSync(outside, path.join(dir, relative));
}

describe('verify reads each file once, and only inside the folder', () => {
  it('no file of the folder is opened twice: evidence is hashed from the bytes the re-derivation read', async () => {
    const dir = copyOfNorthwind();
    opens.opened = [];
    const r = await verifyFolder(dir, { rerender: false });
    const opened = opens.opened;
    opens.opened = undefined;
    expect(r.ok).toBe(true);
    const inFolder = opened.filter((f) => f.startsWith(`${dir}${path.sep}`)).map((f) => path.relative(dir, f));
    const twice = [...new Set(inFolder.filter((f, i) => inFolder.indexOf(f) !== i))];
    expect(twice).toEqual([]);
    // Every file the manifest lists was opened (hashed or read), except manifest.json itself.
    const listed = (
      JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> }
    ).files.map((f) => f.path.split('/').join(path.sep));
    expect(listed.filter((f) => !inFolder.includes(f))).toEqual([]);
  });

  it('an evidence file edited after the manifest was written is still named as changed', async () => {
    const dir = copyOfNorthwind();
    const rel = 'evidence/logs/cloudtrail-1.json';
    writeFileSync(path.join(dir, rel), `${readFileSync(path.join(dir, rel), 'utf8')} `);
    const r = await verifyFolder(dir, { rerender: false });
    expect(r.files.filter((f) => f.state !== 'ok').map((f) => `${f.state} ${f.path}`)).toEqual([`changed ${rel}`]);
  });

  it('a log index that names a file outside the folder: refused, the file never read', async () => {
    const dir = copyOfNorthwind();
    const outside = path.join(ws.root, 'outside-verify');
    mkdirSync(outside, { recursive: true });
    cpSync(path.join(dir, 'evidence/logs/cloudtrail-1.json'), path.join(outside, 'cloudtrail.json'));
    const depth = path.relative(dir, outside).split(path.sep).join('/');
    writeFileSync(
      path.join(dir, 'evidence/logs/index.json'),
      JSON.stringify({ accessLogs: ['evidence/logs/access-logs-1.json'], cloudTrail: [`${depth}/cloudtrail.json`] }),
    );
    recomputeHashes(dir);
    opens.opened = [];
    const r = await verifyFolder(dir, { rerender: false });
    const opened = opens.opened;
    opens.opened = undefined;
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.startsWith('packet could not be re-derived'))).toBe(
      `packet could not be re-derived: ${path.join(dir, ...depth.split('/'), 'cloudtrail.json')}: is outside ${dir}`,
    );
    expect(opened.filter((f) => f.startsWith(outside))).toEqual([]);
  });

  it('governance.json as a link to a copy outside the folder: refused, not followed', async () => {
    const dir = copyOfNorthwind();
    linkToCopyOutside(dir, 'evidence/governance.json');
    const r = await verifyFolder(dir, { rerender: false });
    expect(r.ok).toBe(false);
    expect(r.problems.find((p) => p.startsWith('packet could not be re-derived'))).toBe(
      `packet could not be re-derived: ${path.join(dir, 'evidence', 'governance.json')}: is a symbolic link that leads outside ${dir}`,
    );
  });

  it('manifest.json as a link to an identical copy outside the folder: refused, the packet does not verify', async () => {
    const dir = copyOfNorthwind();
    expect((await verifyFolder(dir, { rerender: false })).ok).toBe(true);
    linkToCopyOutside(dir, 'manifest.json');
    const r = await verifyFolder(dir, { rerender: false });
    expect(r.ok).toBe(false);
    expect(r.manifestSha256).toBeUndefined();
    expect(r.problems).toContain(
      "manifest.json unreadable: it is a symbolic link; a packet's manifest.json is a file of its own folder",
    );
  });

  it('manifest.json past the limit for a file read whole: not read, the packet does not verify', async () => {
    const dir = copyOfNorthwind();
    // 257 MiB of zeros, sparse: nothing of it is on disk, and verify must not read it into memory.
    truncateSync(path.join(dir, 'manifest.json'), 257 * 1024 * 1024);
    const r = await verifyFolder(dir, { rerender: false });
    expect(r.ok).toBe(false);
    expect(r.manifestSha256).toBeUndefined();
    expect(r.problems).toContain(
      'manifest.json unreadable: it is 269484032 bytes, over the 268435456-byte limit for a file read whole',
    );
  });
});

describe('an index or record the tool writes, emptied: unreadable, never "not collected"', () => {
  const files = [
    'evidence/index.json',
    'evidence/run.json',
    'evidence/tenant.json',
    'evidence/logs/index.json',
    'evidence/governance.json',
    'evidence/aws-config/index.json',
  ];
  for (const file of files)
    for (const value of ['{}', '[]', 'null'])
      it(`${file} as ${value}, hashes recomputed: the packet is not re-derived, and the file is named`, async () => {
        const dir = copyOfNorthwind();
        writeFileSync(path.join(dir, file), value);
        recomputeHashes(dir);
        const r = await verifyFolder(dir, { rerender: false });
        expect(r.ok).toBe(false);
        expect(r.problems.find((p) => p.startsWith('packet could not be re-derived'))).toMatch(
          `packet could not be re-derived: ${path.join(dir, ...file.split('/'))}: not the shape this tool writes (`,
        );
      });
});

describe('a signed manifest keeps verifying', () => {
  let fake: FakeAws;
  const SIGNER = '999900000000';
  const KEY = `arn:aws:kms:eu-west-1:${SIGNER}:key/sign-ec`;
  beforeAll(async () => {
    fake = await startFakeAws({
      caller: { accessKeyId: 'AKIDOPERATOR', account: SIGNER, arn: `arn:aws:iam::${SIGNER}:role/evidence-runner` },
      accounts: [
        { id: SIGNER, buckets: [], keys: [{ id: 'sign-ec', region: 'eu-west-1', signing: { spec: 'ECC_NIST_P256' } }] },
      ],
    });
  });
  afterAll(async () => fake?.close());

  it('signature and public key beside the manifest are not extra files; the packet and its signature verify; a header edit still fails both', async () => {
    const dir = copyOfNorthwind();
    const kms = kmsClientFor(
      resolveLiveOptions({ endpoint: fake.endpoint, maxAttempts: 1, timeoutMs: 5000 }),
      'eu-west-1',
      async () => fake.callerCredentials,
    );
    await signManifest({
      kms,
      key: await fetchSigningKey(kms, KEY),
      packetDir: dir,
      now: () => new Date('2026-11-02T09:15:00Z'),
    });
    const r = await verifyFolder(dir);
    expect(failuresOf(r)).toEqual(CLEAN);
    expect(r.ok).toBe(true);
    expect((await verifyManifestSignature(dir, { expectKeyId: KEY })).state).toBe('verified');

    recomputeHashes(dir, (m) => (m.tenant = 'acme'));
    expect(failuresOf(await verifyFolder(dir))).toEqual({ ...CLEAN, header: ['tenant'] });
    expect((await verifyManifestSignature(dir, { expectKeyId: KEY })).state).toBe('failed');
  });

  it('verifyProblem (portfolio, deliver, the trend): a packet that verifies but whose signature does not hold does not verify', async () => {
    const dir = copyOfNorthwind();
    forgeSignature(dir, KEY);
    expect(await verifyProblem(dir, { rerender: false })).toBeUndefined();
    const file = path.join(dir, 'manifest.signature.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { signature: string };
    // The signature of other bytes, under the same stored public key.
    record.signature = Buffer.from(record.signature, 'base64').reverse().toString('base64');
    writeFileSync(file, JSON.stringify(record));
    expect(failuresOf(await verifyFolder(dir, { rerender: false }))).toEqual(CLEAN);
    expect(await verifyProblem(dir, { rerender: false })).toBe(
      'its signature does not verify: the signature does not verify over manifest.json with the stored public key',
    );
  });
});
