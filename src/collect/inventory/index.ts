export { collectInventory,  } from './collect-inventory.js';
export { readUnencryptedCsv,   } from './unencrypted-csv.js';
;
