/** Live collection from AWS: credentials, per-account sources, clients for trees, progress. */
export { liveSources, treeS3Client, type AccountIdentity, type LiveSetup } from './live-sources.js';
export { liveAccountSource, type LiveAccountSourceArgs } from './live-source.js';
export { DEFAULT_LIMITS, DEFAULT_WORK, liveOptionsFromConfig, resolveLiveOptions, type LiveOptions, type LiveService, type ResolvedLiveOptions, type ServiceLimits, type WorkLimits } from './options.js';
export { progressReporter } from './progress.js';
export { roleSessionName } from './credentials.js';
export { KmsEventLookup, LOOKUP_EVENTS_PER_SECOND, type LookupAccount } from './kms-lookup.js';
export { paceClient, RequestPacer } from './request-pacer.js';
