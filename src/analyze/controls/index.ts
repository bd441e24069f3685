import type { Control } from './control.js';
import { control as defaultEncryptionEnabled } from './s3-default-encryption-enabled/control.js';
import { control as defaultEncryptionMatches } from './s3-default-encryption-matches-expectation/control.js';
import { control as objectsEncrypted } from './s3-objects-encrypted/control.js';
import { control as deniesUnencryptedUploads } from './s3-policy-denies-unencrypted-uploads/control.js';
import { control as deniesInsecureTransport } from './s3-policy-denies-insecure-transport/control.js';
import { control as sseCUploadsBlocked } from './s3-sse-c-uploads-blocked/control.js';
import { control as tableKeysAllowMaintenance } from './s3tables-kms-key-allows-maintenance/control.js';
import { control as directoryEncryptionMatches } from './s3express-default-encryption-matches-expectation/control.js';
import { control as customerKeysRotate } from './kms-customer-keys-rotate/control.js';

/** Every control, in the order the packet lists them. A test checks each folder is listed here. */
export const CONTROLS: readonly Control[] = [
  defaultEncryptionEnabled,
  defaultEncryptionMatches,
  objectsEncrypted,
  deniesUnencryptedUploads,
  deniesInsecureTransport,
  sseCUploadsBlocked,
  directoryEncryptionMatches,
  customerKeysRotate,
  tableKeysAllowMaintenance,
];
