import type { KeyCustody } from '../model/packet.js';

/** Looks up one custody phrase (the caller supplies the wording namespace). */
type Phrase = (key: string, context?: Record<string, unknown>) => string;

/** "imported key material (EXTERNAL) · material expires 2026-11-20 · single-Region · SYMMETRIC_DEFAULT" */
export function custodyText(phrase: Phrase, c: KeyCustody): string {
  const parts = [phrase(`origin.${c.origin}`)];
  if (c.customKeyStoreId) parts.push(phrase('keyStore', { id: c.customKeyStoreId }));
  if (c.cloudHsmClusterId) parts.push(phrase('cluster', { id: c.cloudHsmClusterId }));
  if (c.materialExpires) parts.push(phrase('expires', { date: c.materialExpires.slice(0, 10) }));
  if (c.multiRegion === 'primary') parts.push(phrase('primary'));
  else if (c.multiRegion === 'replica') parts.push(phrase('replica', { region: c.primaryRegion ?? '' }));
  else parts.push(phrase('singleRegion'));
  if (c.keySpec) parts.push(c.keySpec);
  if (c.deletionDate) parts.push(phrase('deletion', { date: c.deletionDate.slice(0, 10) }));
  return parts.join(phrase('separator'));
}
