import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { lookupKmsEvents, type LookedUpKmsEvents } from '../cloudtrail/lookup-events.js';
import { cloudTrailClientFor } from './clients.js';
import type { CallLimiter } from './limiter.js';
import type { ResolvedLiveOptions } from './options.js';
import { paceClient, RequestPacer } from './request-pacer.js';

/** CloudTrail's documented LookupEvents limit, per account and region. */
const LOOKUP_EVENTS_PER_SECOND = 2;

export interface LookupAccount {
  account: string;
  regions: readonly string[];
  credentials: AwsCredentialIdentityProvider;
}

/**
 * LookupEvents for KMS events in every account and region given: regions and accounts run side by
 * side, each account+region with its own paced client (every attempt, retries included, waits its turn).
 */
export class KmsEventLookup {
  private readonly clients = new Map<string, CloudTrailClient>();

  constructor(
    private readonly opts: ResolvedLiveOptions,
    private readonly accounts: readonly LookupAccount[],
    /** The run's limiter: a region given up on is not asked, and a lookup that finds nothing answering gives it up. */
    private readonly limiter: CallLimiter,
    private readonly perSecond = LOOKUP_EVENTS_PER_SECOND,
  ) {}

  private client(a: LookupAccount, region: string): CloudTrailClient {
    const id = `${a.account}|${region}`;
    let c = this.clients.get(id);
    if (!c)
      this.clients.set(
        id,
        (c = paceClient(
          cloudTrailClientFor(this.opts, region, a.credentials),
          new RequestPacer(this.perSecond, this.opts.pacerClock(a.account, region)),
        )),
      );
    return c;
  }

  lookup(period: { startUtc: string; endUtc: string }, now?: Date): Promise<LookedUpKmsEvents[]> {
    return Promise.all(
      this.accounts.flatMap((a) =>
        a.regions.map((region) =>
          lookupKmsEvents({
            client: this.client(a, region),
            limit: (send) => this.limiter.run('cloudtrail', a.account, region, send),
            account: a.account,
            region,
            period,
            ...(now ? { now } : {}),
          }),
        ),
      ),
    );
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
