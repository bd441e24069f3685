import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** A commented starter configuration; it validates as it stands (one tenant, one account). */
const STARTER_CONFIG = `# s3-evidence configuration. Every field is described in the README; this file validates as it is.
version: 1
# Named in every packet and manifest.
operator: Example Managed Services
# A4 or LETTER, for the one-page PDF.
pageSize: A4
# Zone of the default period (the previous full month) when a tenant has none.
timeZone: UTC
# Findings listed on the PDF before "and N more".
topFindings: 6

# Framework mappings each packet shows (controls page refs, one workbook sheet and one
# exports/compliance-<id>.csv each), unless a tenant lists its own. Ids of frameworks/*.yaml:
#   aws-fsbp-v1.0.0, cbc-aws-s3, cis-aws-foundations-v1.4.0, -v3.0.0, -v4.0.1, -v5.0.0, -v7.0.0,
#   hipaa-security-rule, iso-27001-2022, nist-800-53-r5, pci-dss-v4.0.1, soc2-tsc-2017
# One version per framework. Default: the current CIS, NIST 800-53 and SOC 2, as below.
frameworks: [cis-aws-foundations-v7.0.0, nist-800-53-r5, soc2-tsc-2017]

# Live collection manners (defaults suit accounts of 1,000+ buckets; see README "Live collection"):
# calls in flight per account, region and service; work side by side; attempts; timeout per attempt.
# collection:
#   concurrency: { s3: 64, kms: 16, sts: 2, config: 8, buckets: 256, keys: 64, configHistory: 16, inventory: 16, logFiles: 8 }
#   maxAttempts: 5
#   timeoutMs: 30000

# Optional: \`run --publish s3://bucket/prefix/\` uploads each packet with SSE-KMS under this key,
# a SHA-256 checksum per object and a conditional write that never overwrites. Uncomment to use.
# publish:
#   kmsKeyId: arn:aws:kms:eu-west-1:999900000000:key/REPLACE-WITH-KEY-ID
#   region: eu-west-1
#   objectLock: { mode: COMPLIANCE, days: 2555 }   # needs a bucket with Object Lock enabled

tenants:
  - id: example                 # lower-case letters, digits and dashes; names the output folder
    displayName: Example Tenant # shown on the PDF
    timeZone: Europe/Berlin     # the month is reported in this zone
    accounts:
      - id: "123456789012"
        # The role \`s3-evidence iam\` describes (CloudFormation: iam/reader-role.cfn.yaml), and the
        # external ID agreed with the tenant. Leave both out to read the caller's own account.
        roleArn: arn:aws:iam::123456789012:role/S3EvidenceReader
        externalId: REPLACE-WITH-EXTERNAL-ID
        regions: [eu-west-1]
        # offlineExport: ../exports/123456789012   # read an AWS CLI export instead of the API
    # Which buckets belong to the tenant: name globs, and tags a bucket must carry.
    buckets:
      include: ["*"]
      exclude: []
      tags: []
      # tags:
      #   - { key: tenant, value: example }
    # What each bucket must use; the strictest matching entry applies.
    expectations:
      - buckets: "*"
        requiredMode: SSE-KMS     # any, SSE-S3, SSE-KMS or DSSE-KMS
        allowedKmsKeys: []        # key ARNs; empty allows any key
    # Where AWS delivers the trees the tool reads (s3:// prefixes or local copies).
    # \`s3-evidence doctor\` checks each of them is configured and delivering.
    sources:
      inventory: []               # e.g. s3://example-inventory/inventory/
      accessLogs: []              # e.g. s3://example-logs/s3-access/
      cloudTrail: []              # e.g. s3://example-trail/AWSLogs/
      # inventoryMaxDaysAfterPeriod: 7   # a month's inventory report: the first begun after its end, within 7 days
    # Principals expected to use the tenant's keys; any other one seen in CloudTrail is flagged.
    keyPrincipals:
      expected: []
`;

export class FileExistsError extends UsageError {
  constructor(readonly file: string) {
    super(`${file} already exists; not overwriting it (move it away or choose another path)`);
    this.name = 'FileExistsError';
  }
}

/** Creates `file` with `content`, refusing (FileExistsError) when it already exists. */
export async function writeNewFile(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let fh;
  try {
    fh = await open(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(file);
    throw err;
  }
  try {
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
}

export async function writeStarterConfig(file: string): Promise<void> {
  await writeNewFile(file, STARTER_CONFIG);
}
