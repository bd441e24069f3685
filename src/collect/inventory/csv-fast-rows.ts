import { CSV_FAST_ROWS_WASM } from './csv-fast-rows-binary.js';

/** One instance of csv-fast-rows.wat: its own memory, which the scanner fills and reads. */
export interface FastRowReader {
  readonly memory: WebAssembly.Memory;
  /** Reads rows of the common shape from `pos`; see csv-fast-rows.wat. */
  rows(pos: number, end: number, cols: number, out: number, maxRows: number): number;
  /** Where the last rows() call stopped: the first byte of the row it could not take. */
  stop(): number;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A new reader, or undefined where WebAssembly cannot run (`node --jitless`, say); the scanner then
 * reads every row in JS, with the same results.
 */
export function fastRowReader(): FastRowReader | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(CSV_FAST_ROWS_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  const exports = new WebAssembly.Instance(compiled, {}).exports as {
    memory: WebAssembly.Memory;
    rows: FastRowReader['rows'];
    stop: { value: number };
  };
  return { memory: exports.memory, rows: exports.rows, stop: () => exports.stop.value };
}
