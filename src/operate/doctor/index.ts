export { runDoctor } from './run-doctor.js';
export { renderDoctor } from './render.js';
export { DOCTOR_IAM_ACTION } from './clients.js';
export type { Check, DoctorReport } from './readiness.js';
