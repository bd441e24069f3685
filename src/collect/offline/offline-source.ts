import path from 'node:path';
import type {
  AccountSource,
  BucketExtraOperation,
  BucketOperation,
  DirectoryOperation,
  KeyExtraOperation,
  KeyOperation,
  TablesOperation,
  TablesParameters,
} from '../source.js';
import type { EvidenceRecord } from '../../evidence/record.js';
import type { ListAliasesOutput, ListBucketsOutput } from '../../evidence/aws-shapes.js';
import { readCliOutput, type CliCall } from './cli-export.js';
import { parseKeyReference } from '../key-reference.js';
import { identifierProblem, IDENTIFIER_FORMATS } from '../../evidence/aws-identifiers.js';
import { readConfinedText } from '../../util/confined-read.js';
import { readJson } from '../../format/json-keys.js';

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

/** AWS CLI command name of each S3 Tables read (`aws s3tables <command>`). */
const TABLES_CLI_NAME: Record<TablesOperation, string> = {
  ListTableBuckets: 'list-table-buckets',
  GetTableBucketEncryption: 'get-table-bucket-encryption',
  ListNamespaces: 'list-namespaces',
  ListTables: 'list-tables',
  GetTableEncryption: 'get-table-encryption',
};

/** The name part of a table bucket ARN (arn:aws:s3tables:<region>:<account>:bucket/<name>); undefined when not one. */
function tableBucketName(arn: string): string | undefined {
  const m = /^arn:aws[-a-z0-9]*:s3tables:[-a-z0-9]+:\d{12}:bucket\/([^/]+)$/.exec(arn);
  return m?.[1];
}

const DIRECTORY_CLI_NAME: Record<DirectoryOperation, string> = {
  ListDirectoryBuckets: 'list-directory-buckets',
  GetBucketEncryption: 'get-bucket-encryption',
  GetBucketPolicy: 'get-bucket-policy',
};

export interface ExportInfo {
  exportedAt?: string;
  exportedBy?: string;
}

export async function readExportInfo(folder: string): Promise<ExportInfo> {
  try {
    const text = await readConfinedText(folder, path.join(folder, 'export.json'));
    // Broken, not an object, or a key named twice (two exportedAt): unreadable either way.
    const read = text === undefined ? undefined : readJson(text);
    const info = read && 'value' in read ? read.value : undefined;
    if (typeof info !== 'object' || info === null) return {};
    const { exportedAt, exportedBy } = info as Record<string, unknown>;
    return {
      ...(typeof exportedAt === 'string' ? { exportedAt } : {}),
      ...(typeof exportedBy === 'string' ? { exportedBy } : {}),
    };
  } catch {
    return {}; // export.json is optional; absent or unreadable means "unknown exporter", not an error
  }
}

/**
 * The record for a call whose identifiers (from evidence: list-buckets, a bucket's location or
 * encryption) do not fit AWS's formats: they never become a path, and the call is unreadable evidence.
 */
export function invalidIdentifierRecord(call: CliCall, problems: string[]): EvidenceRecord {
  return {
    ...call,
    source: 'offline',
    outcome: 'error',
    error: { code: 'InvalidIdentifier', message: `not read from the export: ${problems.join('; ')}` },
  };
}

