import { z } from 'zod';
import { IANAZone } from 'luxon';
import { FRAMEWORK_IDS, frameworkFamily } from './frameworks.js';

/** Where a tree of AWS-delivered objects lives: an S3 prefix or a local copy of it. */
const treeLocation = z
  .string()
  .min(1)
  .describe('an s3://bucket/prefix/ URL or a local folder');

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');
const timeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/Berlin or UTC');

const ENCRYPTION_MODES = ['SSE-S3', 'SSE-KMS', 'DSSE-KMS'] as const;

/**
 * Framework mappings the packet shows, in this order (ids of frameworks/*.yaml): no id twice and one
 * version per framework, so a reference such as "CIS 3.6" names one requirement.
 */
const frameworkSelection = z
  .array(z.enum(FRAMEWORK_IDS, { error: (issue) => `unknown framework "${String(issue.input)}"; known: ${FRAMEWORK_IDS.join(', ')}` }))
  .min(1)
  .superRefine((ids, ctx) => {
    const families = new Map<string, string>();
    ids.forEach((id, i) => {
      const family = frameworkFamily(id);
      const earlier = families.get(family);
      if (earlier === id) ctx.addIssue({ code: 'custom', path: [i], message: `framework "${id}" listed twice` });
      else if (earlier) ctx.addIssue({ code: 'custom', path: [i], message: `"${id}" and "${earlier}" are two versions of one framework; choose one` });
      families.set(family, id);
    });
  });

const expectation = z
  .object({
    /** Bucket name or glob (picomatch), e.g. "acme-prod-*". */
    buckets: z.string().min(1),
    requiredMode: z.enum(['any', ...ENCRYPTION_MODES]).default('any'),
    /** KMS key ARNs allowed as the bucket's default key; empty means any key. */
    allowedKmsKeys: z.array(z.string().startsWith('arn:')).default([]),
    /** SSE-C uploads are accepted on purpose: the SSE-C blocking control is not applicable to these buckets. */
    allowSseC: z.boolean().default(false),
  })
  .strict();

const tagFilter = z.object({ key: z.string().min(1), value: z.string().optional() }).strict();

const bucketSelection = z
  .object({
    include: z.array(z.string().min(1)).default(['*']),
    exclude: z.array(z.string().min(1)).default([]),
    /** A bucket must carry every one of these tags (value optional). */
    tags: z.array(tagFilter).default([]),
  })
  .strict();

const account = z
  .object({
    id: accountId,
    roleArn: z.string().startsWith('arn:').optional(),
    externalId: z.string().min(2).optional(),
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1')).min(1).default(['us-east-1']),
    /** Offline evidence: a folder in the documented AWS CLI export layout (see README). */
    offlineExport: z.string().min(1).optional(),
  })
  .strict();

/**
 * How a source's files are read: `local` (the default) streams them through this machine;
 * `athena` pushes the aggregation down to Amazon Athena, which reads the tree where it lies in S3.
 */
const athenaEngine = z
  .object({
    engine: z.literal('athena'),
    /** Athena workgroup the queries run in; its own scan limit (if set) applies too. */
    workgroup: z.string().regex(/^[a-zA-Z0-9._-]{1,128}$/, 'an Athena workgroup name'),
    /** Glue database the tool creates its tables in (created if absent). */
    database: z.string().regex(/^[a-z0-9_]{1,255}$/, 'a Glue database name: lower-case letters, digits, underscores'),
    /** Where Athena writes query results: an s3:// URL. */
    resultsLocation: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an s3://bucket/prefix/ URL'),
    /** Region Athena runs in; default the first region of the account. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1').optional(),
    /** Account (of the tenant's accounts) whose role runs the queries; default the first account. */
    account: accountId.optional(),
    /** A query may scan at most this many bytes (BytesScannedCutoffPerQuery); past it, the evidence is unreadable. */
    scanLimitBytes: z.number().int().min(10_000_000).optional(),
  })
  .strict();

const sourceEngine = z.discriminatedUnion('engine', [z.object({ engine: z.literal('local') }).strict(), athenaEngine]);

