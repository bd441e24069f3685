/**
 * The inventory bench's floor (bench/inventory.ts): Node's own gunzip of the files named on the
 * command line, one after another, output discarded; prints {"seconds": n}. A module of its own so
 * that the process loads nothing but Node (see floorInFreshProcess there).
 *
 *   node dist/bench/gunzip-floor.js FILE...
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/**
 * Node's fastest gunzip of the files measured here: 1 MiB reads (what the reader's own file source
 * uses) and 1 MiB inflate chunks. With createReadStream's 64 KiB default the same gunzip takes ~1.4x
 * as long, which made an earlier floor flatter the reader.
 */
const FLOOR_BUFFER = 1 << 20;

async function timeNodeGunzip(files: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (const file of files) {
    await pipeline(
      createReadStream(file, { highWaterMark: FLOOR_BUFFER }),
      createGunzip({ chunkSize: FLOOR_BUFFER }),
      async (out: AsyncIterable<Buffer>) => {
        for await (const chunk of out) bytes += chunk.length;
      },
    );
  }
  if (bytes === 0) throw new Error('gunzip produced nothing');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

process.stdout.write(JSON.stringify({ seconds: await timeNodeGunzip(process.argv.slice(2)) }));
