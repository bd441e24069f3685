import pLimit, { type LimitFunction } from 'p-limit';
import type { LiveService, ServiceLimits } from './options.js';

/** Bounds the calls in flight per service, account and region. */
export class CallLimiter {
  private readonly limits = new Map<string, LimitFunction>();

  constructor(private readonly perService: ServiceLimits) {}

  run<T>(service: LiveService, account: string, region: string, fn: () => Promise<T>): Promise<T> {
    const id = `${service}|${account}|${region}`;
    let limit = this.limits.get(id);
    if (!limit) this.limits.set(id, (limit = pLimit(this.perService[service])));
    return limit(fn);
  }
}
