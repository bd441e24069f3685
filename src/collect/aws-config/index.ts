/** AWS Config evidence: recorder state, covered managed rules' verdicts, configuration history. */
export { hasNoRecorder } from './no-recorder.js';
export { collectAwsConfig, historyTargets, rulesToRead, type CollectAwsConfigArgs } from './collect-aws-config.js';
export { liveConfigSource, type LiveConfigSourceArgs } from './live-config-source.js';
export { CONFIG_EXPORT_DIR, hasConfigExport, offlineConfigSource, resourceTypeFolder } from './offline-config-source.js';
export { CONFIG_IAM_ACTION, CONFIG_OPERATIONS, REQUESTED_COMPLIANCE_TYPES, type AwsConfigSource, type ConfigOperation, type HistoryWindow } from './source.js';
export * from './shapes.js';
