import { z } from 'zod';
import { readEvidenceJson, readOptionalEvidenceJson } from './read-evidence.js';
import type { AccessLogScan } from './log-scans.js';
import type { CloudTrailScan } from './log-scans.js';
import { EVIDENCE_DIR, type EvidenceWriter } from './evidence-store.js';
import type { WrittenEvidence } from './written-evidence.js';

/**
 * Log summaries (what the access-log and CloudTrail scans kept: denied requests, per-day record
 * counts, KMS call tallies, problems). null means "no location configured", which is not the same
 * as "read and empty".
 */
export interface LogEvidence {
  accessLogs: AccessLogScan[] | null;
  cloudTrail: CloudTrailScan[] | null;
}

const LOG_INDEX = `${EVIDENCE_DIR}/logs/index.json`;

export async function writeLogEvidence(writer: EvidenceWriter, logs: LogEvidence): Promise<void> {
  const files = {
    accessLogs: logs.accessLogs
      ? await Promise.all(
          logs.accessLogs.map((s, i) => writer.writeJson(`${EVIDENCE_DIR}/logs/access-logs-${i + 1}.json`, s)),
        )
      : null,
    cloudTrail: logs.cloudTrail
      ? await Promise.all(
          logs.cloudTrail.map((s, i) => writer.writeJson(`${EVIDENCE_DIR}/logs/cloudtrail-${i + 1}.json`, s)),
        )
      : null,
  };
  await writer.writeJson(LOG_INDEX, files);
}

const LOG_INDEX_SHAPE = z.object({
  accessLogs: z.array(z.string()).nullable(),
  cloudTrail: z.array(z.string()).nullable(),
});

/**
 * Packets collected before log evidence existed have no index: that reads as "not configured".
 * `written`: what this run wrote into the folder, taken from memory instead of read back.
 */
export async function loadLogEvidence(packetDir: string, written?: WrittenEvidence): Promise<LogEvidence> {
  const index = await readOptionalEvidenceJson<z.infer<typeof LOG_INDEX_SHAPE>>(
    packetDir,
    LOG_INDEX,
    written,
    LOG_INDEX_SHAPE,
  );
  if (index === undefined) return { accessLogs: null, cloudTrail: null };
  return {
    accessLogs: index.accessLogs
      ? await Promise.all(index.accessLogs.map((f) => readEvidenceJson<AccessLogScan>(packetDir, f, written)))
      : null,
    cloudTrail: index.cloudTrail
      ? await Promise.all(index.cloudTrail.map((f) => readEvidenceJson<CloudTrailScan>(packetDir, f, written)))
      : null,
  };
}
