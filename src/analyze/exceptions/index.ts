export { parseExceptions, ExceptionsFileError } from './register.js';
export { applyExceptions } from './apply.js';