const evidenceSources = z
  .object({
    /** Per source, the engine that reads it; every source not named here is read locally. */
    engines: z
      .object({
        inventory: sourceEngine.optional(),
        accessLogs: sourceEngine.optional(),
        cloudTrail: sourceEngine.optional(),
      })
      .strict()
      .optional(),
    inventory: z.array(treeLocation).default([]),
    accessLogs: z.array(treeLocation).default([]),
    cloudTrail: z.array(treeLocation).default([]),
    /** Live runs: also read KMS events with CloudTrail LookupEvents in every account and region (default false). */
    cloudTrailLookup: z.boolean().optional(),
    /**
     * An inventory report describes a month when S3 began it at or after the month's end and at
     * most this many days later (default DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD); any other is stale.
     */
    inventoryMaxDaysAfterPeriod: z.number().int().min(0).max(31).optional(),
    /**
     * Per access-log or CloudTrail location, the denied uploads itemised (default
     * DEFAULT_MAX_DENIED_UPLOADS, evidence/log-scans.ts); past it they are counted only, and the packet says so.
     */
    maxDeniedUploads: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();

/** Days after a period's end within which an inventory report still describes it: a weekly report always falls inside. */
export const DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD = 7;

export const tenantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    displayName: z.string().min(1),
    timeZone: timeZone.default('UTC'),
    accounts: z.array(account).min(1),
    buckets: bucketSelection.default({ include: ['*'], exclude: [], tags: [] }),
    expectations: z.array(expectation).default([]),
    sources: evidenceSources.default({ inventory: [], accessLogs: [], cloudTrail: [] }),
    /** Extra customer-managed keys to report on, beyond those the buckets use. */
    kmsKeys: z.array(z.string().startsWith('arn:')).default([]),
    /**
     * Principals expected to use the tenant's keys (globs: role/user ARNs, service names such as
     * s3.amazonaws.com, account:<id>). Any other principal seen in CloudTrail is flagged.
     */
    keyPrincipals: z
      .object({
        expected: z.array(z.string().min(1)).default([]),
        perKey: z.record(z.string().startsWith('arn:'), z.array(z.string().min(1))).default({}),
      })
      .strict()
      .default({ expected: [], perKey: {} }),
    /** AWS Config rule names to report beside the managed rules found by identifier (names are user-chosen). */
    awsConfigRules: z.array(z.string().min(1)).optional(),
    /** Framework mappings this tenant's packet shows; default the configuration's `frameworks`. */
    frameworks: frameworkSelection.optional(),
  })
  .strict();

const positive = (max: number) => z.number().int().min(1).max(max).optional();

