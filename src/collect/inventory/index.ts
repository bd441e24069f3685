export { collectInventory, type CollectInventoryArgs } from './collect-inventory.js';
export { readUnencryptedCsv, UNENCRYPTED_CSV_HEADER, type UnencryptedRow } from './unencrypted-csv.js';
export { decodeInventoryKey } from './tally.js';
