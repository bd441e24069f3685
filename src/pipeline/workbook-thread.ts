import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import { readUnencryptedCsvBatches } from '../evidence/unencrypted-csv.js';
import type { ExportRows, LogExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import { xlsxRenderer } from '../render/index.js';
import { loadWording } from '../wording/wording.js';

/**
 * The workbook rendered on a thread of its own, while the main thread renders the CSV exports, the
 * PDF and the rest: a render is CPU on one core, and by then the scan's workers have finished, so
 * the second core is idle. The thread runs the same renderer as the main thread would, so the file
 * is byte for byte the same; a failure in it fails the render with the renderer's own message.
 *
 * The packet and the log rows are copied to the thread, so it is used only for packets small enough
 * that the copy costs next to nothing (a tenant of a few buckets and a long unencrypted list, which
 * the thread reads from the packet folder itself); a large packet (thousands of buckets) renders its
 * workbook in-process, as before, without a second copy of it in memory. One thread per process at
 * a time: more would only share the same cores.
 */

/** The rows the renderers need beside the packet, the unencrypted lists read from `packetDir`. */
export function exportRows(packetDir: string, rows: LogExportRows): ExportRows {
  return { ...rows, unencryptedObjects: (file) => readUnencryptedCsvBatches(path.join(packetDir, ...file.split('/'))) };
}

/** Beyond these the packet renders its workbook in-process (see above). */
const THREAD_MAX_BUCKETS = 250;
const THREAD_MAX_LOG_ROWS = 20_000;

export interface WorkbookJob {
  packet: Packet;
  /** The packet folder, whose unencrypted-object lists the workbook reads. */
  packetDir: string;
  /** Where the workbook is written (a staging folder). */
  outDir: string;
  logRows: LogExportRows;
  pageSize: 'A4' | 'LETTER';
  topFindings: number;
  packetSha256: string;
}

type Answer = { ok: true; files: string[] } | { ok: false; error: string };

/** The compiled module itself (dist/src/pipeline/workbook-thread.js): absent when the sources run unbuilt or bundled. */
const OWN_MODULE = new URL('./workbook-thread.js', import.meta.url);

const WORKBOOK_YOUNG_MB = 8;

let busy = false;

/** Whether `renderWorkbookOnThread` would take this packet now (the module exists, the packet is small, no thread busy). */
export function workbookThreadFits(packet: Packet, logRows: LogExportRows, module: URL = OWN_MODULE): boolean {
  const rows = logRows.deniedUploads.length + logRows.keyUsage.length + logRows.keyEvents.length;
  return (
    !busy &&
    packet.buckets.length <= THREAD_MAX_BUCKETS &&
    rows <= THREAD_MAX_LOG_ROWS &&
    module.protocol === 'file:' &&
    existsSync(fileURLToPath(module))
  );
}

/**
 * Renders the workbook of `job` on a new thread; resolves with the files written (relative to
 * outDir), rejects with the renderer's error, or with the exit code if the thread stopped without
 * answering. The thread is gone when it settles.
 */
export function renderWorkbookOnThread(job: WorkbookJob, module: URL = OWN_MODULE): Promise<string[]> {
  busy = true;
  const worker = new Worker(`import(${JSON.stringify(module.href)}).then((m) => m.serveWorkbook());`, {
    eval: true,
    // The workbook keeps little alive (rows go to the zip as they are written): a small young
    // generation keeps the thread's garbage, and so the run's peak RSS, down.
    resourceLimits: { maxYoungGenerationSizeMb: WORKBOOK_YOUNG_MB },
  });
  return new Promise<string[]>((resolve, reject) => {
    let answered = false;
    worker.once('message', (answer: Answer) => {
      answered = true;
      busy = false;
      if (answer.ok) resolve(answer.files);
      else reject(new Error(answer.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      answered = true;
      busy = false;
      reject(new Error(`the workbook thread failed: ${err.message}`));
    });
    worker.once('exit', (code) => {
      busy = false;
      if (!answered)
        reject(new Error(`the workbook thread stopped before the workbook was written (exit code ${code})`));
    });
    worker.postMessage(job);
  });
}

/** The thread's side: renders the one workbook it is sent and answers with its files or its error. */
export function serveWorkbook(): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkbook runs on a worker thread');
  port.once('message', (job: WorkbookJob) => {
    xlsxRenderer
      .render(job.packet, {
        outDir: job.outDir,
        exports: exportRows(job.packetDir, job.logRows),
        wording: loadWording(),
        pageSize: job.pageSize,
        topFindings: job.topFindings,
        packetSha256: job.packetSha256,
      })
      .then(
        (files) => port.postMessage({ ok: true, files } satisfies Answer),
        (err: unknown) =>
          port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Answer),
      );
  });
}