const collectionSchema = z
  .object({
    concurrency: z
      .object({
        s3: positive(512),
        kms: positive(256),
        sts: positive(16),
        config: positive(64),
        buckets: positive(10_000),
        keys: positive(1_000),
        configHistory: positive(256),
        inventory: positive(256),
        logFiles: positive(64),
        /** Tenants collected side by side in one run (each still bound by the limits above). */
        tenants: positive(256),
      })
      .strict()
      .optional(),
    maxAttempts: positive(20),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();

/** An environment variable's name: secrets (webhook URLs, SMTP passwords) are never written in the file. */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable (the secret itself is never in this file)');

/** Which summaries a destination receives: one per tenant packet, the period's portfolio, or both. */
const deliverySend = z.enum(['tenants', 'portfolio', 'both']).default('tenants');

const deliveryCommon = {
  /** Names the destination in the terminal, --json and deliveries.json (never its URL or address list). */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  send: deliverySend,
  /** Only these tenants (default: every tenant of the run). */
  tenants: z.array(z.string().min(1)).optional(),
  /** A PEM file of certificate authorities to trust for this destination, besides the system's (relative to this file). */
  caFile: z.string().min(1).optional(),
};

const webhookDestination = z
  .object({
    ...deliveryCommon,
    type: z.literal('webhook'),
    /** slack: Slack incoming webhook; teams: Teams Workflows webhook (Adaptive Card); json: the summary as it is. */
    format: z.enum(['slack', 'teams', 'json']),
    /** Environment variable holding the https:// URL (a Slack or Teams webhook URL is itself a secret). */
    urlEnv: envName,
  })
  .strict();

const emailDestination = z
  .object({
    ...deliveryCommon,
    type: z.literal('email'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
    /** starttls: upgrade required (port 587); implicit: TLS from the first byte (465); none: a local relay only. */
    tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
    userEnv: envName.optional(),
    passwordEnv: envName.optional(),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  })
  .strict()
  .refine((d) => (d.userEnv === undefined) === (d.passwordEnv === undefined), {
    error: 'userEnv and passwordEnv go together',
    path: ['passwordEnv'],
  });

const deliveriesSchema = z
  .object({
    /** Links in summaries: <linkBase><period>/<tenant>/<file>; without it, paths relative to the output folder. */
    linkBase: z.url().optional(),
    /** Attempts per destination (transient failures only: timeouts, refused connections, HTTP 429/5xx, SMTP 4xx). */
    attempts: z.number().int().min(1).max(10).default(3),
    /** Time allowed for one attempt. */
    timeoutMs: z.number().int().min(100).max(300_000).default(15_000),
    destinations: z.array(z.discriminatedUnion('type', [webhookDestination, emailDestination])).min(1),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.destinations.forEach((x, i) => {
      if (seen.has(x.id))
        ctx.addIssue({ code: 'custom', path: ['destinations', i, 'id'], message: `duplicate destination id "${x.id}"` });
      seen.add(x.id);
    });
  });

export const configSchema = z
  .object({
    version: z.literal(1),
    operator: z.string().min(1).default('s3-evidence'),
    pageSize: z.enum(['A4', 'LETTER']).default('A4'),
    /** Time zone used for the default period when a tenant has none. */
    timeZone: timeZone.default('UTC'),
    /** Approved baselines, one folder per tenant (written only by `s3-evidence baseline approve`). */
    baselineDir: z.string().min(1).default('baseline'),
    /** Exceptions registers, one `<tenant>.yaml` per tenant. */
    exceptionsDir: z.string().min(1).default('exceptions'),
    /** Framework mappings every tenant's packet shows unless the tenant names its own; default DEFAULT_FRAMEWORKS. */
    frameworks: frameworkSelection.optional(),
    /** How many findings the one-page PDF lists before "and N more". */
    topFindings: z.number().int().min(1).max(12).default(6),
    /**
     * Live collection manners: calls in flight per account, region and service (s3, kms, sts,
     * config); work items side by side (buckets, keys, configHistory, inventory, logFiles); attempts
     * per call; timeout per attempt. Unset values take the defaults in src/collect/live/options.ts.
     */
    collection: collectionSchema.default({}),
    /** `run --publish s3://…`: SSE-KMS key for every uploaded object, optional Object Lock retention. */
    publish: z
      .object({
        kmsKeyId: z.string().min(1),
        /** Region of the publishing bucket; default: the collection's default region. */
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1').optional(),
        objectLock: z.object({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), days: z.number().int().min(1).max(36_500) }).strict().optional(),
      })
      .strict()
      .optional(),
    /** Where each run's summaries go after the packets are sealed (webhooks, e-mail); see README "Deliveries". */
    deliveries: deliveriesSchema.optional(),
    tenants: z.array(tenantSchema).min(1),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    cfg.deliveries?.destinations.forEach((d, i) => {
      for (const t of d.tenants ?? [])
        if (!cfg.tenants.some((x) => x.id === t))
          ctx.addIssue({
            code: 'custom',
            path: ['deliveries', 'destinations', i, 'tenants'],
            message: `unknown tenant "${t}"`,
          });
    });
    const seen = new Set<string>();
    cfg.tenants.forEach((t, i) => {
      if (seen.has(t.id)) {
        ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message: `duplicate tenant id "${t.id}"` });
      }
      seen.add(t.id);
    });
  });

export type Config = z.infer<typeof configSchema> & {
  /** The configuration file's folder (absolute), set by the loader: locations are recorded relative to it. */
  configDir?: string;
};
export type TenantConfig = z.infer<typeof tenantSchema>;
export type CollectionConfig = z.infer<typeof collectionSchema>;
export type DeliveriesConfig = z.infer<typeof deliveriesSchema>;
export type DeliveryDestination = DeliveriesConfig['destinations'][number];
export type AccountConfig = TenantConfig['accounts'][number];
export type BucketSelection = TenantConfig['buckets'];
export type AthenaEngineConfig = z.infer<typeof athenaEngine>;
