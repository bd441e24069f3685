export { collectInventory } from './collect-inventory.js';
export { readUnencryptedCsv } from '../../evidence/unencrypted-list.js';
