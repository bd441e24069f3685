import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { UnencryptedSink } from './tally.js';

const FLUSH_AT = 256 * 1024;

/** CSV lines gathered in memory and written to a file stream in large pieces, honouring backpressure. */
export class BufferedLines implements UnencryptedSink {
  rows = 0;
  protected pending = '';

  constructor(protected readonly out: WriteStream) {}

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

  /** Writes what is pending and closes the file. */
  protected async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
