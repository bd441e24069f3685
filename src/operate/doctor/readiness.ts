/** What `s3-evidence doctor` reports: per tenant and account, checks that are ok, gaps (with their fix) or unknown. */

/** skipped: not checked (an offline export): never counted as ready, since nothing was confirmed. */
type CheckStatus = 'ok' | 'gap' | 'unknown' | 'skipped';

type CheckArea = 'role' | 'read' | 'inventory' | 'access-logs' | 'trail-s3-data' | 'trail-kms' | 'config';

export interface Check {
  area: CheckArea;
  /** "account 111111111111", "bucket acme-data", "region eu-west-1", "s3:GetBucketPolicy on acme-data". */
  scope: string;
  status: CheckStatus;
  detail: string;
  /** The AWS CLI commands that close the gap, in order; the tool itself never runs them. */
  fix?: string[];
}

export interface ReadCall {
  /** e.g. "s3:GetBucketEncryption" */
  operation: string;
  scope: string;
  outcome: 'ok' | 'not_configured' | 'access_denied' | 'error';
  errorCode?: string;
}

export interface AccountReadiness {
  account: string;
  roleArn?: string;
  /** The identity the checks ran as (sts:GetCallerIdentity after assuming the role). */
  identity?: string;
  ready: boolean;
  checks: Check[];
  calls: ReadCall[];
}

export interface TenantReadiness {
  tenant: string;
  ready: boolean;
  accounts: AccountReadiness[];
}

export interface DoctorReport {
  tool: { name: string; version: string };
  checkedAt: string;
  caller?: { arn: string; account: string };
  ready: boolean;
  tenants: TenantReadiness[];
}

/** Unknown and skipped are not ready: what was not confirmed is never green. */
export function isReady(checks: Check[]): boolean {
  return checks.every((c) => c.status === 'ok');
}
