/** AWS Config as a second opinion: recorder state, managed-rule verdicts beside ours, configuration history. Pure. */
export { awsConfigSection, type AwsConfigInput, type AwsConfigResult } from './section.js';
export { agreementOf } from './compliance.js';
export { attributeLabel, changedAttributes, changesInPeriod } from './history.js';
export { records } from './recorders.js';
export { RULE_CONTROLS } from './rule-controls.js';
