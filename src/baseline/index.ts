export {
  snapshotFromEvidence,
  SNAPSHOT_VERSION,
  type BaselineSnapshot,
  type BucketSnapshot,
  type KeySnapshot,
  type EncryptionSnapshot,
  type PolicySnapshot,
  type PublicAccessBlockSnapshot,
  type RotationSnapshot,
  type Unreadable,
} from './snapshot.js';
export {
  baselineStore,
  parseStoredBaseline,
  versionFileName,
  BaselineExistsError,
  BaselineFileError,
  BASELINE_FORMAT_VERSION,
  type ApproveArgs,
  type BaselineBackend,
  type BaselineStore,
  type BaselineSummary,
  type StoredBaseline,
} from './store.js';
export { folderBackend, defaultBaselineDir } from './folder-backend.js';
export { evidenceHashOf, evidenceListHash, type EvidenceHash } from './evidence-hash.js';
