/**
 * deliveries.json beside a packet's manifest (portfolio-deliveries.json beside the portfolio): the latest
 * delivery to each destination. Not part of the packet: the manifest never lists it and verify ignores it.
 * It holds destination ids, states, times and redacted errors, never a URL, address list or credential.
 */
import { readFile } from 'node:fs/promises';
import { stableJson, writeFileAtomic } from '../../util/atomic-write.js';

export interface DeliveryRecord {
  destination: string;
  type: 'webhook' | 'email';
  /** already_delivered: this content reached this destination before; not sent again (see --force). */
  state: 'delivered' | 'failed' | 'already_delivered';
  attempts: number;
  /** When the delivery was made (or, for already_delivered, when it was made before). */
  at: string;
  contentSha256: string;
  messageId?: string;
  error?: string;
}

interface DeliveriesFile {
  deliveriesVersion: 1;
  deliveries: DeliveryRecord[];
}

const isRecord = (r: unknown): r is DeliveryRecord =>
  typeof r === 'object' &&
  r !== null &&
  typeof (r as DeliveryRecord).destination === 'string' &&
  typeof (r as DeliveryRecord).contentSha256 === 'string' &&
  typeof (r as DeliveryRecord).state === 'string';

/** The earlier records; none when the file is absent or unreadable (the worst case is one re-send). */
export async function readDeliveries(file: string): Promise<DeliveryRecord[]> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DeliveriesFile>;
    return Array.isArray(parsed.deliveries) ? parsed.deliveries.filter(isRecord) : [];
  } catch {
    return [];
  }
}

export async function writeDeliveries(file: string, records: DeliveryRecord[]): Promise<void> {
  const sorted = [...records].sort((a, b) => a.destination.localeCompare(b.destination));
  const body: DeliveriesFile = { deliveriesVersion: 1, deliveries: sorted };
  await writeFileAtomic(file, stableJson(body));
}
