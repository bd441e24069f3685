export { loadExceptions, readExceptionsText, exceptionsFileFor,  } from './load.js';
export { parseExceptions, ExceptionsFileError,  type ExceptionsRegister,  } from './register.js';
export { applyExceptions,     } from './apply.js';
;
;
