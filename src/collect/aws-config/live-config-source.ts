import {
  DescribeConfigRulesCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import type { EvidenceRecord } from '../../evidence/record.js';
import { asEvidence, attempt, toRecord, type CallResult } from '../live/aws-call.js';
import type { RegionalClients } from '../live/clients.js';
import type { CallLimiter } from '../live/limiter.js';
import { allPages, mergedPages } from '../live/live-source.js';
import { REQUESTED_COMPLIANCE_TYPES, type AwsConfigSource, type ConfigOperation } from './source.js';

type Output = { $metadata?: { requestId?: string; httpStatusCode?: number } } & object;

export interface LiveConfigSourceArgs {
  account: string;
  /** The account's client cache (closed by whoever made it). */
  clients: RegionalClients;
  limiter: CallLimiter;
  now?: () => Date;
}

/** Largest page sizes AWS Config accepts for these calls. */
const COMPLIANCE_PAGE = 100;
const HISTORY_PAGE = 100;

/** AWS Config evidence of one account, read with that account's clients. */
export function liveConfigSource(args: LiveConfigSourceArgs): AwsConfigSource {
  const { account, limiter, clients } = args;
  const now = args.now ?? (() => new Date());
  const client = (region: string) => clients.config(region);
  const send = <T extends Output>(region: string, fn: (c: ConfigServiceClient) => Promise<T>) =>
    attempt(() => limiter.run('config', account, region, () => fn(client(region))));
  const record = <T>(op: ConfigOperation, region: string, parameters: Record<string, string>, r: CallResult<unknown>) =>
    toRecord(
      { operation: `config:${op}`, parameters, account, region },
      r,
      () => (r.ok ? r.output : undefined),
      now().toISOString(),
    ) as EvidenceRecord<T>;
  const single = async (r: Promise<CallResult<Output>>): Promise<CallResult<unknown>> => {
    const out = await r;
    return out.ok ? { ...out, output: asEvidence(out.output) } : out;
  };

  return {
    account,
    mode: 'live',
    async describeRecorders(region) {
      return record(
        'DescribeConfigurationRecorders',
        region,
        {},
        await single(send(region, (c) => c.send(new DescribeConfigurationRecordersCommand({})))),
      );
    },
    async describeRecorderStatus(region) {
      return record(
        'DescribeConfigurationRecorderStatus',
        region,
        {},
        await single(send(region, (c) => c.send(new DescribeConfigurationRecorderStatusCommand({})))),
      );
    },
    async describeRules(region) {
      const pages = await allPages(
        (NextToken) => send(region, (c) => c.send(new DescribeConfigRulesCommand({ NextToken }))),
        (p) => p.NextToken,
      );
      return record('DescribeConfigRules', region, {}, mergedPages(pages, 'ConfigRules'));
    },
    async complianceDetails(region, ruleName) {
      const pages = await allPages(
        (NextToken) =>
          send(region, (c) =>
            c.send(
              new GetComplianceDetailsByConfigRuleCommand({
                ConfigRuleName: ruleName,
                ComplianceTypes: [...REQUESTED_COMPLIANCE_TYPES],
                Limit: COMPLIANCE_PAGE,
                NextToken,
              }),
            ),
          ),
        (p) => p.NextToken,
      );
      const parameters = { ConfigRuleName: ruleName, ComplianceTypes: REQUESTED_COMPLIANCE_TYPES.join(',') };
      return record('GetComplianceDetailsByConfigRule', region, parameters, mergedPages(pages, 'EvaluationResults'));
    },
    async resourceHistory(region, resourceType, resourceId, window) {
      const pages = await allPages(
        (nextToken) =>
          send(region, (c) =>
            c.send(
              new GetResourceConfigHistoryCommand({
                resourceType: resourceType,
                resourceId,
                earlierTime: new Date(window.earlierTime),
                laterTime: new Date(window.laterTime),
                limit: HISTORY_PAGE,
                nextToken,
              }),
            ),
          ),
        (p) => p.nextToken,
      );
      const parameters = { resourceType, resourceId, earlierTime: window.earlierTime, laterTime: window.laterTime };
      return record('GetResourceConfigHistory', region, parameters, mergedPages(pages, 'configurationItems'));
    },
    async stateBefore(region, resourceType, resourceId, time) {
      const r = await single(
        send(region, (c) =>
          c.send(
            new GetResourceConfigHistoryCommand({
              resourceType: resourceType,
              resourceId,
              laterTime: new Date(time),
              limit: 1,
            }),
          ),
        ),
      );
      // One item is all that is wanted: the page's nextToken is dropped, not followed (an answer
      // without its list is kept as it came, for the evidence reading to name).
      const items = r.ok ? (r.output as { configurationItems?: unknown }).configurationItems : undefined;
      const output = r.ok && Array.isArray(items) ? { ...r, output: { configurationItems: items } } : r;
      return record(
        'GetResourceConfigHistory',
        region,
        { resourceType, resourceId, laterTime: time, limit: '1' },
        output,
      );
    },
  };
}
