import { z } from 'zod';
import type { EvidenceRecord, FiledRecord } from './record.js';
import { copyWith } from '../util/copy-with.js';

/**
 * The one reading of every AWS answer the tool keeps, between collect and analyze: each answer is
 * checked against the shape AWS documents for its operation (API reference, "Response Syntax"), as
 * the AWS CLI prints it and the v3 SDK returns it once serialised to JSON. An answer that does not
 * fit is unreadable evidence naming its file, the field and what was expected; nothing that needs it
 * is judged. `{}`, `[]` or `null` where AWS always answers with a shape never reads as "empty".
 *
 * The schemas check what AWS guarantees and what this tool reads; other fields pass through untouched.
 */

const timestamp = z.union([z.string().min(1), z.number()], {
  error: 'expected a timestamp (ISO string or epoch seconds)',
});
const nonEmpty = z.string().min(1, 'expected a non-empty string');
/** A JSON policy document carried as a string (GetKeyPolicy, GetBucketPolicy). */
const jsonObjectText = nonEmpty.refine((text) => {
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  } catch {
    return false;
  }
}, 'expected a JSON policy document (an object) as a string');

const tag = z.object({ Key: z.string(), Value: z.string() });

// GetBucketLocation: null (CLI) or "" for us-east-1, "EU" for eu-west-1, else a region code.
const LOCATION_EXPECTED = 'expected null (us-east-1), "EU" or a region code';
const locationConstraint = z.union(
  [z.null(), z.literal(''), z.literal('EU'), z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, LOCATION_EXPECTED)],
  {
    error: LOCATION_EXPECTED,
  },
);

const S3_ANSWERS = {
  // The owner is in every answer, buckets or none: without it an empty list is no answer at all.
  's3:ListBuckets': z.object({
    Buckets: z.array(
      z.object({ Name: nonEmpty, CreationDate: timestamp.optional(), BucketRegion: z.string().optional() }),
    ),
    Owner: z.object({ ID: nonEmpty, DisplayName: z.string().optional() }),
  }),
  's3:GetBucketLocation': z.object({ LocationConstraint: locationConstraint }),
  // A bucket without tags is answered with the error NoSuchTagSet, never with an empty set.
  's3:GetBucketTagging': z.object({
    TagSet: z.array(tag).min(1, 'expected at least one tag (S3 answers NoSuchTagSet for a bucket without tags)'),
  }),
  's3:GetBucketEncryption': z.object({
    ServerSideEncryptionConfiguration: z.object({
      Rules: z
        .array(
          z.object({
            // Every bucket has default encryption since January 2023: a rule always says which.
            ApplyServerSideEncryptionByDefault: z.object({
              SSEAlgorithm: nonEmpty,
              KMSMasterKeyID: nonEmpty.optional(),
            }),
            BucketKeyEnabled: z.boolean().optional(),
            // Absent on buckets that accept every encryption type (API reference, BlockedEncryptionTypes).
            BlockedEncryptionTypes: z
              .object({ EncryptionType: z.array(z.enum(['SSE-C', 'NONE'])).optional() })
              .optional(),
          }),
        )
        .min(1, 'expected at least one rule'),
    }),
  }),
  // Whether the document itself parses is the policy analyzer's verdict ("unparsable", with its reason).
  's3:GetBucketPolicy': z.object({ Policy: nonEmpty }),
  's3:GetPublicAccessBlock': z.object({
    PublicAccessBlockConfiguration: z.object({
      BlockPublicAcls: z.boolean(),
      IgnorePublicAcls: z.boolean(),
      BlockPublicPolicy: z.boolean(),
      RestrictPublicBuckets: z.boolean(),
    }),
  }),
  's3:GetBucketPolicyStatus': z.object({ PolicyStatus: z.object({ IsPublic: z.boolean() }) }),
  // Logging off and versioning never enabled are answered with an empty body: `{}` is their shape.
  's3:GetBucketLogging': z.object({
    LoggingEnabled: z.object({ TargetBucket: nonEmpty, TargetPrefix: z.string() }).optional(),
  }),
  's3:GetBucketVersioning': z.object({
    Status: z.enum(['Enabled', 'Suspended']).optional(),
    MFADelete: z.enum(['Enabled', 'Disabled']).optional(),
  }),
  's3:ListBucketInventoryConfigurations': z.object({
    InventoryConfigurationList: z
      .array(
        z.object({
          Id: nonEmpty,
          IsEnabled: z.boolean(),
          Destination: z.object({
            S3BucketDestination: z.object({ Bucket: nonEmpty, Format: nonEmpty, Prefix: z.string().optional() }),
          }),
          OptionalFields: z.array(z.string()).optional(),
        }),
      )
      .optional(),
    IsTruncated: z.boolean().optional(),
  }),
  's3:GetObjectLockConfiguration': z.object({
    ObjectLockConfiguration: z.object({
      ObjectLockEnabled: z.literal('Enabled').optional(),
      Rule: z.object({}).optional(),
    }),
  }),
} as const;

