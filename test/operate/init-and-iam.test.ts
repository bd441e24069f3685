import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { iamFiles, readerPolicy, writeIamFiles } from '../../src/operate/iam-templates.js';
import { FileExistsError, writeStarterConfig } from '../../src/operate/init-config.js';
import { projectRoot } from '../../src/project-root.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's3e-init-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('init', () => {
  it('writes config/tenants.example.yaml byte for byte (one starter config), and it validates as it stands', async () => {
    const file = path.join(dir, 'config', 'tenants.yaml');
    await writeStarterConfig(file);
    const written = await readFile(file);
    expect(written.equals(await readFile(path.join(projectRoot(), 'config', 'tenants.example.yaml')))).toBe(true);
    const text = written.toString('utf8');
    expect(text.split('\n').filter((l) => l.trimStart().startsWith('#')).length).toBeGreaterThan(10);
    const { config } = await loadConfig(file);
    expect(config.tenants.map((t) => t.id)).toEqual(['acme']);
    expect(config.tenants[0]!.accounts[0]).toMatchObject({
      id: '111122223333',
      roleArn: 'arn:aws:iam::111122223333:role/S3EvidenceReader',
      externalId: 'acme-7f3c91',
    });
    // Relative folders are the written file's, not the example's.
    expect(config.tenants[0]!.accounts[1]!.offlineExport).toBe(path.join(dir, 'exports', '444455556666'));
  });

  it('refuses to overwrite an existing file, which stays as it was', async () => {
    const file = path.join(dir, 'mine.yaml');
    await writeFile(file, 'version: 1\n');
    await expect(writeStarterConfig(file)).rejects.toBeInstanceOf(FileExistsError);
    expect(await readFile(file, 'utf8')).toBe('version: 1\n');
  });
});

interface Template {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; NoEcho?: boolean }>;
  Resources: {
    EvidenceReaderRole: {
      Type: string;
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: Array<{
            Effect: string;
            Principal: { AWS: { 'Fn::Sub': string } };
            Action: string;
            Condition: Record<string, Record<string, unknown>>;
          }>;
        };
        Policies: Array<{
          PolicyDocument: { Version: string; Statement: Array<{ Sid: string; Action: string[]; Resource: unknown }> };
        }>;
      };
    };
  };
}

describe('iam', () => {
  let written: string[];
  let template: Template;
  beforeAll(async () => {
    written = await writeIamFiles(path.join(dir, 'iam'));
    template = parse(await readFile(path.join(dir, 'iam', 'reader-role.cfn.yaml'), 'utf8')) as Template;
  });

  it("writes the read-only policy, the role template, the publishing statement and the Athena engine's policy", () => {
    expect(written.map((f) => path.basename(f))).toEqual([
      'evidence-reader-policy.json',
      'reader-role.cfn.yaml',
      'publisher-policy.json',
      'athena-engine-policy.json',
    ]);
  });

  it('the CloudFormation template parses and trusts only the operator account, with the external ID', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    const role = template.Resources.EvidenceReaderRole;
    expect(role.Type).toBe('AWS::IAM::Role');
    const [trust, ...others] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(trust).toEqual({
      Sid: 'OperatorWithExternalId',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${OperatorAccountId}:root' } },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
    });
    expect(template.Parameters.ExternalId).toMatchObject({ Type: 'String', NoEcho: true });
  });

  it('is StackSet-usable: no account id written into it, only parameters and pseudo-parameters', async () => {
    const text = await readFile(path.join(dir, 'iam', 'reader-role.cfn.yaml'), 'utf8');
    expect(text).not.toMatch(/\b\d{12}\b/);
  });

  it('carries exactly the shipped read-only policy, delivery buckets as a parameter, Version a string', () => {
    const doc = template.Resources.EvidenceReaderRole.Properties.Policies[0]!.PolicyDocument;
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement.flatMap((s) => s.Action)).toEqual(readerPolicy().Statement.flatMap((s) => s.Action));
    expect(doc.Statement.find((s) => s.Sid === 'ReadInventoryAndLogDeliveriesOnly')!.Resource).toEqual({
      Ref: 'DeliveryBucketArns',
    });
  });

  it("optionally (AthenaWorkgroup set) carries exactly iam/athena-engine-policy.json, scoped by the template's parameters", async () => {
    const t = template as unknown as {
      Parameters: Record<string, { Default?: string }>;
      Conditions: Record<string, unknown>;
      Resources: Record<
        string,
        {
          Type: string;
          Condition?: string;
          Properties: {
            RoleName: unknown;
            PolicyDocument: { Statement: Array<{ Action: string[]; Resource: unknown }> };
          };
        }
      >;
    };
    expect(t.Parameters.AthenaWorkgroup!.Default).toBe('');
    expect(t.Conditions.UseAthenaEngine).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AthenaWorkgroup' }, ''] }] });
    const part = t.Resources.AthenaEnginePolicy!;
    expect(part.Type).toBe('AWS::IAM::RolePolicy');
    expect(part.Condition).toBe('UseAthenaEngine');
    expect(part.Properties.RoleName).toEqual({ Ref: 'EvidenceReaderRole' });
    const file = JSON.parse(await readFile(path.join(dir, 'iam', 'athena-engine-policy.json'), 'utf8')) as {
      Statement: Array<{ Action: string[] }>;
    };
    const statements = part.Properties.PolicyDocument.Statement;
    expect(statements.map((s) => s.Action)).toEqual(file.Statement.map((s) => s.Action));
    expect(statements[0]!.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:athena:${AthenaRegion}:${AWS::AccountId}:workgroup/${AthenaWorkgroup}',
    });
    expect(JSON.stringify(statements)).not.toContain('REPLACE');
  });

  it('the publishing statement allows conditional PutObject with retention and multipart aborts, HeadObject to compare what is there, SSE-KMS data keys (Decrypt to complete parts), Sign and GetPublicKey', async () => {
    const pub = JSON.parse(await readFile(path.join(dir, 'iam', 'publisher-policy.json'), 'utf8')) as {
      Statement: Array<{ Action: string[] }>;
    };
    expect(pub.Statement.flatMap((s) => s.Action)).toEqual([
      's3:PutObject',
      's3:PutObjectRetention',
      's3:AbortMultipartUpload',
      's3:GetObject',
      'kms:GenerateDataKey',
      'kms:Decrypt',
      'kms:GetPublicKey',
      'kms:Sign',
    ]);
  });

  it('refuses to overwrite, writing nothing', async () => {
    await expect(writeIamFiles(path.join(dir, 'iam'))).rejects.toBeInstanceOf(FileExistsError);
  });

  it('the copies shipped in iam/ are what the command generates', async () => {
    for (const [name, text] of Object.entries(iamFiles())) {
      expect(await readFile(path.join(projectRoot(), 'iam', name), 'utf8'), name).toBe(text);
    }
  });
});
