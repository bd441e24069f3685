import type { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaEngine } from '../collect/athena/athena-engine.js';
import type { SqlEngine } from '../collect/athena/sql-engine.js';
import type { AthenaEngineConfig, TenantConfig } from '../config/schema.js';

/** The sources that can be read by another engine than the local one. */
export type EngineSource = 'inventory' | 'accessLogs' | 'cloudTrail';

/** Opens an Athena client for the engine's account and region; undefined when that account cannot be read. */
export type AthenaClientFn = (account: string | undefined, region: string | undefined) => AthenaClient | undefined;

/**
 * The engine that reads a source: undefined for the local one (the default), an AthenaEngine for
 * `engine: athena`, or the reason Athena cannot be used — which the caller makes unreadable
 * evidence, never a silent fallback to the local engine.
 */
export function engineFor(
  tenant: TenantConfig,
  source: EngineSource,
  athena: AthenaClientFn | undefined,
): { engine?: SqlEngine; problem?: string } {
  const chosen = tenant.sources.engines?.[source];
  if (!chosen || chosen.engine === 'local') return {};
  const config: AthenaEngineConfig = chosen;
  const locations = tenant.sources[source];
  const notS3 = locations.filter((l) => !l.startsWith('s3://'));
  if (notS3.length > 0) return { problem: `engine: athena reads s3:// locations only; ${notS3.join(', ')} is not one` };
  if (!athena) return { problem: 'engine: athena needs live AWS credentials; this run reads offline evidence only' };
  const client = athena(config.account, config.region);
  if (!client)
    return {
      problem: `engine: athena: the account ${config.account ?? 'of the tenant'} could not be read, so Athena cannot be called`,
    };
  return { engine: new AthenaEngine({ client, config }) };
}
