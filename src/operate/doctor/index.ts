export { runDoctor, type DoctorArgs } from './run-doctor.js';
export { renderDoctor } from './render.js';
export { DOCTOR_IAM_ACTION } from './clients.js';
export { s3WriteCoverage, kmsCoverage, type TrailSelectors, type Coverage } from './trail-selectors.js';
export type { Check, CheckArea, CheckStatus, DoctorReport, TenantReadiness, AccountReadiness, ReadCall } from './readiness.js';