/** A table bucket's or table's encryption: SSE-KMS always names its key (the answer is unreadable without one). */
const tableEncryption = z.object({
  encryptionConfiguration: z
    .object({ sseAlgorithm: z.enum(['AES256', 'aws:kms']), kmsKeyArn: nonEmpty.optional() })
    .refine((c) => c.sseAlgorithm !== 'aws:kms' || c.kmsKeyArn !== undefined, {
      error: 'expected kmsKeyArn with sseAlgorithm aws:kms',
      path: ['kmsKeyArn'],
    }),
});

/** S3 Tables (REST-JSON): every list is always sent, so a missing list is unreadable, never empty. */
const S3TABLES_ANSWERS = {
  's3tables:ListTableBuckets': z.object({
    tableBuckets: z.array(
      z.object({
        arn: nonEmpty.regex(
          /^arn:aws[-a-z0-9]*:s3tables:[-a-z0-9]+:\d{12}:bucket\/[a-z0-9_-]{3,63}$/,
          'expected a table bucket ARN',
        ),
        name: nonEmpty,
        ownerAccountId: z.string().optional(),
        createdAt: timestamp.optional(),
        tableBucketId: z.string().optional(),
        type: z.string().optional(),
      }),
    ),
  }),
  's3tables:GetTableBucketEncryption': tableEncryption,
  's3tables:ListNamespaces': z.object({
    namespaces: z.array(z.object({ namespace: z.array(nonEmpty).min(1) })),
  }),
  's3tables:ListTables': z.object({
    tables: z.array(
      z.object({
        namespace: z.array(nonEmpty).min(1),
        name: nonEmpty,
        tableARN: z.string().optional(),
        type: z.string().optional(),
      }),
    ),
  }),
  's3tables:GetTableEncryption': tableEncryption,
} as const;

/**
 * Directory buckets (S3 Express One Zone), read at the Regional s3express-control endpoint. The list is
 * always sent (`<Buckets/>` when empty, which the SDK reads as []): an answer without it is unreadable,
 * never "none in this region". Directory buckets encrypt with SSE-S3 or SSE-KMS only.
 */
const S3EXPRESS_ANSWERS = {
  's3express:ListDirectoryBuckets': z.object({
    Buckets: z.array(
      z.object({
        Name: nonEmpty.regex(/--x-s3$/, 'expected a directory bucket name (ending --x-s3)'),
        CreationDate: timestamp.optional(),
        BucketRegion: z.string().optional(),
      }),
    ),
  }),
  's3express:GetBucketEncryption': z.object({
    ServerSideEncryptionConfiguration: z.object({
      Rules: z
        .array(
          z.object({
            ApplyServerSideEncryptionByDefault: z.object({
              SSEAlgorithm: z.enum(['AES256', 'aws:kms'], {
                error: 'expected AES256 or aws:kms (the only encryption directory buckets support)',
              }),
              KMSMasterKeyID: nonEmpty.optional(),
            }),
            BucketKeyEnabled: z.boolean().optional(),
          }),
        )
        .min(1, 'expected at least one rule'),
    }),
  }),
  's3express:GetBucketPolicy': z.object({ Policy: nonEmpty }),
} as const;

