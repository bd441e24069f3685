import { compareKmsTallies, type KmsCallTally } from '../../evidence/log-scans.js';

/** What one or more KMS calls share: one tally per key, principal, operation, day and bucket. */
export type KmsCallGroup = Pick<KmsCallTally, 'keyArn' | 'principal' | 'kind' | 'operation' | 'day' | 'bucket'>;

/** An open tally, as this.tally() hands it out (counted only through this.count()). */
export type KmsTally = object;

interface OpenTally extends KmsCallTally {
  viaSet: Set<string>;
  firstMs: number;
  lastMs: number;
}

/** KMS calls counted per group, by the local reader and the Athena engine alike. */
export class KmsTallies {
  private readonly open = new Map<string, OpenTally>();

  /** Adds `calls` calls of one group made between `firstMs` and `lastMs`; failed ones carry their error code. */
  add(group: KmsCallGroup, calls: number, firstMs: number, lastMs: number, errorCode?: string, via?: string): void {
    this.count(this.tally(group), calls, firstMs, lastMs, errorCode, via);
  }

  /** The group's tally, opened (with no calls yet) the first time: for a reader that counts many calls of one group. */
  tally(group: KmsCallGroup): KmsTally {
    const id = `${group.keyArn}\t${group.principal}\t${group.operation}\t${group.day}\t${group.bucket}`;
    let t = this.open.get(id);
    if (!t) {
      t = {
        ...group,
        calls: 0,
        failures: 0,
        errorCodes: {},
        via: [],
        firstSeen: '',
        lastSeen: '',
        viaSet: new Set(),
        firstMs: Infinity,
        lastMs: -Infinity,
      };
      this.open.set(id, t);
    }
    return t;
  }

  /** Adds `calls` calls to a tally of this.tally(). */
  count(tally: KmsTally, calls: number, firstMs: number, lastMs: number, errorCode?: string, via?: string): void {
    const t = tally as OpenTally;
    t.calls += calls;
    if (errorCode) {
      t.failures += calls;
      t.errorCodes[errorCode] = (t.errorCodes[errorCode] ?? 0) + calls;
    }
    if (via) t.viaSet.add(via);
    t.firstMs = Math.min(t.firstMs, firstMs);
    t.lastMs = Math.max(t.lastMs, lastMs);
  }

  /** The tallies in their one order, with the services that called on a principal's behalf. */
  done(): KmsCallTally[] {
    return [...this.open.values()]
      .map(({ viaSet, firstMs, lastMs, ...t }) => ({
        ...t,
        via: [...viaSet].sort(),
        firstSeen: new Date(firstMs).toISOString(),
        lastSeen: new Date(lastMs).toISOString(),
      }))
      .sort(compareKmsTallies);
  }
}
