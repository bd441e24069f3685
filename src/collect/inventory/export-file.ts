import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { BufferedLines } from './buffered-lines.js';
import { csvRecord } from '../../format/csv.js';
import { UNENCRYPTED_CSV_HEADER } from '../../format/unencrypted-columns.js';

/**
 * The unencrypted-objects CSV, written to a temporary file beside its final path and renamed into
 * place only on commit, so a failed or unverified read never leaves a partial list behind.
 */
export class ExportFile extends BufferedLines {
  private constructor(
    private readonly finalPath: string,
    private readonly tempPath: string,
    out: WriteStream,
  ) {
    super(out);
  }

  static async create(finalPath: string): Promise<ExportFile> {
    await mkdir(path.dirname(finalPath), { recursive: true });
    const tempPath = `${finalPath}.${process.pid}.${Date.now().toString(36)}.tmp`;
    const out = createWriteStream(tempPath, { flags: 'wx' });
    await once(out, 'open');
    const file = new ExportFile(finalPath, tempPath, out);
    file.pending = csvRecord(UNENCRYPTED_CSV_HEADER, { exact: true });
    return file;
  }

  /** Appends a data file's part (lines without a header), written elsewhere, after what is here so far. */
  async appendPart(partPath: string, rows: number): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(partPath)) {
      if (!this.out.write(chunk as Buffer)) await once(this.out, 'drain');
    }
    this.rows += rows;
  }

  async commit(): Promise<void> {
    await this.end();
    await rename(this.tempPath, this.finalPath);
  }

  async discard(): Promise<void> {
    if (!this.out.closed) {
      const closed = once(this.out, 'close').catch(() => undefined);
      this.out.destroy();
      await closed;
    }
    await rm(this.tempPath, { force: true });
  }
}
