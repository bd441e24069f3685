/**
 * The SDK's own floor, as a process of its own: the bare AWS SDK making only the per-bucket S3 reads
 * and per-key KMS reads that a `run` of the same account makes (the same operations, the same client
 * settings from the tool's own client factory, the same default calls in flight per service and
 * region), with nothing else: no listing, no AWS Config, no recording, hashing, analysis or render.
 * A run makes these calls and more, so it cannot take less time than this on the same machine; the
 * product bench prints the speed-up this floor allows beside the run's. argv: endpoint URL, buckets,
 * keys. Prints {seconds, cpuSeconds, calls} as JSON.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketInventoryConfigurationsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { kmsClientFor, s3ClientFor, stsClientFor } from '../../src/collect/live/clients.js';
import { resolveLiveOptions } from '../../src/collect/live/options.js';
import { ACCOUNT, CALLER, CALLER_SECRET, EXTERNAL_ID, ROLE_ARN, benchScenario } from './scenario.js';

const [endpoint, buckets, keys] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const opts = resolveLiveOptions({ endpoint });
const scenario = benchScenario({ buckets, keys, latencyMs: 0 });
const account = scenario.accounts[0]!;

const sts = stsClientFor(opts, 'us-east-1', async () => ({
  accessKeyId: CALLER.accessKeyId,
  secretAccessKey: CALLER_SECRET,
}));
const assumed = await sts.send(
  new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'sdk-floor', ExternalId: EXTERNAL_ID }),
);
const credentials = async () => ({
  accessKeyId: assumed.Credentials!.AccessKeyId!,
  secretAccessKey: assumed.Credentials!.SecretAccessKey!,
  sessionToken: assumed.Credentials!.SessionToken!,
});

const BUCKET_READS: Array<(c: S3Client, Bucket: string) => Promise<unknown>> = [
  (c, Bucket) => c.send(new GetBucketTaggingCommand({ Bucket })),
  (c, Bucket) => c.send(new GetBucketEncryptionCommand({ Bucket })),
  (c, Bucket) => c.send(new GetBucketPolicyCommand({ Bucket })),
  (c, Bucket) => c.send(new GetPublicAccessBlockCommand({ Bucket })),
  (c, Bucket) => c.send(new GetBucketPolicyStatusCommand({ Bucket })),
  (c, Bucket) => c.send(new GetBucketLoggingCommand({ Bucket })),
  (c, Bucket) => c.send(new GetBucketVersioningCommand({ Bucket })),
  (c, Bucket) => c.send(new GetObjectLockConfigurationCommand({ Bucket })),
  (c, Bucket) => c.send(new ListBucketInventoryConfigurationsCommand({ Bucket })),
];
const KEY_READS: Array<(c: KMSClient, KeyId: string) => Promise<unknown>> = [
  (c, KeyId) => c.send(new DescribeKeyCommand({ KeyId })),
  (c, KeyId) => c.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' })),
  (c, KeyId) => c.send(new GetKeyRotationStatusCommand({ KeyId })),
  (c, KeyId) => c.send(new ListResourceTagsCommand({ KeyId })),
];

/** One client and one bound on calls in flight per service and region, as a run has. */
function perRegion<C>(make: (region: string) => C, limit: number) {
  const made = new Map<string, { client: C; slot: ReturnType<typeof pLimit> }>();
  return (region: string) => {
    let r = made.get(region);
    if (!r) made.set(region, (r = { client: make(region), slot: pLimit(limit) }));
    return r;
  };
}
const s3 = perRegion<S3Client>((region) => s3ClientFor(opts, region, credentials), opts.limits.s3);
const kms = perRegion<KMSClient>((region) => kmsClientFor(opts, region, credentials), opts.limits.kms);

let calls = 0;
// Every answer is taken as it comes (AccessDenied and "not configured" included): what is measured is the calls.
const answered = (p: Promise<unknown>) =>
  p.then(
    () => calls++,
    () => calls++,
  );

const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all([
  ...account.buckets.flatMap((b) => {
    const { client, slot } = s3(b.region);
    return BUCKET_READS.map((read) => slot(() => answered(read(client, b.name))));
  }),
  ...account.keys!.flatMap((k) => {
    const { client, slot } = kms(k.region);
    const KeyId = `arn:aws:kms:${k.region}:${ACCOUNT}:key/${k.id}`;
    return KEY_READS.map((read) => slot(() => answered(read(client, KeyId))));
  }),
]);
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, calls })}\n`,
);
