/** AWS Config evidence: recorder state, covered managed rules' verdicts, configuration history. */
export { hasNoRecorder } from '../../evidence/aws-config-no-recorder.js';
export { collectAwsConfig, configKeyId } from './collect-aws-config.js';
export { CONFIG_EXPORT_DIR, hasConfigExport, offlineConfigSource } from './offline-config-source.js';
export { CONFIG_IAM_ACTION, type AwsConfigSource } from './source.js';
export * from '../../evidence/aws-config-shapes.js';
