/** `s3-evidence demo`: the bundled demo evidence generated, September approved as baseline, October's packets made. */
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { prepareDemoHistory } from '../../demo/demo-history.js';
import { DEMO_PERIOD, DEMO_PREVIOUS_PERIOD, demoExportedAt } from '../../demo/generate-demo.js';
import { projectRoot } from '../../project-root.js';
import { EXIT } from '../exit-codes.js';
import { progressOutput, type ProgressMode } from '../progress-output.js';
import { runCommand } from './run.js';

export interface DemoOptions {
  out: string;
  json?: boolean;
  strict?: boolean;
  progress?: ProgressMode;
  quiet?: boolean;
}

export async function demoCommand(opts: DemoOptions): Promise<number> {
  const root = projectRoot();
  const exportsDir = path.join(root, 'output', 'demo-export');
  const configFile = path.join(root, 'config', 'demo.yaml');
  const loaded = await loadConfig(configFile);
  // One progress display for the preparation (September's packets) and October's run.
  const progress = progressOutput(opts.quiet ? 'none' : (opts.progress ?? 'auto'));
  await prepareDemoHistory({
    config: loaded.config,
    configSha256: loaded.sha256,
    exportsDir,
    outDir: path.resolve(opts.out),
    ...(progress ? { onProgress: progress.sink } : {}),
  });
  const code = await runCommand({
    config: configFile,
    period: DEMO_PERIOD,
    out: opts.out,
    now: new Date(demoExportedAt(DEMO_PERIOD)),
    ...(opts.json ? { json: true } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
    ...(progress ? { progressOutput: progress } : { progress: 'none' }),
    // The demo's incompleteness is its point; only a real failure (or --strict) makes it exit non-zero.
    exitPolicy: (c) => (opts.strict || c !== EXIT.incomplete ? c : EXIT.complete),
  });
  if (!opts.json && !opts.quiet) {
    process.stdout.write(
      `\nDemo packets written under ${path.resolve(opts.out, DEMO_PERIOD)} (offline evidence generated in ${exportsDir};\n`,
    );
    process.stdout.write(
      `September's packets in ${path.resolve(opts.out, DEMO_PREVIOUS_PERIOD)} were approved as each tenant's baseline).\n`,
    );
    process.stdout.write(
      'globex is incomplete on purpose: `run` would exit 3 for it; the demo exits 0 once every packet is rendered (--strict: exit as `run`).\n',
    );
  }
  return code;
}
