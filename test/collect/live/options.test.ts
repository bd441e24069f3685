/** One way from the config's `collection` block to the live options, with one set of defaults. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  DEFAULT_WORK,
  liveOptionsFromConfig,
  resolveLiveOptions,
} from '../../../src/collect/live/options.js';
import { configSchema } from '../../../src/config/schema.js';

const parse = (collection?: unknown) =>
  configSchema.parse({
    version: 1,
    ...(collection === undefined ? {} : { collection }),
    tenants: [{ id: 't', displayName: 'T', accounts: [{ id: '111111111111' }] }],
  });

describe('liveOptionsFromConfig', () => {
  it('gives the shipped defaults when the config says nothing', () => {
    const o = resolveLiveOptions(liveOptionsFromConfig(parse().collection));
    expect(o.limits).toEqual({ s3: 64, kms: 16, sts: 2, config: 8, cloudtrail: 2 });
    expect(o.work).toEqual({ buckets: 256, keys: 64, configHistory: 16, inventory: 16, logFiles: 8 });
    expect([o.maxAttempts, o.timeoutMs]).toEqual([5, 30_000]);
    expect(o.limits).toEqual(DEFAULT_LIMITS);
    expect(o.work).toEqual(DEFAULT_WORK);
  });

  it('takes every value the config sets and keeps the defaults for the rest', () => {
    const c = parse({
      concurrency: { s3: 100, config: 3, buckets: 500, logFiles: 2 },
      maxAttempts: 3,
      timeoutMs: 2000,
    }).collection;
    const o = resolveLiveOptions(liveOptionsFromConfig(c, { endpoint: 'http://127.0.0.1:1', profile: 'p' }));
    expect(o.limits).toEqual({ s3: 100, kms: 16, sts: 2, config: 3, cloudtrail: 2 });
    expect(o.work).toEqual({ buckets: 500, keys: 64, configHistory: 16, inventory: 16, logFiles: 2 });
    expect([o.maxAttempts, o.timeoutMs, o.endpoint, o.forcePathStyle]).toEqual([3, 2000, 'http://127.0.0.1:1', true]);
  });

  it('rejects an unknown limit and a limit below 1', () => {
    expect(() => parse({ concurrency: { lambda: 4 } })).toThrow();
    expect(() => parse({ concurrency: { s3: 0 } })).toThrow();
  });
});
