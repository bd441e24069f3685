import { createWriteStream } from 'node:fs';
import { BufferedLines } from './buffered-lines.js';

/**
 * The unencrypted objects of one data file, as CSV lines without a header, written by whichever
 * thread read the file; the collector appends the parts to its export in manifest order.
 */
export class PartFile extends BufferedLines {
  constructor(readonly path: string) {
    super(createWriteStream(path, { flags: 'wx' }));
  }

  async close(): Promise<void> {
    await this.end();
  }
}
