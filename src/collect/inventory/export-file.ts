import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UNENCRYPTED_CSV_HEADER } from '../../format/unencrypted-columns.js';

const FLUSH_AT = 256 * 1024;

/**
 * The unencrypted-objects CSV, written to a temporary file beside its final path and renamed into
 * place only on commit, so a failed or unverified read never leaves a partial list behind.
 */
export class ExportFile {
  rows = 0;
  private pending = '';

  private constructor(
    private readonly finalPath: string,
    private readonly tempPath: string,
    private readonly out: WriteStream,
  ) {}

  static async create(finalPath: string): Promise<ExportFile> {
    await mkdir(path.dirname(finalPath), { recursive: true });
    const tempPath = `${finalPath}.${process.pid}.${Date.now().toString(36)}.tmp`;
    const out = createWriteStream(tempPath, { flags: 'wx' });
    await once(out, 'open');
    const file = new ExportFile(finalPath, tempPath, out);
    file.pending = `${UNENCRYPTED_CSV_HEADER.join(',')}\n`;
    return file;
  }

  add(line: string): void {
    this.pending += line;
    this.rows++;
  }

  get needsFlush(): boolean {
    return this.pending.length >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    if (!this.out.write(data)) await once(this.out, 'drain');
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
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
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
