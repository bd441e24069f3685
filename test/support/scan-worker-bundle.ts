import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleModule } from './bundle-module.js';

/**
 * The scan worker entry as one ESM file, bundled from src/ with esbuild (dependencies stay
 * external), so tests run real worker threads without `npm run build`.
 */
export async function bundledScanWorker(): Promise<URL> {
  const dir = path.resolve('node_modules', '.cache', 's3e-scan-worker', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'scan-worker.mjs');
  await bundleModule(path.resolve('src', 'collect', 'workers', 'scan-worker.ts'), outfile);
  return pathToFileURL(outfile);
}
