import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleModule } from '../support/bundle-module.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/model/packet.js';
import { derivePacket, renderInto } from '../../src/pipeline/analyze-folder.js';
import { startWorkbookThread, workbookThreadFits, type WorkbookJob } from '../../src/pipeline/workbook-thread.js';
import type { LogExportRows } from '../../src/model/export-rows.js';
import { sha256 } from '../../src/util/hash.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';
import { loadWording } from '../../src/wording/wording.js';
import { wordingFromTemplates } from '../../src/wording/wording-templates.js';

type AnalyzeFolderModule = typeof import('../../src/pipeline/analyze-folder.js');

let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let folder: string;
let packet: Packet;
let packetText: string;
let logRows: LogExportRows;
let bundleDir: string;
/** workbook-thread.ts compiled beside analyze-folder.ts, as dist/ has them: the thread is found and used. */
let threadModule: URL;
let bundledAnalyzeFolder: AnalyzeFolderModule;
let scratch: string;

const RENDER = { pageSize: 'A4' as const, topFindings: 5 };

const bundle = (entry: string, outfile: string) => bundleModule(path.resolve('src', 'pipeline', entry), outfile);

/** Every file under `dir` (relative path → sha256). */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, rel);
    if (existsSync(file) && !readdirSafe(file)) out[rel.split(path.sep).join('/')] = sha256(readFileSync(file));
  }
  return out;
}
function readdirSafe(file: string): boolean {
  try {
    readdirSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The job rendered on a thread of the bundled module. */
function onThread(j: WorkbookJob, module = threadModule): Promise<string[]> {
  const thread = startWorkbookThread(loadWording(), module);
  if (!thread) throw new Error('no workbook thread');
  return thread.render(j);
}

function job(p: Packet, outDir: string): WorkbookJob {
  return { packet: p, packetDir: folder, outDir, logRows, packetSha256: sha256(packetText), ...RENDER };
}

beforeAll(async () => {
  ws = await demoWorkspace();
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
  const result = await runDemoTenant(ws, tenant);
  folder = result.folder;
  packetText = readFileSync(path.join(folder, 'packet.json'), 'utf8');
  packet = JSON.parse(packetText) as Packet;
  const { deniedUploads, keyUsage, keyEvents } = (await derivePacket(folder)).exports;
  logRows = { deniedUploads, keyUsage, keyEvents };
  // Under node_modules/ so that the bundles find the project root (package.json) as dist/ does.
  bundleDir = path.resolve('node_modules', '.cache', 's3e-workbook-thread', String(process.pid));
  mkdirSync(bundleDir, { recursive: true });
  await bundle('workbook-thread.ts', path.join(bundleDir, 'workbook-thread.js'));
  await bundle('analyze-folder.ts', path.join(bundleDir, 'analyze-folder.js'));
  threadModule = pathToFileURL(path.join(bundleDir, 'workbook-thread.js'));
  bundledAnalyzeFolder = (await import(
    pathToFileURL(path.join(bundleDir, 'analyze-folder.js')).href
  )) as AnalyzeFolderModule;
  scratch = mkdtempSync(path.join(os.tmpdir(), 's3e-workbook-thread-'));
}, 180_000);

afterAll(() => {
  rmSync(ws.root, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('the workbook on a thread of its own', () => {
  it('the demo tenant has what the workbook reads beside the packet: an unencrypted-object list and log rows', () => {
    const listed = packet.buckets.filter(
      (b) => b.coverage.state === 'measured' && b.coverage.unencryptedExport.rows > 0,
    );
    expect(listed.length).toBeGreaterThan(0);
    expect(logRows.deniedUploads.length + logRows.keyUsage.length + logRows.keyEvents.length).toBeGreaterThan(0);
  });

  it('a render with the thread writes the same files, byte for byte, as one without it, and starts exactly one thread', async () => {
    const inProcess = path.join(scratch, 'in-process');
    const threaded = path.join(scratch, 'threaded');
    mkdirSync(inProcess);
    mkdirSync(threaded);
    const started: number[] = [];
    const onWorker = (w: { threadId: number }) => started.push(w.threadId);
    process.on('worker', onWorker);
    try {
      // The sources' renderInto: no compiled thread module beside them, so the workbook is made here.
      const a = await renderInto(inProcess, folder, packet, sha256(packetText), RENDER);
      expect(started).toEqual([]);
      const b = await bundledAnalyzeFolder.renderInto(threaded, folder, packet, sha256(packetText), RENDER);
      expect(started).toHaveLength(1);
      expect(b).toEqual(a);
      expect(a).toContain('acme-2026-10.xlsx');
    } finally {
      process.off('worker', onWorker);
    }
    const expected = hashes(inProcess);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(8);
    expect(hashes(threaded)).toEqual(expected);
  }, 120_000);

  it('renders with the wording it is given: a changed label reaches the thread, byte for byte as in-process', async () => {
    const templates = path.join(scratch, 'templates');
    mkdirSync(templates);
    for (const name of readdirSync('templates'))
      writeFileSync(path.join(templates, name), readFileSync(path.join('templates', name)));
    const text = readFileSync(path.join(templates, 'wording.yaml'), 'utf8');
    expect(text).toContain('    findings: Findings\n');
    writeFileSync(
      path.join(templates, 'wording.yaml'),
      text.replace('    findings: Findings\n', '    findings: Befunde\n'),
    );
    const wording = loadWording(templates);
    expect(wording.t('xlsx.sheets.findings')).toBe('Befunde');
    const inProcess = path.join(scratch, 'custom-in-process');
    const threaded = path.join(scratch, 'custom-threaded');
    const defaultWording = path.join(scratch, 'custom-default');
    for (const dir of [inProcess, threaded, defaultWording]) mkdirSync(dir);
    await renderInto(inProcess, folder, packet, sha256(packetText), { ...RENDER, wording });
    const started: number[] = [];
    const onWorker = (w: { threadId: number }) => started.push(w.threadId);
    process.on('worker', onWorker);
    try {
      await bundledAnalyzeFolder.renderInto(threaded, folder, packet, sha256(packetText), { ...RENDER, wording });
    } finally {
      process.off('worker', onWorker);
    }
    expect(started).toHaveLength(1);
    await renderInto(defaultWording, folder, packet, sha256(packetText), RENDER);
    const xlsx = 'acme-2026-10.xlsx';
    expect(hashes(threaded)[xlsx]).toBe(hashes(inProcess)[xlsx]);
    expect(hashes(threaded)[xlsx]).not.toBe(hashes(defaultWording)[xlsx]);
    // The same templates make the same wording on either side.
    const again = wordingFromTemplates([{ key: 'a.b', source: '{{num n}} {{plural n "row" "rows"}}', file: 'x.yaml' }]);
    expect(again.t('a.b', { n: 1200 })).toBe('1,200 rows');
  }, 120_000);

  it("a failure on the thread fails the render with the renderer's own message, and the folder gets no workbook", async () => {
    const bucket = packet.buckets.find(
      (b) => b.coverage.state === 'measured' && b.coverage.unencryptedExport.rows > 0,
    )!;
    if (bucket.coverage.state !== 'measured') throw new Error('unreachable');
    const rows = bucket.coverage.unencryptedExport.rows;
    const total = packet.buckets.reduce(
      (n, b) => n + (b.coverage.state === 'measured' ? b.coverage.unencryptedExport.rows : 0),
      0,
    );
    // The packet claims one object more than the list holds.
    const wrong = structuredClone(packet);
    const wrongBucket = wrong.buckets.find((b) => b.name === bucket.name)!;
    if (wrongBucket.coverage.state !== 'measured') throw new Error('unreachable');
    wrongBucket.coverage.unencryptedExport.rows = rows + 1;
    const message = `unencrypted objects: the export rows give ${total} objects, packet.json says ${total + 1}`;

    const out = path.join(scratch, 'fails');
    mkdirSync(out);
    await expect(onThread(job(wrong, out))).rejects.toThrow(message);

    // Through renderFolder: the run's render fails, and no workbook (or other output) is moved into the folder.
    const copy = path.join(scratch, 'packet-copy');
    mkdirSync(copy);
    const evidenceFile = path.join(copy, ...bucket.coverage.unencryptedExport.file.split('/'));
    mkdirSync(path.dirname(evidenceFile), { recursive: true });
    writeFileSync(evidenceFile, readFileSync(path.join(folder, ...bucket.coverage.unencryptedExport.file.split('/'))));
    const only = { ...wrong, buckets: [wrongBucket] };
    // The main thread's renderers are given no rows (its CSV export then succeeds): the thread reads the list itself.
    const noRows = async function* (): AsyncGenerator<never> {};
    await expect(
      bundledAnalyzeFolder.renderFolder(copy, only, sha256(packetText), RENDER, {
        ...logRows,
        unencryptedObjects: noRows,
      }),
    ).rejects.toThrow(`unencrypted objects: the export rows give ${rows} objects, packet.json says ${rows + 1}`);
    expect(existsSync(path.join(copy, 'acme-2026-10.xlsx'))).toBe(false);
    expect(readdirSync(copy)).toEqual(['evidence']);
  }, 120_000);

  it('a thread that stops without answering rejects with its exit code', async () => {
    const dying = path.join(bundleDir, 'dying.mjs');
    writeFileSync(dying, 'export function serveWorkbook() { process.exit(7); }\n');
    await expect(onThread(job(packet, scratch), pathToFileURL(dying))).rejects.toThrow(
      'the workbook thread stopped before the workbook was written (exit code 7)',
    );
  });

  it('is used only when the compiled module is there, the packet is small and no other thread is running', async () => {
    expect(workbookThreadFits(packet, logRows)).toBe(true);
    const many = { ...packet, buckets: Array.from({ length: 251 }, () => packet.buckets[0]!) };
    expect(workbookThreadFits(many, logRows)).toBe(false);
    expect(workbookThreadFits({ ...packet, buckets: many.buckets.slice(0, 250) }, logRows)).toBe(true);
    const rows = <T>(n: number) => Array.from({ length: n }, () => ({}) as T);
    expect(workbookThreadFits(packet, { deniedUploads: [], keyUsage: [], keyEvents: rows(20_001) })).toBe(false);
    expect(workbookThreadFits(packet, { deniedUploads: rows(10_000), keyUsage: rows(10_000), keyEvents: [] })).toBe(
      true,
    );
    // The sources' own module (no compiled file beside it, as under the test runner), or none at all.
    const wording = loadWording();
    expect(startWorkbookThread(wording)).toBeUndefined();
    expect(startWorkbookThread(wording, pathToFileURL(path.join(bundleDir, 'absent.js')))).toBeUndefined();
    // A wording not made from templates (a stand-in) cannot be sent to the thread.
    expect(startWorkbookThread({ t: (key) => key, has: () => true }, threadModule)).toBeUndefined();
    // One at a time: a second is refused while the first waits for its job or renders it, and
    // allowed once it has answered or been closed.
    const first = startWorkbookThread(wording, threadModule)!;
    expect(startWorkbookThread(wording, threadModule)).toBeUndefined();
    const out = path.join(scratch, 'one-at-a-time');
    mkdirSync(out);
    const files = first.render(job(packet, out));
    expect(startWorkbookThread(wording, threadModule)).toBeUndefined();
    expect(await files).toEqual(['acme-2026-10.xlsx']);
    await expect(first.render(job(packet, out))).rejects.toThrow('a workbook thread renders one workbook');
    const second = startWorkbookThread(wording, threadModule)!;
    expect(second).toBeDefined();
    second.close();
    await new Promise((r) => setTimeout(r, 200));
    const third = startWorkbookThread(wording, threadModule);
    expect(third).toBeDefined();
    third!.close();
  }, 60_000);
});
