import type { KmsManagementRecord, PrincipalKind } from '../../evidence/log-scans.js';
import { guidText, guidWords } from './event-id-set.js';

/** What KMS usage calls of one shape share: one tally per key named, for a principal, operation, day and bucket. */
export interface KmsCallShape {
  keyArns: string[];
  principal: string;
  kind: PrincipalKind;
  operation: string;
  day: string;
  bucket: string;
}

/**
 * KMS events as read, in reading order, not yet checked against the events read elsewhere (the same
 * event delivered twice counts once): one entry per event in a few columns, the calls' shapes and
 * texts listed once, so a worker hands back hundreds of thousands of events as a few arrays instead
 * of an object each, and the scan adds them up in file order with a look-up per event.
 */
export interface KmsEventBatch {
  /**
   * Per event: its eventID, '' when it has none (then it is never taken for another) or when it is a
   * GUID (the usual form), which is carried in `guids` instead: hundreds of thousands of ids cost
   * 16 bytes each there, and the scan never makes a string of them (eventIdOf does).
   */
  ids: string[];
  /** Per event: 1 when its eventID is a GUID, whose words (guidWords) are guids[4i..4i+3]. */
  isGuid: Uint8Array;
  guids: Int32Array;
  /** Per event: a usage call's index in `shapes`, or -1 - i for the key-management event `management[i]`. */
  shape: Int32Array;
  /** Per event: its time (ms since the epoch). */
  ms: Float64Array;
  /** Per event: index in `texts` of its error code, -1 when it succeeded. */
  errorCode: Int32Array;
  /** Per event: index in `texts` of the service that called on the principal's behalf, -1 when none. */
  via: Int32Array;
  shapes: KmsCallShape[];
  texts: string[];
  /** A key-management event's records (one per key it concerns). */
  management: KmsManagementRecord[][];
}

/** Where a KmsEventBatchBuilder stood. */
export interface KmsBatchMark {
  events: number;
  management: number;
}

/** Collects KMS events into a KmsEventBatch, in the order they are added. */
export class KmsEventBatchBuilder {
  private ids: string[] = [];
  private isGuid: number[] = [];
  private guids: number[] = [];
  private shape: number[] = [];
  private ms: number[] = [];
  private errorCode: number[] = [];
  private via: number[] = [];
  private shapes: KmsCallShape[] = [];
  private readonly shapeIndex = new Map<string, number>();
  private readonly partNumbers = new Map<string, number>();
  private texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
  private management: KmsManagementRecord[][] = [];

  get size(): number {
    return this.ids.length;
  }

  addCall(eventId: string | undefined, ms: number, call: KmsCallShape, errorCode?: string, via?: string): void {
    // The key is the parts' numbers (partNumber), not their text: one short string per event
    // instead of joining a few hundred characters; numbers joined by ',' never make the same key twice.
    let key = `${call.keyArns.length}`;
    for (const k of call.keyArns) key += `,${this.partNumber(k)}`;
    key += `,${this.partNumber(call.principal)},${this.partNumber(call.kind)},${this.partNumber(call.operation)},${this.partNumber(call.day)},${this.partNumber(call.bucket)}`;
    let s = this.shapeIndex.get(key);
    if (s === undefined) {
      s = this.shapes.length;
      this.shapes.push(call);
      this.shapeIndex.set(key, s);
    }
    this.push(eventId, s, ms, errorCode, via);
  }

  addManagement(eventId: string | undefined, ms: number, records: KmsManagementRecord[]): void {
    this.management.push(records);
    this.push(eventId, -this.management.length, ms, undefined, undefined);
  }

  /** Where the builder stands: events and key-management events added so far. */
  mark(): KmsBatchMark {
    return { events: this.ids.length, management: this.management.length };
  }

  /** Drops the events added since `mark` (shapes and texts they added stay, unused). */
  undo(mark: KmsBatchMark): void {
    this.ids.length = mark.events;
    this.isGuid.length = mark.events;
    this.guids.length = 4 * mark.events;
    this.shape.length = mark.events;
    this.ms.length = mark.events;
    this.errorCode.length = mark.events;
    this.via.length = mark.events;
    this.management.length = mark.management;
  }

  private push(eventId: string | undefined, shape: number, ms: number, errorCode?: string, via?: string): void {
    const at = this.guids.length;
    if (eventId && guidWords(eventId, this.guids, at)) {
      this.ids.push('');
      this.isGuid.push(1);
    } else {
      this.ids.push(eventId ?? '');
      this.isGuid.push(0);
      this.guids.push(0, 0, 0, 0);
    }
    this.shape.push(shape);
    this.ms.push(ms);
    this.errorCode.push(errorCode ? this.text(errorCode) : -1);
    this.via.push(via ? this.text(via) : -1);
  }

  /** A number for a shape's part, the same for the same text, while this builder's shapes are kept. */
  private partNumber(part: string): number {
    let n = this.partNumbers.get(part);
    if (n === undefined) {
      n = this.partNumbers.size;
      this.partNumbers.set(part, n);
    }
    return n;
  }

  private text(t: string): number {
    let i = this.textIndex.get(t);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(t);
      this.textIndex.set(t, i);
    }
    return i;
  }

  /** The batch so far; the builder starts over empty. */
  take(): KmsEventBatch {
    const batch: KmsEventBatch = {
      ids: this.ids,
      isGuid: Uint8Array.from(this.isGuid),
      guids: Int32Array.from(this.guids),
      shape: Int32Array.from(this.shape),
      ms: Float64Array.from(this.ms),
      errorCode: Int32Array.from(this.errorCode),
      via: Int32Array.from(this.via),
      shapes: this.shapes,
      texts: this.texts,
      management: this.management,
    };
    this.ids = [];
    this.isGuid = [];
    this.guids = [];
    this.shape = [];
    this.ms = [];
    this.errorCode = [];
    this.via = [];
    this.shapes = [];
    this.shapeIndex.clear();
    this.partNumbers.clear();
    this.texts = [];
    this.textIndex.clear();
    this.management = [];
    return batch;
  }
}

/** The eventID of event `i` of `batch`, '' when it has none. */
export function eventIdOf(batch: KmsEventBatch, i: number): string {
  if (batch.isGuid[i] !== 1) return batch.ids[i]!;
  const g = batch.guids;
  return guidText(g[4 * i]!, g[4 * i + 1]!, g[4 * i + 2]!, g[4 * i + 3]!);
}
