export {
  baselineStore,
  versionFileName,
  BaselineExistsError,
  BaselineFileError,
  type BaselineBackend,
  type BaselineStore,
} from './store.js';
export { folderBackend, defaultBaselineDir } from './folder-backend.js';
