/** The declarations of `sign` and `publish` (actions/seal.ts does them). */
import { Command, Option } from 'commander';
import type { SealOptions } from './actions/seal.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';

function awsOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'tenants configuration (YAML)', DEFAULT_CONFIG_FILE)
    .option('--json', 'print the outcome as JSON')
    .option('--profile <name>', "AWS shared-config profile (default: the SDK's credential chain)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint, e.g. a local test endpoint');
}

export function registerSealCommands(program: Command): void {
  awsOptions(
    program
      .command('sign')
      .description(
        "sign existing packets' manifests with an asymmetric KMS key, as run --sign-with does; the packet must verify first. Idempotent: a packet already signed by that key is left as it is",
      )
      .argument('<folders...>', 'packet folders, e.g. output/2026-10/acme')
      .addOption(
        new Option('--sign-with <kms-key>', 'the SIGN_VERIFY KMS key (ARN, alias ARN or key id)').makeOptionMandatory(),
      ),
  ).action(async (folders: string[], opts: SealOptions & { signWith: string }) => {
    const { signCommand } = await import('./actions/seal.js');
    process.exitCode = await signCommand(folders, opts);
  });
  awsOptions(
    program
      .command('publish')
      .description(
        'upload existing packets to s3://bucket/prefix/<period>/<tenant>/ as run --publish does (SSE-KMS with publish.kmsKeyId, SHA-256 checksums, never overwriting); the packet must verify first. Idempotent: objects already there with the same bytes count as published; different bytes are refused and named (exit 1)',
      )
      .argument('<folders...>', 'packet folders, e.g. output/2026-10/acme')
      .addOption(new Option('--to <s3-url>', 's3://bucket/prefix/ to publish under').makeOptionMandatory()),
  ).action(async (folders: string[], opts: SealOptions & { to: string }) => {
    const { publishCommand } = await import('./actions/seal.js');
    process.exitCode = await publishCommand(folders, opts);
  });
}
