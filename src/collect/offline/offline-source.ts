import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AccountSource, BucketExtraOperation, BucketOperation, KeyExtraOperation, KeyOperation } from '../source.js';
import type { EvidenceRecord } from '../../evidence/record.js';
import type { ListAliasesOutput, ListBucketsOutput } from '../../evidence/aws-shapes.js';
import { readCliOutput } from './cli-export.js';
import { parseKeyReference } from '../key-reference.js';

/** AWS CLI command name for each API operation: the file name in the export layout. */
const CLI_NAME: Record<BucketOperation | BucketExtraOperation | KeyOperation | KeyExtraOperation, string> = {
  GetBucketLocation: 'get-bucket-location',
  GetBucketTagging: 'get-bucket-tagging',
  GetBucketEncryption: 'get-bucket-encryption',
  GetBucketPolicy: 'get-bucket-policy',
  GetPublicAccessBlock: 'get-public-access-block',
  GetBucketPolicyStatus: 'get-bucket-policy-status',
  GetBucketLogging: 'get-bucket-logging',
  ListBucketInventoryConfigurations: 'list-bucket-inventory-configurations',
  GetBucketVersioning: 'get-bucket-versioning',
  GetObjectLockConfiguration: 'get-object-lock-configuration',
  DescribeKey: 'describe-key',
  GetKeyRotationStatus: 'get-key-rotation-status',
  GetKeyPolicy: 'get-key-policy',
  ListResourceTags: 'list-resource-tags',
};

export interface ExportInfo {
  exportedAt?: string;
  exportedBy?: string;
}

export async function readExportInfo(folder: string): Promise<ExportInfo> {
  try {
    return JSON.parse(await readFile(path.join(folder, 'export.json'), 'utf8')) as ExportInfo;
  } catch {
    return {}; // export.json is optional; absence means "unknown exporter", not an error
  }
}

/**
 * Reads one account's AWS CLI export (layout in README "Offline evidence").
 * `keyFolders` lists other accounts' exports, for keys that live in another account.
 */
export function offlineAccountSource(args: {
  account: string;
  folder: string;
  collectedAt: string;
  otherExports?: Map<string, string>;
}): AccountSource {
  const { account, folder, collectedAt } = args;
  const call = (operation: string, parameters: Record<string, string>, region: string) => ({
    operation,
    parameters,
    account,
    region,
    collectedAt,
  });
  return {
    account,
    mode: 'offline',
    listBuckets: () =>
      readCliOutput(path.join(folder, 's3api'), 'list-buckets', call('s3:ListBuckets', {}, 'us-east-1')) as Promise<
        EvidenceRecord<ListBucketsOutput>
      >,
    bucketCall: (operation: BucketOperation | BucketExtraOperation, bucket: string, region: string | undefined) =>
      readCliOutput(path.join(folder, 's3api', bucket), CLI_NAME[operation], call(`s3:${operation}`, { Bucket: bucket }, region ?? 'us-east-1')),
    listAliases: (region: string) =>
      readCliOutput(path.join(folder, 'kms', region), 'list-aliases', call('kms:ListAliases', {}, region)) as Promise<
        EvidenceRecord<ListAliasesOutput>
      >,
    keyCall: (operation: KeyOperation | KeyExtraOperation, keyId: string, region: string) => {
      const ref = parseKeyReference(keyId);
      const owner = ref.account ?? account;
      const base = owner !== account ? args.otherExports?.get(owner) ?? folder : folder;
      const folderName = ref.kind === 'key' ? ref.keyId : ref.aliasName.replace(/\//g, '_');
      const parameters: Record<string, string> = { KeyId: keyId };
      if (operation === 'GetKeyPolicy') parameters.PolicyName = 'default';
      return readCliOutput(path.join(base, 'kms', region, folderName), CLI_NAME[operation], {
        ...call(`kms:${operation}`, parameters, region),
        account: owner,
      });
    },
  };
}