const KMS_ANSWERS = {
  'kms:DescribeKey': z.object({
    KeyMetadata: z.object({
      KeyId: nonEmpty,
      Arn: nonEmpty.optional(),
      AWSAccountId: z.string().optional(),
      KeyManager: z.enum(['AWS', 'CUSTOMER']),
      KeyState: nonEmpty.optional(),
      Enabled: z.boolean().optional(),
      CreationDate: timestamp.optional(),
      DeletionDate: timestamp.optional(),
      Origin: z.enum(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']).optional(),
      ValidTo: timestamp.optional(),
      ExpirationModel: z.enum(['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE']).optional(),
      CustomKeyStoreId: nonEmpty.optional(),
      CloudHsmClusterId: nonEmpty.optional(),
      KeySpec: nonEmpty.optional(),
      MultiRegion: z.boolean().optional(),
      MultiRegionConfiguration: z
        .object({
          MultiRegionKeyType: z.enum(['PRIMARY', 'REPLICA']),
          PrimaryKey: z.object({ Arn: nonEmpty.optional(), Region: nonEmpty.optional() }).optional(),
        })
        .optional(),
    }),
  }),
  'kms:GetKeyRotationStatus': z.object({
    KeyRotationEnabled: z.boolean(),
    KeyId: z.string().optional(),
    RotationPeriodInDays: z.number().int().positive().optional(),
    NextRotationDate: timestamp.optional(),
    OnDemandRotationStartDate: timestamp.optional(),
  }),
  'kms:GetKeyPolicy': z.object({ Policy: jsonObjectText, PolicyName: z.string().optional() }),
  'kms:ListAliases': z.object({
    Aliases: z.array(
      z.object({ AliasName: nonEmpty, AliasArn: z.string().optional(), TargetKeyId: z.string().optional() }),
    ),
  }),
  'kms:ListResourceTags': z.object({ Tags: z.array(z.object({ TagKey: z.string(), TagValue: z.string() })) }),
} as const;

const CONFIG_ANSWERS = {
  'config:DescribeConfigurationRecorders': z.object({
    ConfigurationRecorders: z.array(
      z.object({
        name: z.string().optional(),
        roleARN: z.string().optional(),
        recordingGroup: z
          .object({
            allSupported: z.boolean().optional(),
            includeGlobalResourceTypes: z.boolean().optional(),
            resourceTypes: z.array(z.string()).optional(),
            exclusionByResourceTypes: z.object({ resourceTypes: z.array(z.string()).optional() }).optional(),
            recordingStrategy: z.object({ useOnly: z.string().optional() }).optional(),
          })
          .optional(),
      }),
    ),
  }),
  'config:DescribeConfigurationRecorderStatus': z.object({
    ConfigurationRecordersStatus: z.array(
      z.object({
        name: z.string().optional(),
        recording: z.boolean().optional(),
        lastStatus: z.string().optional(),
        lastStartTime: timestamp.optional(),
        lastStopTime: timestamp.optional(),
      }),
    ),
  }),
  'config:DescribeConfigRules': z.object({
    ConfigRules: z.array(
      z.object({
        ConfigRuleName: z.string().optional(),
        Source: z.object({ Owner: z.string().optional(), SourceIdentifier: z.string().optional() }).optional(),
        InputParameters: z.string().optional(),
        ConfigRuleState: z.string().optional(),
      }),
    ),
  }),
  'config:GetComplianceDetailsByConfigRule': z.object({
    EvaluationResults: z.array(
      z.object({
        EvaluationResultIdentifier: z
          .object({
            EvaluationResultQualifier: z
              .object({
                ConfigRuleName: z.string().optional(),
                ResourceType: z.string().optional(),
                ResourceId: z.string().optional(),
              })
              .optional(),
            OrderingTimestamp: timestamp.optional(),
          })
          .optional(),
        ComplianceType: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA']).optional(),
        ResultRecordedTime: timestamp.optional(),
        Annotation: z.string().optional(),
      }),
    ),
  }),
  'config:GetResourceConfigHistory': z.object({
    configurationItems: z.array(
      z.object({
        configurationItemCaptureTime: timestamp.optional(),
        configurationItemStatus: z.string().optional(),
        resourceType: z.string().optional(),
        resourceId: z.string().optional(),
        configuration: z.string().nullable().optional(),
        supplementaryConfiguration: z.record(z.string(), z.string()).optional(),
        relatedEvents: z.array(z.string()).optional(),
      }),
    ),
  }),
} as const;

/** STS answers are used at once (whose credentials, which account), not kept; they are read all the same. */
const STS_ANSWERS = {
  'sts:GetCallerIdentity': z.object({
    Account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
    Arn: nonEmpty,
    UserId: z.string().optional(),
  }),
  'sts:AssumeRole': z.object({
    Credentials: z.object({
      AccessKeyId: nonEmpty,
      SecretAccessKey: nonEmpty,
      SessionToken: nonEmpty,
      Expiration: timestamp,
    }),
    AssumedRoleUser: z.object({ AssumedRoleId: nonEmpty, Arn: nonEmpty }).optional(),
  }),
} as const;

/**
 * manifest.json as S3 Inventory writes it beside every report (S3 User Guide, "Inventory manifest").
 * A report always lists at least one data file: an empty list is no report, not "0 objects".
 */
export const INVENTORY_MANIFEST = z.object({
  sourceBucket: nonEmpty,
  destinationBucket: z.string().optional(),
  version: z.string().optional(),
  creationTimestamp: z.union([z.string(), z.number()]).optional(),
  fileFormat: nonEmpty,
  fileSchema: nonEmpty,
  files: z
    .array(
      z.object({
        key: nonEmpty,
        size: z.number().int().nonnegative(),
        MD5checksum: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected an MD5 hex digest'),
      }),
    )
    .min(1, 'expected at least one data file'),
});

/** The documented shape of every AWS answer the tool keeps, by "service:Operation". */
export const AWS_ANSWER_SHAPES: Readonly<Record<string, z.ZodType>> = {
  ...S3_ANSWERS,
  ...S3TABLES_ANSWERS,
  ...S3EXPRESS_ANSWERS,
  ...KMS_ANSWERS,
  ...CONFIG_ANSWERS,
  ...STS_ANSWERS,
};

/** The error code of an answer that does not fit its documented shape. */
export const UNREADABLE = 'UnreadableEvidence';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** "ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault" */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(the whole answer)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

const LISTED_ISSUES = 3;

/** "<field>: expected …, got …" for each place (the first few) `value` departs from `schema`; undefined when it fits. */
export function shapeProblem(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issues = parsed.error.issues;
  const described = issues.slice(0, LISTED_ISSUES).map((issue) => {
    const got = valueAt(value, issue.path);
    const expected =
      issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message.replace(/^Invalid input: /, '');
    return `${fieldPath(issue.path)}: ${expected}, got ${issue.path.length > 0 && got === undefined ? 'nothing' : typeName(got)}`;
  });
  if (issues.length > LISTED_ISSUES) described.push(`${issues.length - LISTED_ISSUES} more`);
  return described.join('; ');
}

/**
 * The record as analysis may use it: an `ok` answer that does not fit its operation's documented
 * shape becomes an `error` record (code UnreadableEvidence) whose message names the file and field;
 * its response is dropped so nothing downstream can read it. Refusals and failures pass unchanged.
 */
export function readAnswer<T>(record: FiledRecord): FiledRecord<T>;
export function readAnswer<T>(record: EvidenceRecord, file: string): EvidenceRecord<T>;
export function readAnswer<T>(record: EvidenceRecord & { file?: string }, file = record.file ?? ''): EvidenceRecord<T> {
  if (record.outcome !== 'ok') return record;
  const error = unreadableAnswer(record.operation, record.response, file);
  if (error === undefined) return record as EvidenceRecord<T>;
  const { response: _dropped, ...rest } = record;
  return { ...rest, outcome: 'error', error };
}

/**
 * The UnreadableEvidence error of an answer (as JSON carries it) that does not fit its operation's
 * documented shape, naming `where` it came from when given; undefined when it fits.
 */
export function unreadableAnswer(
  operation: string,
  response: unknown,
  where?: string,
): { code: string; message: string } | undefined {
  const schema = AWS_ANSWER_SHAPES[operation];
  const problem = schema ? shapeProblem(schema, response) : `no documented shape is known for ${operation}`;
  if (problem === undefined) return undefined;
  return {
    code: UNREADABLE,
    message: `${where ? `${where}: ` : ''}${operation} answer does not have the documented shape: ${problem}`,
  };
}

/** The envelope this tool writes around every answer (record.ts); a file that lacks it is not evidence. */
const recordEnvelope = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('ok'),
    operation: nonEmpty,
    account: z.string(),
    region: z.string(),
    response: z.unknown(),
  }),
  z.object({
    outcome: z.enum(['not_configured', 'access_denied', 'error']),
    operation: nonEmpty,
    account: z.string(),
    region: z.string(),
    error: z.object({ code: nonEmpty, message: z.string() }),
  }),
]);

/**
 * Reads a stored evidence record (already JSON-parsed) through its envelope and its answer's shape.
 * Returns a problem for a file that is not an evidence record at all.
 */
export function readStoredRecord<T>(value: unknown, file: string): { record: FiledRecord<T> } | { problem: string } {
  const envelope = shapeProblem(recordEnvelope, value);
  if (envelope !== undefined) return { problem: `${file}: not an evidence record: ${envelope}` };
  return { record: readAnswer<T>(copyWith(value as EvidenceRecord, { file })) };
}
