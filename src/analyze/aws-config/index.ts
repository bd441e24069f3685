/** AWS Config as a second opinion: recorder state, managed-rule verdicts beside ours, configuration history. Pure. */
export { awsConfigSection } from './section.js';
export { agreementOf } from './compliance.js';
export { changedAttributes } from './history.js';
export { records } from './recorders.js';
