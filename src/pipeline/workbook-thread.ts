import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { readUnencryptedCsvRecords } from '../evidence/unencrypted-list.js';
import type { ExportRows, LogExportRows } from '../model/export-rows.js';
import type { Packet } from '../model/packet.js';
import { xlsxRenderer } from '../render/xlsx-renderer.js';
import { exitOnStop, STOP_MESSAGE, stopWorker } from '../util/worker-stop.js';
import { wordingFromTemplates, type Wording, type WordingTemplate } from '../wording/wording-templates.js';

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
  return { ...rows, unencryptedObjects: (file) => readUnencryptedCsvRecords(path.join(packetDir, ...file.split('/'))) };
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

/** Whether a packet is small enough to hand to the thread (see above). */
export function workbookThreadFits(packet: Packet, logRows: LogExportRows): boolean {
  const rows = logRows.deniedUploads.length + logRows.keyUsage.length + logRows.keyEvents.length;
  return packet.buckets.length <= THREAD_MAX_BUCKETS && rows <= THREAD_MAX_LOG_ROWS;
}

/**
 * A run may start the thread before its analysis when the tenant's evidence is at most this many
 * files (some 250 buckets' worth): it then loads the workbook code while the packet is made.
 */
export const WARM_START_MAX_FILES = 3_000;

export interface WorkbookThread {
  /**
   * Renders the workbook of `job` (once); resolves with the files written (relative to outDir),
   * rejects with the renderer's error, or with the exit code if the thread stopped without answering.
   */
  render(job: WorkbookJob): Promise<string[]>;
  /** Stops the thread if it was never given a job (a no-op otherwise). */
  close(): void;
}

/** What the thread is started with: the templates of the wording it renders with, so it reads no YAML. */
interface ThreadStart {
  templates: readonly WordingTemplate[];
}

/**
 * Starts the thread, which loads the workbook code and waits for its job; undefined when the compiled
 * module is not there (the sources run unbuilt or bundled), another workbook thread is running, or
 * `wording` was not made from templates the thread can be sent.
 */
export function startWorkbookThread(wording: Wording, module: URL = OWN_MODULE): WorkbookThread | undefined {
  const templates = wording.templates;
  if (busy || !templates || module.protocol !== 'file:' || !existsSync(fileURLToPath(module))) return undefined;
  busy = true;
  const worker = new Worker(`import(${JSON.stringify(module.href)}).then((m) => m.serveWorkbook());`, {
    eval: true,
    workerData: { templates } satisfies ThreadStart,
    // The workbook keeps little alive (rows go to the zip as they are written): a small young
    // generation keeps the thread's garbage, and so the run's peak RSS, down.
    resourceLimits: { maxYoungGenerationSizeMb: WORKBOOK_YOUNG_MB },
  });
  // Until it has a job, a waiting thread does not keep the process alive.
  worker.unref();
  let posted = false;
  const result = new Promise<string[]>((resolve, reject) => {
    let answered = false;
    worker.once('message', (answer: Answer) => {
      answered = true;
      busy = false;
      if (answer.ok) resolve(answer.files);
      else reject(new Error(answer.error));
      // A failed render's zip may still be writing on the thread: it is asked to exit, not interrupted.
      void stopWorker(worker);
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
  });
  // A thread that fails before it is given a job is reported by render(), or not at all once closed.
  result.catch(() => undefined);
  return {
    render(job) {
      if (posted) return Promise.reject(new Error('a workbook thread renders one workbook'));
      posted = true;
      worker.ref();
      worker.postMessage(job);
      return result;
    },
    close() {
      if (posted) return;
      posted = true;
      void stopWorker(worker);
    },
  };
}

/**
 * The thread's side: loads the workbook code at once (while the main thread analyses), then renders
 * the one workbook it is sent and answers with its files or its error.
 */
export function serveWorkbook(): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkbook runs on a worker thread');
  const wording = wordingFromTemplates((workerData as ThreadStart).templates);
  const loaded = import('../render/xlsx/index.js');
  exitOnStop(port);
  let started = false;
  port.on('message', (message: WorkbookJob | typeof STOP_MESSAGE) => {
    if (message === STOP_MESSAGE || started) return;
    started = true;
    const job = message;
    loaded
      .then(() =>
        xlsxRenderer.render(job.packet, {
          outDir: job.outDir,
          exports: exportRows(job.packetDir, job.logRows),
          wording,
          pageSize: job.pageSize,
          topFindings: job.topFindings,
          packetSha256: job.packetSha256,
        }),
      )
      .then(
        (files) => port.postMessage({ ok: true, files } satisfies Answer),
        (err: unknown) =>
          port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Answer),
      );
  });
}
