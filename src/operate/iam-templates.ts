import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { projectRoot } from '../project-root.js';
import { FileExistsError, writeNewFile } from './init-config.js';
import { ATHENA_IAM_ACTION, glueActionsFor, RESULTS_S3_ACTIONS } from '../collect/athena/iam-actions.js';

interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[] | Record<string, unknown>;
  Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const READER_POLICY_FILE = 'evidence-reader-policy.json';
const READER_ROLE_TEMPLATE_FILE = 'reader-role.cfn.yaml';
const PUBLISHER_POLICY_FILE = 'publisher-policy.json';
const ATHENA_POLICY_FILE = 'athena-engine-policy.json';

/** The statement whose resources are the inventory / log delivery buckets (a placeholder in the JSON file). */
const DELIVERY_SID = 'ReadInventoryAndLogDeliveriesOnly';

/** The shipped read-only policy (iam/evidence-reader-policy.json), the one the policy test keeps in step. */
export function readerPolicy(): PolicyDocument {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'iam', READER_POLICY_FILE), 'utf8')) as PolicyDocument;
}

/** The Athena engine policy's placeholders, as the template's parameters and pseudo-parameters. */
const ATHENA_PLACEHOLDERS: ReadonlyArray<readonly [string, string]> = [
  ['arn:aws:', 'arn:${AWS::Partition}:'],
  ['REPLACE-REGION', '${AthenaRegion}'],
  ['REPLACE-ACCOUNT', '${AWS::AccountId}'],
  ['REPLACE-WITH-WORKGROUP', '${AthenaWorkgroup}'],
  ['REPLACE-WITH-DATABASE', '${AthenaDatabase}'],
  ['REPLACE-WITH-RESULTS-BUCKET', '${AthenaResultsBucket}'],
];

/** The Athena engine policy with each resource a Fn::Sub of the template's parameters. */
function athenaPolicyForTemplate(): PolicyDocument {
  const sub = (arn: string) => ({
    'Fn::Sub': ATHENA_PLACEHOLDERS.reduce((text, [from, to]) => text.split(from).join(to), arn),
  });
  const policy = athenaEnginePolicy();
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({
      ...s,
      Resource: Array.isArray(s.Resource)
        ? s.Resource.map(sub)
        : typeof s.Resource === 'string'
          ? sub(s.Resource)
          : s.Resource,
    })) as PolicyStatement[],
  };
}

/**
 * CloudFormation for the reader role in a tenant account: trusted by the operator's account only
 * with the tenant's external ID, carrying the read-only policy. No account ids are written into it
 * (AWS::AccountId and parameters only), so one template serves a StackSet across an organization.
 * Optionally (AthenaWorkgroup set) the role also gets the Athena engine policy, for the account
 * whose role runs `engine: athena` queries.
 */
function readerRoleTemplate(policy: PolicyDocument = readerPolicy()): Record<string, unknown> {
  const statements = policy.Statement.map((s) =>
    s.Sid === DELIVERY_SID ? { ...s, Resource: { Ref: 'DeliveryBucketArns' } } : s,
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      's3-evidence: read-only role the operator assumes (with an external ID) to collect S3 encryption evidence. Deploy once per account, or as a StackSet.',
    Parameters: {
      OperatorAccountId: {
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
        Description: 'The account whose identity runs s3-evidence.',
      },
      ExternalId: {
        Type: 'String',
        MinLength: 2,
        MaxLength: 1224,
        NoEcho: true,
        Description: "The tenant's external ID (the same value as externalId in the s3-evidence config).",
      },
      RoleName: {
        Type: 'String',
        Default: 'S3EvidenceReader',
        Description: 'Same name in every account, so roleArn differs by account id only.',
      },
      DeliveryBucketArns: {
        Type: 'CommaDelimitedList',
        Description:
          'Buckets that receive S3 Inventory reports and access / CloudTrail logs, as ARNs and ARN/* (for example arn:aws:s3:::acme-inventory,arn:aws:s3:::acme-inventory/*).',
      },
      MaxSessionDuration: { Type: 'Number', Default: 3600, MinValue: 3600, MaxValue: 43200 },
      AthenaWorkgroup: {
        Type: 'String',
        Default: '',
        Description:
          'engine: athena only (leave empty otherwise): the workgroup the queries run in; the role then also gets the Athena engine policy.',
      },
      AthenaRegion: {
        Type: 'String',
        Default: 'us-east-1',
        Description: 'engine: athena only: the region Athena runs in (region in the engine config).',
      },
      AthenaDatabase: {
        Type: 'String',
        Default: 's3_evidence',
        Description:
          'engine: athena only: the Glue database the tool creates its tables in (database in the engine config).',
      },
      AthenaResultsBucket: {
        Type: 'String',
        Default: '',
        Description: 'engine: athena only: the bucket of resultsLocation, where Athena writes query results.',
      },
    },
    Conditions: {
      UseAthenaEngine: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AthenaWorkgroup' }, ''] }] },
    },
    Resources: {
      AthenaEnginePolicy: {
        Type: 'AWS::IAM::RolePolicy',
        Condition: 'UseAthenaEngine',
        Properties: {
          RoleName: { Ref: 'EvidenceReaderRole' },
          PolicyName: 's3-evidence-athena-engine',
          PolicyDocument: athenaPolicyForTemplate(),
        },
      },
      EvidenceReaderRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'RoleName' },
          Description: 's3-evidence read-only evidence collection',
          MaxSessionDuration: { Ref: 'MaxSessionDuration' },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'OperatorWithExternalId',
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${OperatorAccountId}:root' } },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
              },
            ],
          },
          Policies: [
            { PolicyName: 's3-evidence-reader', PolicyDocument: { Version: policy.Version, Statement: statements } },
          ],
          Tags: [{ Key: 'managed-by', Value: 's3-evidence' }],
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: 'roleArn for the s3-evidence config',
        Value: { 'Fn::GetAtt': ['EvidenceReaderRole', 'Arn'] },
      },
    },
  };
}

