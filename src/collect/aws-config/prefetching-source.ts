import type { EvidenceRecord } from '../../evidence/record.js';
import {
  BUCKET_TYPE,
  KEY_TYPE,
  type GetResourceConfigHistoryOutput,
  type HistoryResourceType,
  type HistoryWindow,
} from '../../evidence/aws-config-shapes.js';
import { hasNoRecorder } from '../../evidence/aws-config-no-recorder.js';
import type { AwsConfigSource } from './source.js';

/** An AWS Config source that can start a bucket's history read before the AWS Config phase asks for it. */
export interface PrefetchingConfigSource extends AwsConfigSource {
  /**
   * Starts reading the bucket's period history in `region`, once the region's recorder answer says
   * something records there (a region without one is not asked). The AWS Config phase later asks the
   * same question and is given this answer: the call is made once, and nothing is written until then.
   */
  prefetchBucket(region: string, bucket: string): void;
  /** The same for a KMS key, by the key id the AWS Config phase asks for (see `configKeyId`). */
  prefetchKey(region: string, keyId: string): void;
}

/**
 * Wraps a source so that a bucket's (or a key's) history can be read while the buckets are still being read (the
 * history calls are latency, the bucket reads are CPU, so they overlap well). DescribeConfigurationRecorders
 * and the period's GetResourceConfigHistory (with the state before it, when the period holds changes) are asked once per region and resource; every other call
 * goes straight through. Only the history over `window` is shared.
 */
export function prefetchingConfigSource(source: AwsConfigSource, window: HistoryWindow): PrefetchingConfigSource {
  const recorders = new Map<string, ReturnType<AwsConfigSource['describeRecorders']>>();
  const histories = new Map<string, Promise<EvidenceRecord<GetResourceConfigHistoryOutput> | undefined>>();
  const befores = new Map<string, ReturnType<AwsConfigSource['stateBefore']>>();
  const describeRecorders: AwsConfigSource['describeRecorders'] = (region) => {
    let r = recorders.get(region);
    if (!r) recorders.set(region, (r = source.describeRecorders(region)));
    return r;
  };
  const prefetch = (region: string, type: HistoryResourceType, id: string) => {
    const key = `${region}|${type}|${id}`;
    if (histories.has(key)) return;
    const read = describeRecorders(region).then((rec) =>
      hasNoRecorder(rec) ? undefined : source.resourceHistory(region, type, id, window),
    );
    // A failure surfaces when the phase asks for this history; one never asked for is not reported.
    read.catch(() => undefined);
    histories.set(key, read);
    // A history of changes in the period: the phase asks next for the state before it (as collectRegion does).
    void read.then(
      (r) => {
        if (r?.outcome !== 'ok' || (r.response.configurationItems ?? []).length === 0) return;
        const before = source.stateBefore(region, type, id, window.earlierTime);
        before.catch(() => undefined);
        befores.set(key, before);
      },
      () => undefined,
    );
  };
  const sameWindow = (w: HistoryWindow) => w.earlierTime === window.earlierTime && w.laterTime === window.laterTime;
  return {
    account: source.account,
    mode: source.mode,
    describeRecorders,
    describeRecorderStatus: (region) => source.describeRecorderStatus(region),
    describeRules: (region) => source.describeRules(region),
    complianceDetails: (region, rule) => source.complianceDetails(region, rule),
    stateBefore: (region, type, id, time) => {
      const key = `${region}|${type}|${id}`;
      const held = time === window.earlierTime ? befores.get(key) : undefined;
      if (!held) return source.stateBefore(region, type, id, time);
      befores.delete(key);
      return held;
    },
    resourceHistory: (region, type, id, w) => {
      if (!sameWindow(w)) return source.resourceHistory(region, type, id, w);
      const key = `${region}|${type}|${id}`;
      const held = histories.get(key);
      if (held) {
        histories.delete(key); // handed over once: the phase keeps what it needs
        return held.then((r) => r ?? source.resourceHistory(region, type, id, w));
      }
      return source.resourceHistory(region, type, id, w);
    },
    prefetchBucket: (region, bucket) => prefetch(region, BUCKET_TYPE, bucket),
    prefetchKey: (region, keyId) => prefetch(region, KEY_TYPE, keyId),
  };
}
