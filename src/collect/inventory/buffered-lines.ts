import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { unencryptedCsvLines, type UnencryptedRow } from '../../evidence/unencrypted-csv.js';
import type { UnencryptedSink } from './tally.js';

const FLUSH_AT = 256 * 1024;
/** Rows turned into CSV text at a time (see unencryptedCsvLines). */
const ROWS_PER_BATCH = 128;

/** Unencrypted rows gathered in memory as CSV text and written to a file stream in large pieces, honouring backpressure. */
export class BufferedLines implements UnencryptedSink {
  rows = 0;
  protected pending = '';
  private batch: UnencryptedRow[] = [];

  constructor(protected readonly out: WriteStream) {}

  add(row: UnencryptedRow): void {
    this.batch.push(row);
    this.rows++;
    if (this.batch.length >= ROWS_PER_BATCH) this.writeBatch();
  }

  private writeBatch(): void {
    if (this.batch.length === 0) return;
    this.pending += unencryptedCsvLines(this.batch);
    this.batch = [];
  }

  get needsFlush(): boolean {
    return this.pending.length >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    this.writeBatch();
    if (this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    if (!this.out.write(data)) await once(this.out, 'drain');
  }

  /** Writes what is pending and closes the file. */
  protected async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
