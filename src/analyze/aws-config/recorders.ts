import { hasNoRecorder } from '../../evidence/aws-config-no-recorder.js';
import { BUCKET_TYPE, KEY_TYPE, type RecordingGroup } from '../../evidence/aws-config-shapes.js';
import type { TenantConfig } from '../../config/schema.js';
import type { RecorderRow } from '../../model/config-sections.js';
import type { Wording } from '../../wording/wording.js';
import type { AwsConfigEvidence, AwsConfigRegionEvidence } from '../../evidence/aws-config-evidence.js';

/** Whether a recording group records `type`: all supported types, a listed type, or every type not excluded. */
export function records(group: RecordingGroup | undefined, type: string): boolean {
  if (!group) return true; // AWS's default recording group records all supported types
  if (group.recordingStrategy?.useOnly === 'EXCLUSION_BY_RESOURCE_TYPES')
    return !(group.exclusionByResourceTypes?.resourceTypes ?? []).includes(type);
  if (group.allSupported !== false) return true;
  return (group.resourceTypes ?? []).includes(type);
}

function regionRow(account: string, r: AwsConfigRegionEvidence, w: Wording): RecorderRow {
  const base = { account, region: r.region, evidence: [r.recorders.file, r.recorderStatus.file] };
  const ctx = { account, region: r.region };
  if (hasNoRecorder(r.recorders)) {
    return {
      ...base,
      state: 'not_recording',
      recordsBuckets: false,
      recordsKeys: false,
      text: w.t('awsConfig.recorder.noRecorder', ctx),
    };
  }
  if (r.recorders.outcome !== 'ok') {
    return {
      ...base,
      state: 'unreadable',
      recordsBuckets: null,
      recordsKeys: null,
      text: w.t('awsConfig.recorder.unreadable', { ...ctx, code: r.recorders.error.code }),
    };
  }
  const recorder = r.recorders.response.ConfigurationRecorders?.[0];
  const name = recorder?.name ?? 'default';
  const recordsBuckets = records(recorder?.recordingGroup, BUCKET_TYPE);
  const recordsKeys = records(recorder?.recordingGroup, KEY_TYPE);
  const facts = { ...base, recorder: name, recordsBuckets, recordsKeys };
  if (r.recorderStatus.outcome !== 'ok') {
    return {
      ...facts,
      state: 'unreadable',
      text: w.t('awsConfig.recorder.unreadable', { ...ctx, code: r.recorderStatus.error.code }),
    };
  }
  const status = (r.recorderStatus.response.ConfigurationRecordersStatus ?? []).find(
    (s) => (s.name ?? 'default') === name,
  );
  const lastStatus = status?.lastStatus ? { lastStatus: status.lastStatus } : {};
  if (status?.recording !== true) {
    return {
      ...facts,
      ...lastStatus,
      state: 'not_recording',
      text: w.t('awsConfig.recorder.stopped', { ...ctx, recorder: name }),
    };
  }
  const gaps = [
    ...(recordsBuckets ? [] : [w.t('awsConfig.recorder.buckets')]),
    ...(recordsKeys ? [] : [w.t('awsConfig.recorder.keys')]),
  ].join(', ');
  return { ...facts, ...lastStatus, state: 'recording', text: w.t('awsConfig.recorder.recording', { ...ctx, gaps }) };
}

/** One row per tenant account and configured region: recording, not recording (a state), unreadable or not collected. */
export function recorderRows(ev: AwsConfigEvidence, tenant: Pick<TenantConfig, 'accounts'>, w: Wording): RecorderRow[] {
  const rows: RecorderRow[] = [];
  for (const a of ev.accounts) {
    if (a.notCollected !== undefined) {
      const regions = tenant.accounts.find((x) => x.id === a.account)?.regions ?? [];
      for (const region of [...new Set(regions)].sort()) {
        rows.push({
          account: a.account,
          region,
          state: 'not_collected',
          recordsBuckets: null,
          recordsKeys: null,
          text: w.t('awsConfig.recorder.notCollected', { account: a.account, region, reason: a.notCollected }),
          evidence: [],
        });
      }
      continue;
    }
    for (const r of a.regions) rows.push(regionRow(a.account, r, w));
  }
  return rows.sort((x, y) => x.account.localeCompare(y.account) || x.region.localeCompare(y.region));
}
