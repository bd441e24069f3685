/**
 * The one-call-at-a-time baseline, as a process of its own: the calls the aws-samples S3 encryption
 * audit script makes for one account, one after another with the SDK's defaults: assume the role,
 * list buckets, then per bucket its location and its default encryption, then DescribeKey once per
 * key ARN the buckets name (a key named by alias or bare key id is not described: the script drops
 * those buckets). argv: endpoint URL. Prints {seconds, calls, buckets, bucketsReported} as JSON.
 */
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  ListBucketsCommand,
  S3Client,
  type Bucket,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CALLER, CALLER_SECRET, EXTERNAL_ID, ROLE_ARN } from './scenario.js';

const endpoint = process.argv[2]!;
const started = performance.now();
let calls = 0;
const counted = async <T>(p: Promise<T>): Promise<T> => {
  calls++;
  return p;
};

const sts = new STSClient({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER_SECRET },
});
const assumed = await counted(
  sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'baseline', ExternalId: EXTERNAL_ID })),
);
const credentials = {
  accessKeyId: assumed.Credentials!.AccessKeyId!,
  secretAccessKey: assumed.Credentials!.SecretAccessKey!,
  sessionToken: assumed.Credentials!.SessionToken!,
};
const s3Clients = new Map<string, S3Client>();
const s3 = (region: string) => {
  let c = s3Clients.get(region);
  if (!c) s3Clients.set(region, (c = new S3Client({ region, endpoint, credentials, forcePathStyle: true })));
  return c;
};
const kmsClients = new Map<string, KMSClient>();
const kms = (region: string) => {
  let c = kmsClients.get(region);
  if (!c) kmsClients.set(region, (c = new KMSClient({ region, endpoint, credentials })));
  return c;
};

const buckets: Bucket[] = [];
let token: string | undefined;
do {
  const page = await counted(
    s3('us-east-1').send(new ListBucketsCommand({ ContinuationToken: token, MaxBuckets: 1000 })),
  );
  buckets.push(...(page.Buckets ?? []));
  token = page.ContinuationToken;
} while (token);

const keyArns = new Set<string>();
let reported = 0;
for (const b of buckets) {
  let region = 'us-east-1';
  try {
    const loc = await counted(s3('us-east-1').send(new GetBucketLocationCommand({ Bucket: b.Name })));
    region = loc.LocationConstraint || 'us-east-1';
  } catch {
    // the script prints the error and goes on
  }
  try {
    const enc = await counted(s3(region).send(new GetBucketEncryptionCommand({ Bucket: b.Name })));
    const rule = enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    const key = rule?.KMSMasterKeyID;
    if (!key) reported++;
    else if (key.startsWith('arn:')) {
      keyArns.add(key);
      reported++;
    }
  } catch {
    // AccessDenied and the like: the bucket is left out of the report
  }
}
for (const arn of keyArns) {
  try {
    await counted(kms(arn.split(':')[3]!).send(new DescribeKeyCommand({ KeyId: arn })));
  } catch {
    // left out
  }
}
process.stdout.write(
  `${JSON.stringify({ seconds: (performance.now() - started) / 1000, calls, buckets: buckets.length, bucketsReported: reported })}\n`,
);
for (const c of [sts, ...s3Clients.values(), ...kmsClients.values()]) c.destroy();
