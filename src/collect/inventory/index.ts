export { collectInventory } from './collect-inventory.js';
export { readUnencryptedCsv } from '../../evidence/unencrypted-csv.js';
