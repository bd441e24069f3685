import { describe, expect, it } from 'vitest';
import { complianceCsvRecords } from '../../../src/render/csv/compliance-csv.js';
import type { FrameworkResult, Packet } from '../../../src/model/packet.js';
import { samplePacket } from '../../support/sample-packet.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const framework: FrameworkResult = {
  id: 'test-fw',
  name: 'Test Framework v1',
  short: 'TF',
  version: '1',
  sheet: 'TF 1',
  source: 'Test Framework v1 (Test Body)',
  requirements: [
    { id: 'R-1', title: 'Encrypt at rest', controls: ['s3-objects-encrypted', 'kms-rotation'], status: 'fail' },
    { id: 'R-2', title: 'Know the defaults', controls: ['s3-default-encryption-enabled'], status: 'not_evaluated' },
  ],
};

function packet(): Packet {
  const p = samplePacket();
  const [bucket] = p.buckets;
  p.controls[1]!.resources = [
    { resource: bucket!.name, verdict: 'fail', reason: '1 object not encrypted', evidence: ['evidence/a.json', 'b'] },
    { resource: 'elsewhere', verdict: 'exception', reason: 'excepted by EX-1', evidence: [] },
  ];
  p.controls.push({
    ...p.controls[0]!,
    id: 'kms-rotation',
    title: 'Keys rotate',
    verdict: 'not_applicable',
    resources: [{ resource: KEY_ARN, verdict: 'not_applicable', reason: 'AWS managed', evidence: [] }],
  });
  return { ...p, frameworks: [framework] };
}

describe('compliance CSV in the shape of Prowler’s', () => {
  const p = packet();
  const records = [...complianceCsvRecords(p, framework)];
  const header = records[0] as string[];
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));

  it('Prowler’s columns first, ours after', () => {
    expect(header.slice(0, 15)).toEqual([
      'Provider',
      'Description',
      'AccountId',
      'Region',
      'AssessmentDate',
      'Requirements_Id',
      'Requirements_Description',
      'Status',
      'StatusExtended',
      'ResourceId',
      'ResourceName',
      'CheckId',
      'Muted',
      'Framework',
      'Name',
    ]);
    expect(header.slice(15)).toEqual(['Version', 'Requirements_Status', 'CheckTitle', 'Verdict', 'Evidence']);
  });

  it('one row per requirement × control × resource; a control without resources gives one row', () => {
    expect(rows.map((r) => [r.Requirements_Id, r.CheckId, r.ResourceId])).toEqual([
      ['R-1', 's3-objects-encrypted', p.buckets[0]!.name],
      ['R-1', 's3-objects-encrypted', 'elsewhere'],
      ['R-1', 'kms-rotation', KEY_ARN],
      ['R-2', 's3-default-encryption-enabled', ''],
    ]);
  });

  it('maps verdicts to Prowler statuses without losing ours: EXCEPTION is a muted FAIL, NOT EVALUATED is MANUAL', () => {
    expect(rows.map((r) => [r.Status, r.Muted, r.Verdict, r.StatusExtended])).toEqual([
      ['FAIL', 'False', 'FAIL', '1 object not encrypted'],
      ['FAIL', 'True', 'EXCEPTION', 'excepted by EX-1'],
      ['MANUAL', 'False', 'NOT APPLICABLE', 'NOT APPLICABLE: AWS managed'],
      ['MANUAL', 'False', 'NOT EVALUATED', 'NOT EVALUATED: 1 of 2 buckets; 1 not evaluated'],
    ]);
  });

  it('account and region from the bucket or key; blank for a resource the packet does not list', () => {
    expect(rows[0]).toMatchObject({
      Provider: 'aws',
      Description: 'Test Framework v1 (Test Body)',
      AccountId: p.buckets[0]!.account,
      Region: p.buckets[0]!.region,
      AssessmentDate: '2026-11-01T11:00:00Z',
      Requirements_Description: 'Encrypt at rest',
      ResourceName: p.buckets[0]!.name,
      Framework: 'TF',
      Name: 'Test Framework v1',
      Version: '1',
      Requirements_Status: 'FAIL',
      CheckTitle: 'Objects encrypted at rest',
      Evidence: 'evidence/a.json b',
    });
    expect(rows[1]).toMatchObject({ AccountId: '', Region: '' });
    expect(rows[2]).toMatchObject({ AccountId: '111122223333', Region: 'eu-west-1', ResourceName: 'alias/app-data' });
    expect(rows[3]).toMatchObject({ Requirements_Status: 'NOT EVALUATED', AccountId: '' });
  });
});
