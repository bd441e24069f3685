/**
 * The permissions engine: athena needs, for the identity that runs the queries (the reader role of
 * the account named by the engine's `account`), kept in step with the calls by
 * test/iam/athena-policy-in-step.test.ts. They are not read-only in the strict sense: Athena writes
 * query results to the results location, and the tool creates a Glue database and tables. Neither
 * touches the tenant's data; both are scoped to the configured workgroup, database and results bucket.
 */

/** Athena API operation → IAM action. */
export const ATHENA_IAM_ACTION: Readonly<Record<string, string>> = {
  StartQueryExecution: 'athena:StartQueryExecution',
  GetQueryExecution: 'athena:GetQueryExecution',
  GetQueryResults: 'athena:GetQueryResults',
  StopQueryExecution: 'athena:StopQueryExecution',
};

/** Glue Data Catalog actions Athena checks for a statement the engine sends (CREATE DATABASE, CREATE EXTERNAL TABLE, a query). */
export function glueActionsFor(sql: string): string[] {
  if (/^\s*CREATE DATABASE/i.test(sql)) return ['glue:CreateDatabase', 'glue:GetDatabase'];
  if (/^\s*CREATE EXTERNAL TABLE/i.test(sql)) return ['glue:CreateTable', 'glue:GetDatabase', 'glue:GetTable'];
  return ['glue:GetDatabase', 'glue:GetTable'];
}

/** What Athena does in the results location with the caller's permissions: write results, read them back, clean up uploads. */
export const RESULTS_S3_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
  's3:PutObject',
] as const;
