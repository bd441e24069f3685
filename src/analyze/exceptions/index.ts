export { loadExceptions, readExceptionsText, exceptionsFileFor } from './load.js';
export { parseExceptions, ExceptionsFileError } from './register.js';
export { applyExceptions } from './apply.js';
