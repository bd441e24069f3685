import type { EvidenceRecord } from './record.js';
import type { DescribeConfigurationRecordersOutput } from './aws-config-shapes.js';

/** No recorder at all in the region: the recorders call answered and named none, or said there is none. */
export function hasNoRecorder(rec: EvidenceRecord<DescribeConfigurationRecordersOutput>): boolean {
  if (rec.outcome === 'not_configured') return true;
  return rec.outcome === 'ok' && (rec.response.ConfigurationRecorders ?? []).length === 0;
}