function problemsOf(checks: Array<[keyof typeof IDENTIFIER_FORMATS, string]>): string[] {
  return checks.map(([kind, value]) => identifierProblem(kind, value)).filter((p): p is string => p !== undefined);
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
  const call = (operation: string, parameters: Record<string, string>, region: string): CliCall => ({
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
      readCliOutput(
        path.join(folder, 's3api'),
        'list-buckets',
        call('s3:ListBuckets', {}, 'us-east-1'),
        folder,
      ) as Promise<EvidenceRecord<ListBucketsOutput>>,
    bucketCall: async (
      operation: BucketOperation | BucketExtraOperation,
      bucket: string,
      region: string | undefined,
    ) => {
      const c = call(`s3:${operation}`, { Bucket: bucket }, region ?? 'us-east-1');
      const problems = problemsOf([['bucket', bucket]]);
      if (problems.length > 0) return invalidIdentifierRecord(c, problems);
      return readCliOutput(path.join(folder, 's3api', bucket), CLI_NAME[operation], c, folder);
    },
    listAliases: async (region: string) => {
      const c = call('kms:ListAliases', {}, region);
      const problems = problemsOf([['region', region]]);
      if (problems.length > 0) return invalidIdentifierRecord(c, problems) as EvidenceRecord<ListAliasesOutput>;
      return readCliOutput(path.join(folder, 'kms', region), 'list-aliases', c, folder) as Promise<
        EvidenceRecord<ListAliasesOutput>
      >;
    },
    keyCall: async (operation: KeyOperation | KeyExtraOperation, keyId: string, region: string) => {
      const ref = parseKeyReference(keyId);
      const owner = ref.account ?? account;
      const parameters: Record<string, string> = { KeyId: keyId };
      if (operation === 'GetKeyPolicy') parameters.PolicyName = 'default';
      const c = { ...call(`kms:${operation}`, parameters, region), account: owner };
      const problems = problemsOf([
        ['kmsKey', keyId],
        ['region', region],
        ['account', owner],
      ]);
      if (problems.length > 0) return invalidIdentifierRecord(c, problems);
      const base = owner !== account ? (args.otherExports?.get(owner) ?? folder) : folder;
      const folderName = ref.kind === 'key' ? ref.keyId : ref.aliasName.replace(/\//g, '_');
      return readCliOutput(path.join(base, 'kms', region, folderName), CLI_NAME[operation], c, base);
    },
    // s3express/<region>/list-directory-buckets.json, s3express/<region>/<bucket>/get-bucket-encryption.json, get-bucket-policy.json
    directoryCall: async (operation: DirectoryOperation, bucket: string | undefined, region: string) => {
      const c = call(`s3express:${operation}`, bucket === undefined ? {} : { Bucket: bucket }, region);
      const checks: Array<[keyof typeof IDENTIFIER_FORMATS, string]> = [['region', region]];
      if (bucket !== undefined) checks.push(['bucket', bucket]);
      const problems = problemsOf(checks);
      if (problems.length > 0) return invalidIdentifierRecord(c, problems);
      const at = path.join(folder, 's3express', region, ...(bucket === undefined ? [] : [bucket]));
      return readCliOutput(at, DIRECTORY_CLI_NAME[operation], c, folder);
    },
    // s3tables/<region>/list-table-buckets.json, s3tables/<region>/<table-bucket>/<command>.json,
    // s3tables/<region>/<table-bucket>/<namespace>/<table>/get-table-encryption.json
    tablesCall: async (operation: TablesOperation, parameters: TablesParameters, region: string) => {
      const c = call(`s3tables:${operation}`, { ...parameters }, region);
      const checks: Array<[keyof typeof IDENTIFIER_FORMATS, string]> = [['region', region]];
      let bucketName: string | undefined;
      if (parameters.tableBucketARN !== undefined) {
        bucketName = tableBucketName(parameters.tableBucketARN);
        checks.push(['tableBucket', bucketName ?? parameters.tableBucketARN]);
      }
      if (parameters.namespace !== undefined) checks.push(['tableName', parameters.namespace]);
      if (parameters.name !== undefined) checks.push(['tableName', parameters.name]);
      const problems = problemsOf(checks);
      if (problems.length > 0) return invalidIdentifierRecord(c, problems);
      const parts = [bucketName, parameters.namespace, parameters.name].filter((p): p is string => p !== undefined);
      return readCliOutput(path.join(folder, 's3tables', region, ...parts), TABLES_CLI_NAME[operation], c, folder);
    },
  };
}
