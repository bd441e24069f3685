import type { Service } from './scenario.js';

/** One request the fake received, and how it answered. */
export interface ReceivedCall {
  service: Service;
  /** API operation name, e.g. GetBucketEncryption; for an unknown S3 request "<METHOD> <subresource>". */
  operation: string;
  method: string;
  /** Account of the credentials that signed the request; undefined for an unknown access key. */
  account?: string;
  /** Signing region from the SigV4 credential scope. */
  region: string;
  bucket?: string;
  /** Object key (S3) or KeyId parameter (KMS). */
  key?: string;
  /** Request parameters worth asserting on (STS form fields, for example). */
  params?: Record<string, string>;
  requestId: string;
  /** ms since the fake started, when the request arrived. */
  at?: number;
  /** HTTP status answered; undefined while in flight or when never answered. */
  status?: number;
}

/** Every operation received, and the most requests ever in flight at once. */
export class Recorder {
  readonly calls: ReceivedCall[] = [];
  readonly maxInFlight: Partial<Record<Service, number>> = {};
  /** Keyed "<service>|<account>|<region>". */
  readonly maxInFlightBy: Record<string, number> = {};
  private readonly inFlight = new Map<string, number>();
  private readonly t0 = Date.now();
  /** When a call arrived, in ms: since the fake started, unless a test gives its own (virtual) clock. */
  arrivedAt: (call: ReceivedCall) => number = () => Date.now() - this.t0;

  start(call: ReceivedCall): () => void {
    call.at = this.arrivedAt(call);
    this.calls.push(call);
    const keys = [call.service, `${call.service}|${call.account ?? '?'}|${call.region}`];
    for (const k of keys) {
      const n = (this.inFlight.get(k) ?? 0) + 1;
      this.inFlight.set(k, n);
      if (k === call.service) this.maxInFlight[call.service] = Math.max(this.maxInFlight[call.service] ?? 0, n);
      else this.maxInFlightBy[k] = Math.max(this.maxInFlightBy[k] ?? 0, n);
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const k of keys) this.inFlight.set(k, (this.inFlight.get(k) ?? 1) - 1);
    };
  }

  operations(service?: Service): string[] {
    return this.calls.filter((c) => !service || c.service === service).map((c) => c.operation);
  }

  find(pred: (c: ReceivedCall) => boolean): ReceivedCall[] {
    return this.calls.filter(pred);
  }

  reset(): void {
    this.calls.length = 0;
    for (const k of Object.keys(this.maxInFlight)) delete this.maxInFlight[k as Service];
    for (const k of Object.keys(this.maxInFlightBy)) delete this.maxInFlightBy[k];
  }
}
