/** `s3-evidence init`, `iam` and `doctor`: setting a tenant up and checking it can be collected. */
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { isPeriodLabel } from '../../config/period.js';
import { UsageError } from '../../errors.js';
import { renderDoctor, runDoctor } from '../../operate/doctor/index.js';
import { writeIamFiles } from '../../operate/iam-templates.js';
import { writeStarterConfig } from '../../operate/init-config.js';
import { EXIT } from '../exit-codes.js';
import { liveOptions, type AwsOptions } from './packet-operations.js';
import { selectTenants } from './select-tenants.js';

export async function initCommand(file: string): Promise<number> {
  await writeStarterConfig(file);
  process.stdout.write(`Wrote ${file}. Edit the tenant, then run: s3-evidence doctor --config ${file}\n`);
  return EXIT.complete;
}

export async function iamCommand(opts: { out: string }): Promise<number> {
  const written = await writeIamFiles(opts.out);
  process.stdout.write(`${written.map((f) => `Wrote ${f}`).join('\n')}\n`);
  process.stdout.write(
    `Deploy the role in each tenant account (or as a StackSet, in one region):\n  aws cloudformation deploy --stack-name s3-evidence-reader --template-file ${path.join(opts.out, 'reader-role.cfn.yaml')} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides OperatorAccountId=<operator account> ExternalId=<tenant external id> DeliveryBucketArns=<arn:aws:s3:::bucket,arn:aws:s3:::bucket/*>\n`,
  );
  return EXIT.complete;
}

export interface DoctorOptions extends AwsOptions {
  config: string;
  tenant?: string[];
  json?: boolean;
  period?: string;
}

export async function doctorCommand(opts: DoctorOptions): Promise<number> {
  if (opts.period !== undefined && !isPeriodLabel(opts.period))
    throw new UsageError(`--period "${opts.period}" is not of the form YYYY-MM`);
  const { config } = await loadConfig(opts.config);
  const report = await runDoctor({
    tenants: selectTenants(config, opts.tenant),
    live: liveOptions(config, opts),
    offline: { config, ...(opts.period ? { period: opts.period } : {}) },
  });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report));
  return report.ready ? EXIT.complete : EXIT.incomplete;
}
