import { build } from 'esbuild';

/**
 * Bundles one source module (a path from the project root) into a single ESM file for Node, its npm
 * dependencies left external, so a test can run it as a process or thread of its own without
 * `npm run build`. Put `outfile` under node_modules/.cache/ for the module to find the project root
 * (package.json) and its packages from there as it does from dist/.
 */
export async function bundleModule(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
}