/** YAML 1.1 quoting, so dates such as the policy Version stay strings for CloudFormation's parser. */
function readerRoleTemplateYaml(): string {
  return `# Generated by \`s3-evidence iam\` from iam/${READER_POLICY_FILE} and iam/${ATHENA_POLICY_FILE}; do not edit by hand.\n${stringify(readerRoleTemplate(), { version: '1.1', lineWidth: 0 })}`;
}

/**
 * The extra permissions `run --publish` and `--sign-with` need, for the identity that runs the tool
 * (not the tenant roles): conditional PutObject with retention under the prefix (which covers the
 * multipart-upload calls of a file larger than a part; aborting a failed one is its own action), the
 * SSE-KMS data key (and Decrypt, which S3 needs to complete a multipart upload under SSE-KMS), and
 * Sign / GetPublicKey on the signing key.
 */
function publisherPolicy(
  args: { bucket?: string; prefix?: string; sseKmsKeyArn?: string; signingKeyArn?: string } = {},
): PolicyDocument {
  const bucket = args.bucket ?? 'REPLACE-WITH-PUBLISH-BUCKET';
  const prefix = args.prefix ?? '';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublishPacketsWithoutOverwrite',
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectRetention', 's3:AbortMultipartUpload'],
        Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
      },
      {
        // HeadObject (checksum mode) on a key S3 refused to overwrite: same bytes make a re-publish succeed.
        Sid: 'CompareAlreadyPublishedObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
      },
      {
        Sid: 'EncryptPublishedObjects',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: args.sseKmsKeyArn ?? 'arn:aws:kms:REPLACE-REGION:REPLACE-ACCOUNT:key/REPLACE-WITH-SSE-KMS-KEY-ID',
        Condition: {
          StringEquals: {
            'kms:ViaService': `s3.${args.sseKmsKeyArn?.split(':')[3] ?? 'REPLACE-REGION'}.amazonaws.com`,
          },
        },
      },
      {
        Sid: 'SignManifests',
        Effect: 'Allow',
        Action: ['kms:GetPublicKey', 'kms:Sign'],
        Resource: args.signingKeyArn ?? 'arn:aws:kms:REPLACE-REGION:REPLACE-ACCOUNT:key/REPLACE-WITH-SIGNING-KEY-ID',
      },
    ],
  };
}

/**
 * `engine: athena`: what the reader role of the account that runs the queries needs besides the
 * read-only policy (which already lets it read the delivery buckets Athena scans). Scoped to the
 * configured workgroup, Glue database (and its tables) and results location.
 */
function athenaEnginePolicy(): PolicyDocument {
  const glue = [...new Set(['CREATE DATABASE', 'CREATE EXTERNAL TABLE', 'SELECT'].flatMap(glueActionsFor))].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RunQueriesInTheWorkgroup',
        Effect: 'Allow',
        Action: Object.values(ATHENA_IAM_ACTION).sort(),
        Resource: 'arn:aws:athena:REPLACE-REGION:REPLACE-ACCOUNT:workgroup/REPLACE-WITH-WORKGROUP',
      },
      {
        Sid: 'CreateAndReadTheEvidenceTables',
        Effect: 'Allow',
        Action: glue,
        Resource: [
          'arn:aws:glue:REPLACE-REGION:REPLACE-ACCOUNT:catalog',
          'arn:aws:glue:REPLACE-REGION:REPLACE-ACCOUNT:database/REPLACE-WITH-DATABASE',
          'arn:aws:glue:REPLACE-REGION:REPLACE-ACCOUNT:table/REPLACE-WITH-DATABASE/*',
        ],
      },
      {
        Sid: 'WriteQueryResults',
        Effect: 'Allow',
        Action: [...RESULTS_S3_ACTIONS],
        Resource: ['arn:aws:s3:::REPLACE-WITH-RESULTS-BUCKET', 'arn:aws:s3:::REPLACE-WITH-RESULTS-BUCKET/*'],
      },
    ],
  };
}

/** The files `s3-evidence iam` writes, by file name. */
export function iamFiles(): Record<string, string> {
  return {
    [READER_POLICY_FILE]: readFileSync(path.join(projectRoot(), 'iam', READER_POLICY_FILE), 'utf8'),
    [READER_ROLE_TEMPLATE_FILE]: readerRoleTemplateYaml(),
    [PUBLISHER_POLICY_FILE]: `${JSON.stringify(publisherPolicy(), null, 2)}\n`,
    [ATHENA_POLICY_FILE]: `${JSON.stringify(athenaEnginePolicy(), null, 2)}\n`,
  };
}

/** Writes the IAM files into `dir`; refuses when any of them already exists (nothing is written then). */
export async function writeIamFiles(dir: string): Promise<string[]> {
  const files = iamFiles();
  for (const name of Object.keys(files)) {
    const exists = await stat(path.join(dir, name)).then(
      () => true,
      () => false,
    );
    if (exists) throw new FileExistsError(path.join(dir, name));
  }
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await writeNewFile(path.join(dir, name), text);
    written.push(path.join(dir, name));
  }
  return written;
}
