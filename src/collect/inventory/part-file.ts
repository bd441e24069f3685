import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { UnencryptedSink } from './tally.js';

const FLUSH_AT = 256 * 1024;

/**
 * The unencrypted objects of one data file, as CSV lines without a header, written by whichever
 * thread read the file; the collector appends the parts to its export in manifest order.
 */
export class PartFile implements UnencryptedSink {
  rows = 0;
  private pending = '';
  private readonly out: WriteStream;

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { flags: 'wx' });
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

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
