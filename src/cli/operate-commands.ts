/**
 * The declarations of `init`, `iam` and `doctor`, and the options `run` and `verify` take for signing
 * and publishing. Each action loads its module when it runs (actions/), so --help loads none of them.
 */
import { Command, Option } from 'commander';
import type { DoctorOptions } from './actions/operate.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';

export function registerOperateCommands(program: Command): void {
  program
    .command('init')
    .description('write a commented starter configuration (never overwrites)')
    .argument('[file]', 'where to write it', DEFAULT_CONFIG_FILE)
    .action(async (file: string) => {
      const { initCommand } = await import('./actions/operate.js');
      process.exitCode = await initCommand(file);
    });

  program
    .command('iam')
    .description(
      'write the read-only policy, a CloudFormation template for the cross-account reader role (StackSet-ready; the Athena engine policy optional in it), the publishing statement and the Athena engine policy (engine: athena)',
    )
    .option('-o, --out <dir>', 'folder to write into (must not hold the files already)', 's3-evidence-iam')
    .action(async (opts: { out: string }) => {
      const { iamCommand } = await import('./actions/operate.js');
      process.exitCode = await iamCommand(opts);
    });

  program
    .command('doctor')
    .description(
      'check, per tenant and account, that a complete packet can be collected (role, reads, inventory, access logs, CloudTrail, AWS Config); prints the AWS CLI fix for every gap; read-only',
    )
    .option('-c, --config <file>', 'tenants configuration (YAML)', DEFAULT_CONFIG_FILE)
    .addOption(
      new Option('-t, --tenant <id>', 'only this tenant (repeatable)').argParser((v: string, prev?: string[]) => [
        ...(prev ?? []),
        v,
      ]),
    )
    .option(
      '-p, --period <YYYY-MM>',
      "the month offline exports are checked for (inventory report, log days); default: each tenant's last full month",
    )
    .option('--json', 'print the readiness report as JSON')
    .option('--profile <name>', "AWS shared-config profile (default: the SDK's credential chain)")
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint, e.g. a local test endpoint')
    .action(async (opts: DoctorOptions) => {
      const { doctorCommand } = await import('./actions/operate.js');
      process.exitCode = await doctorCommand(opts);
    });
}

/** `--publish` and `--sign-with` for `run`. */
export function addRunOperationOptions(cmd: Command): Command {
  return cmd
    .option(
      '--publish <s3-url>',
      'upload each packet to s3://bucket/prefix/<period>/<tenant>/ (SSE-KMS with publish.kmsKeyId from the config, SHA-256 checksums, never overwriting)',
    )
    .option(
      '--sign-with <kms-key>',
      'sign each manifest with this asymmetric KMS key (kms:Sign over its SHA-256 digest); the signature and public key are stored beside it',
    );
}

export function addVerifySignatureOptions(cmd: Command): Command {
  return cmd
    .option(
      '--expect-key <kms-key>',
      'require the manifest to be signed by this KMS key: its public key is asked of KMS (kms:GetPublicKey) unless --trusted-public-key gives it',
    )
    .option(
      '--trusted-public-key <file>',
      'require the stored public key to equal this one (PEM or DER), e.g. exported once from kms:GetPublicKey; no AWS call',
    )
    .option('--profile <name>', "AWS shared-config profile for --expect-key (default: the SDK's credential chain)")
    .option('--endpoint-url <url>', 'send the --expect-key call to this endpoint, e.g. a local test endpoint');
}
