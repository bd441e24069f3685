/**
 * AWS Config end to end on the demo's acme tenant: an export without Config files says "not
 * collected"; with a configservice/ folder the packet holds AWS's verdicts beside ours, the key's
 * history names who turned rotation off (matched through the CloudTrail event id), the workbook has
 * the sheet, and `verify` re-derives the packet from evidence/aws-config/. An AccessDenied on the
 * rules makes the packet incomplete.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsConfigCollected } from '../../src/model/config-sections.js';
import type { Packet } from '../../src/model/packet.js';
import { verifyFolder } from '../../src/pipeline/verify-folder.js';
import { demoWorkspace, runDemoTenant } from '../support/demo-workspace.js';
import { readWorkbook, sheetNamed } from '../support/xlsx-reader.js';

const ACME = '222222222222';
const KEY_ID = '7f4a1b2c-3d5e-4f60-8a9b-0c1d2e3f4a5b';
const LAKE_KEY_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
let ws: Awaited<ReturnType<typeof demoWorkspace>>;
let before: Packet;
let after: Packet;
let folder: string;
let denied: Packet;

async function run(): Promise<{ packet: Packet; folder: string }> {
  const tenant = ws.config.tenants.find((t) => t.id === 'acme')!;
  const r = await runDemoTenant(ws, tenant);
  return { packet: JSON.parse(readFileSync(path.join(r.folder, 'packet.json'), 'utf8')) as Packet, folder: r.folder };
}

function put(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

beforeAll(async () => {
  ws = await demoWorkspace();
  before = (await run()).packet;
  const disable =
    before.sections.keyUsage.state === 'collected'
      ? before.sections.keyUsage.keys
          .flatMap((k) => k.managementEvents)
          .find((e) => e.eventName === 'DisableKeyRotation')
      : undefined;
  const cs = path.join(ws.exportsDir, 'accounts', ACME, 'configservice');
  put(path.join(cs, 'us-east-1', 'describe-configuration-recorders.json'), { ConfigurationRecorders: [] });
  put(path.join(cs, 'us-east-1', 'describe-configuration-recorder-status.json'), { ConfigurationRecordersStatus: [] });
  const eu = path.join(cs, 'eu-west-1');
  put(path.join(eu, 'describe-configuration-recorders.json'), {
    ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }],
  });
  put(path.join(eu, 'describe-configuration-recorder-status.json'), {
    ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }],
  });
  put(path.join(eu, 'describe-config-rules.json'), {
    ConfigRules: [
      { ConfigRuleName: 'ssl-only', Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' } },
      {
        ConfigRuleName: 'key-rotation',
        Source: { Owner: 'AWS', SourceIdentifier: 'CMK_BACKING_KEY_ROTATION_ENABLED' },
      },
    ],
  });
  const result = (rule: string, type: string, id: string, c: string) => ({
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ConfigRuleName: rule, ResourceType: type, ResourceId: id },
    },
    ComplianceType: c,
    ResultRecordedTime: '2026-10-02T00:00:00+00:00',
  });
  // AWS's managed rule accepts the prefix-limited TLS deny of acme-app-data; this packet does not.
  put(path.join(eu, 'get-compliance-details-by-config-rule', 'ssl-only.json'), {
    EvaluationResults: [result('ssl-only', 'AWS::S3::Bucket', 'acme-app-data', 'COMPLIANT')],
  });
  put(path.join(eu, 'get-compliance-details-by-config-rule', 'key-rotation.json'), {
    EvaluationResults: [
      result('key-rotation', 'AWS::KMS::Key', KEY_ID, 'NON_COMPLIANT'),
      result('key-rotation', 'AWS::KMS::Key', LAKE_KEY_ID, 'COMPLIANT'),
    ],
  });
  const hist = path.join(eu, 'get-resource-config-history');
  put(path.join(hist, 'AWS_KMS_Key', `${KEY_ID}.before.json`), {
    configurationItems: [
      {
        configurationItemCaptureTime: '2026-09-01T00:00:00+00:00',
        configurationItemStatus: 'OK',
        configuration: '{"keyState":"Enabled","keyRotationEnabled":true}',
      },
    ],
  });
  put(path.join(hist, 'AWS_KMS_Key', `${KEY_ID}.json`), {
    configurationItems: [
      {
        configurationItemCaptureTime: '2026-10-12T16:05:00+00:00',
        configurationItemStatus: 'OK',
        configuration: '{"keyState":"Enabled","keyRotationEnabled":false}',
        relatedEvents: disable?.eventId ? [disable.eventId] : [],
      },
    ],
  });
  // The lakehouse table bucket's key (eu-west-1) had no change in the period.
  put(path.join(hist, 'AWS_KMS_Key', `${LAKE_KEY_ID}.json`), { configurationItems: [] });
  put(path.join(hist, 'AWS_S3_Bucket', 'acme-app-data.json'), { configurationItems: [] });
  put(path.join(hist, 'AWS_S3_Bucket', 'acme-app-data.before.json'), { configurationItems: [] });
  const second = await run();
  after = second.packet;
  folder = second.folder;
  put(
    path.join(eu, 'describe-config-rules.error.txt'),
    'An error occurred (AccessDeniedException) when calling the DescribeConfigRules operation: not authorized',
  );
  rmSync(path.join(eu, 'describe-config-rules.json'));
  denied = (await run()).packet;
}, 120_000);

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

const section = (p: Packet) => p.sections.awsConfig as AwsConfigCollected;

describe('AWS Config in the acme packet', () => {
  it('without Config files in the export: not collected, and nothing missing on that account', () => {
    expect(before.sections.awsConfig).toEqual({
      state: 'not_collected',
      reason: `no AWS Config evidence (account ${ACME}: the offline export ../output/demo-export/accounts/${ACME} has no configservice/ folder)`,
    });
  });

  it('recorders: recording in eu-west-1, not recording in us-east-1 (a state, the packet stays as complete as before)', () => {
    expect(section(after).recorders.map((r) => [r.region, r.state])).toEqual([
      ['eu-west-1', 'recording'],
      ['us-east-1', 'not_recording'],
    ]);
    expect(after.completeness.missing).toEqual(before.completeness.missing);
  });

  it('verdicts beside ours: the TLS rule disagrees (a medium finding), the rotation rule agrees', () => {
    expect(
      section(after).rules.map((r) => [r.name, r.resources.map((x) => [x.resource, x.aws, x.ours, x.agreement])]),
    ).toEqual([
      [
        'key-rotation',
        [
          ['alias/acme-app', 'NON_COMPLIANT', 'fail', 'agree'],
          ['alias/acme-lakehouse', 'COMPLIANT', 'pass', 'agree'],
        ],
      ],
      ['ssl-only', [['acme-app-data', 'COMPLIANT', 'fail', 'disagree']]],
    ]);
    const f = after.findings.filter((x) => x.controlId === 'aws-config');
    expect(f.map((x) => [x.severity, x.resource])).toEqual([['medium', 'acme-app-data']]);
    expect(f[0]!.text).toMatch(
      /^acme-app-data: AWS Config rule ssl-only \(222222222222\/eu-west-1\) says COMPLIANT as of 2026-10-02 00:00 UTC, but .+ fails: /,
    );
  });

  it("history: rotation turned off on 12 October, by the principal of CloudTrail's DisableKeyRotation", () => {
    const key = section(after).history.find((h) => h.resourceType === 'AWS::KMS::Key')!;
    expect(key.changes.map((c) => [c.time, c.changed, c.author, c.authorEvent])).toEqual([
      ['2026-10-12T16:05:00Z', ['rotation'], `arn:aws:iam::${ACME}:role/platform-admin`, 'DisableKeyRotation'],
    ]);
  });

  it('verify re-derives the packet from the frozen evidence; the workbook has the sheet', async () => {
    const report = await verifyFolder(folder);
    expect([report.packetReproduced, report.problems]).toEqual([true, []]);
    expect(report.files.some((f) => f.path.startsWith('evidence/aws-config/') && f.state === 'ok')).toBe(true);
    const xlsx = readWorkbook(path.join(folder, 'acme-2026-10.xlsx'), 5);
    expect(sheetNamed(xlsx, 'AWS Config').rows[1]![0]!.value).toBe('Section');
  });

  it('AccessDenied on the rules: the packet is incomplete and says which call', () => {
    expect(denied.completeness.complete).toBe(false);
    expect(denied.completeness.missing.filter((m) => m.source.startsWith('config:'))).toEqual([
      {
        scope: `AWS Config ${ACME}/eu-west-1`,
        source: 'config:DescribeConfigRules',
        reason: 'AccessDeniedException: not authorized',
      },
    ]);
  });
});
