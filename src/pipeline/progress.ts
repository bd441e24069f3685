/**
 * What a run tells the operator while it works: one event per change of a phase of one tenant's
 * packet. The command line decides whether and how to show them (bars, JSON lines, nothing); nothing
 * of it enters a packet.
 */
import { pipeline, Transform } from 'node:stream';
import type { TreeReader } from '../collect/tree/index.js';

export type ProgressPhase =
  | 'prepare'
  | 'connect'
  | 'buckets'
  | 'keys'
  | 'inventory'
  | 'logs'
  | 'awsConfig'
  | 'governance'
  | 'analyze'
  | 'render'
  | 'write'
  | 'checkpoint';

export interface ProgressEvent {
  tenant: string;
  period: string;
  phase: ProgressPhase;
  state: 'start' | 'update' | 'end';
  /** Items done of `total` (buckets, keys, inventory reports, log files, AWS Config regions). */
  done?: number;
  total?: number;
  /** Bytes read so far (inventory reports, log files). */
  bytes?: number;
  /** What is being done, for a phase without counts (the demo generating its exports). */
  detail?: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

/**
 * The same tree, telling `onRead` of every chunk read from an object it opens (and of each object
 * once opened). The stream handed back passes the bytes through unchanged; errors reach the reader as before.
 */
export function countingTree(tree: TreeReader, onRead: (bytes: number, opened: boolean) => void): TreeReader {
  return {
    description: tree.description,
    listChildren: (prefix) => tree.listChildren(prefix),
    list: (prefix) => tree.list(prefix),
    locate: (p) => tree.locate(p),
    // Worker threads open a local tree's files themselves (collect/workers/): those reads are not counted here.
    ...(tree.local ? { local: tree.local } : {}),
    async open(p) {
      const source = await tree.open(p);
      onRead(0, true);
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          onRead(chunk.length, false);
          done(null, chunk);
        },
      });
      // Errors of the source reach the reader through `counter`, which pipeline destroys with them.
      pipeline(source, counter, () => undefined);
      return counter;
    },
  };
}
