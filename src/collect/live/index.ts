/** Live collection from AWS: credentials, per-account sources, clients for trees. */
export { liveSources, treeS3Client, type LiveSetup } from './live-sources.js';
export { liveOptionsFromConfig, resolveLiveOptions, type CallSlots, type LiveOptions } from './options.js';
