/** AWS Config readiness per region: a recorder exists, is recording, and records S3 buckets. */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import { attempt } from '../../collect/live/aws-call.js';
import type { RegionalClients } from '../../collect/live/clients.js';
import { recordConfig } from './fixes.js';
import type { Check, ReadCall } from './readiness.js';

export async function configCheck(
  clients: RegionalClients,
  account: string,
  region: string,
): Promise<{ check: Check; calls: ReadCall[] }> {
  const scope = `region ${region}`;
  const client = clients.config(region);
  const recorders = await attempt(() => client.send(new DescribeConfigurationRecordersCommand({})));
  const status = await attempt(() => client.send(new DescribeConfigurationRecorderStatusCommand({})));
  const call = (operation: string, r: typeof recorders | typeof status): ReadCall =>
    r.ok
      ? { operation, scope, outcome: 'ok' }
      : {
          operation,
          scope,
          outcome: /AccessDenied/i.test(r.error.code) ? 'access_denied' : 'error',
          errorCode: r.error.code,
        };
  const calls = [
    call('config:DescribeConfigurationRecorders', recorders),
    call('config:DescribeConfigurationRecorderStatus', status),
  ];
  if (!recorders.ok || !status.ok) {
    const code = !recorders.ok ? recorders.error.code : !status.ok ? status.error.code : '';
    return { check: { area: 'config', scope, status: 'unknown', detail: `AWS Config unreadable (${code})` }, calls };
  }
  const list = recorders.output.ConfigurationRecorders ?? [];
  const recorder = list[0];
  if (!recorder) {
    return {
      check: {
        area: 'config',
        scope,
        status: 'gap',
        detail: 'no AWS Config configuration recorder',
        fix: recordConfig({ account, region, exists: false }),
      },
      calls,
    };
  }
  const st = (status.output.ConfigurationRecordersStatus ?? []).find((s) => s.name === recorder.name);
  const group = recorder.recordingGroup;
  const recordsS3 = group?.allSupported !== false || (group.resourceTypes ?? []).includes('AWS::S3::Bucket');
  const recording = st?.recording === true;
  const failing = (st?.lastStatus ?? '').toUpperCase() === 'FAILURE';
  if (recording && recordsS3 && !failing) {
    return {
      check: {
        area: 'config',
        scope,
        status: 'ok',
        detail: `recorder "${recorder.name}" recording${group?.allSupported !== false ? ' all supported types' : ` ${(group?.resourceTypes ?? []).join(', ')}`}`,
      },
      calls,
    };
  }
  const problems = [
    !recording && 'not recording',
    !recordsS3 && 'does not record AWS::S3::Bucket',
    recording && failing && `last status Failure${st?.lastErrorCode ? ` (${st.lastErrorCode})` : ''}`,
  ].filter(Boolean);
  return {
    check: {
      area: 'config',
      scope,
      status: 'gap',
      detail: `recorder "${recorder.name}" ${problems.join(', ')}`,
      fix: recordConfig({
        account,
        region,
        exists: true,
        ...(recorder.name ? { recorderName: recorder.name } : {}),
        recording,
        ...(recordsS3 ? {} : { resourceTypes: group?.resourceTypes ?? [] }),
      }),
    },
    calls,
  };
}
