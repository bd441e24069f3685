import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * `--help`, `--version` and a usage mistake must not load the AWS SDK, the renderers or the
 * configuration schema (they did: 110 MB and most of a second for `--help`). esbuild's metafile gives
 * the import graph independently of the code under test; from src/cli/main.ts, only static imports
 * are followed, as Node loads them before the first line runs.
 */
let graph: Metafile;

beforeAll(async () => {
  const result = await build({
    entryPoints: [path.resolve('src', 'cli', 'main.ts'), path.resolve('src', 'collect', 'workers', 'scan-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    outdir: 'unused',
    logLevel: 'silent',
  });
  graph = result.metafile;
}, 60_000);

function loadedAtStart(entry = 'src/cli/main.ts'): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const edge of graph.inputs[file]?.imports ?? []) {
      if (edge.kind !== 'import-statement') continue;
      if (edge.external) {
        if (!edge.path.startsWith('node:'))
          packages.add(
            edge.path
              .split('/')
              .slice(0, edge.path.startsWith('@') ? 2 : 1)
              .join('/'),
          );
      } else pending.push(edge.path);
    }
  }
  return { modules, packages };
}

describe('the command line loads an action only when it runs', () => {
  it('at start: commander, cli-progress and the declarations, no AWS SDK, renderer, workbook or configuration schema', () => {
    const { modules, packages } = loadedAtStart();
    // cli-progress comes with --progress's parser (progress-output.ts); it is small and loads nothing else.
    expect([...packages].sort()).toEqual(['cli-progress', 'commander']);
    expect(modules).toContain('src/cli/program.ts');
    expect(modules).toContain('src/cli/operate-commands.ts');
    const heavy = [...modules].filter((m) =>
      /^src\/(collect|pipeline|render|analyze|evidence|operate)\/|^src\/config\/load\.ts$/.test(m),
    );
    expect(heavy).toEqual([]);
  });

  it('each command reaches its action through a dynamic import', () => {
    const dynamic = new Set(
      Object.entries(graph.inputs).flatMap(([from, input]) =>
        input.imports.filter((i) => i.kind === 'dynamic-import').map((i) => `${from} -> ${i.path}`),
      ),
    );
    for (const edge of [
      'src/cli/program.ts -> src/cli/actions/run.ts',
      'src/cli/program.ts -> src/cli/actions/remake.ts',
      'src/cli/program.ts -> src/cli/actions/verify.ts',
      'src/cli/program.ts -> src/cli/actions/demo.ts',
      'src/cli/operate-commands.ts -> src/cli/actions/operate.ts',
      'src/cli/seal-commands.ts -> src/cli/actions/seal.ts',
      'src/cli/deliver-command.ts -> src/cli/actions/deliver.ts',
      'src/cli/portfolio-command.ts -> src/cli/actions/portfolio.ts',
      'src/cli/baseline-command.ts -> src/cli/actions/baseline.ts',
    ])
      expect(dynamic).toContain(edge);
  });

  it('`run` loads the clients, credentials and signing of live collection only when a tenant or option asks AWS', () => {
    const { packages } = loadedAtStart('src/cli/actions/run.ts');
    const live = [
      '@aws-sdk/client-sts',
      '@aws-sdk/client-kms',
      '@aws-sdk/client-config-service',
      '@aws-sdk/client-s3tables',
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
    ];
    expect(live.filter((p) => packages.has(p))).toEqual([]);
    const dynamic = graph.inputs['src/cli/actions/run.ts']!.imports.filter((i) => i.kind === 'dynamic-import');
    expect(dynamic.map((i) => i.path)).toContain('src/collect/live/index.ts');
  });

  it('`run` loads the S3, CloudTrail and Athena SDKs, the mailer and the Parquet reader only when a source, lookup, engine, delivery or report needs them', () => {
    const { packages } = loadedAtStart('src/cli/actions/run.ts');
    const onDemand = [
      '@aws-sdk/client-s3',
      '@aws-sdk/client-cloudtrail',
      '@aws-sdk/client-athena',
      'nodemailer',
      'hyparquet',
      'hyparquet-compressors',
    ];
    expect(onDemand.filter((p) => packages.has(p))).toEqual([]);
    const lazy = (from: string) =>
      graph.inputs[from]!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
    expect(lazy('src/collect/tree/s3.ts')).toEqual(['@aws-sdk/client-s3']);
    expect(lazy('src/collect/cloudtrail/lookup-events.ts')).toEqual(['@aws-sdk/client-cloudtrail']);
    expect(lazy('src/collect/athena/athena-engine.ts')).toEqual(['@aws-sdk/client-athena']);
    expect(lazy('src/operate/deliver/smtp-send.ts')).toEqual(['nodemailer']);
    expect(lazy('src/collect/inventory/collect-inventory.ts')).toContain('src/collect/inventory/parquet-data-file.ts');
  });

  it('a scan worker reading a CSV inventory data file does not load the Parquet reader', () => {
    const { modules, packages } = loadedAtStart('src/collect/inventory/data-file-task.ts');
    expect(modules).toContain('src/collect/inventory/data-file.ts');
    expect([...packages].filter((p) => p.startsWith('hyparquet'))).toEqual([]);
    expect(
      graph.inputs['src/collect/inventory/data-file-task.ts']!.imports.filter((i) => i.kind === 'dynamic-import').map(
        (i) => i.path,
      ),
    ).toEqual(['src/collect/inventory/parquet-data-file.ts']);
  });
});
