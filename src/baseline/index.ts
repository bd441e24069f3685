export {
  snapshotFromEvidence,
  
  
  
  
  
  
  
  
  
} from './snapshot.js';
export {
  baselineStore,
  
  versionFileName,
  BaselineExistsError,
  BaselineFileError,
  
  
  type BaselineBackend,
  type BaselineStore,
  
  type StoredBaseline,
} from './store.js';
export { folderBackend, defaultBaselineDir } from './folder-backend.js';
;
