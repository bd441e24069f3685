export { loadExceptions, readExceptionsText, exceptionsFileFor, DEFAULT_EXCEPTIONS_DIR } from './load.js';
export { parseExceptions, ExceptionsFileError, type ExceptionEntry, type ExceptionsRegister, type RegisterEntry } from './register.js';
export { applyExceptions, EXPIRING_WITHIN_DAYS, REGISTER_CONTROL_ID, type AppliedExceptions, type ApplyOptions } from './apply.js';
export { daysLeft, localDate } from './dates.js';
export type { ExceptionFinding, ExceptionRow, ExceptionScope, ExceptionsSection, ExceptionStatus } from '../../model/governance-sections.js';
