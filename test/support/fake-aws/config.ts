/**
 * AWS Config (JSON 1.1, target StarlingDoveService): configuration recorders and their status,
 * rules, per-rule compliance details and a resource's configuration history, from declarative data.
 */
import type { FakeAccount, Scenario } from './scenario.js';
import { epochSeconds, type Identified, type WireAnswer, type WireRequest } from './wire.js';
import { jsonError, jsonOk, parseJsonBody } from './json11.js';

function recordersIn(owner: FakeAccount | undefined, region: string) {
  return (owner?.configRecorders ?? []).filter((r) => r.region === region);
}

export function answerConfig(req: WireRequest, id: Identified, world: Scenario): WireAnswer {
  const body = parseJsonBody(req);
  const owner = world.accounts.find((a) => a.id === req.identity!.account);
  const region = req.region;
  switch (id.operation) {
    case 'DescribeConfigurationRecorders':
      return jsonOk(req, {
        ConfigurationRecorders: recordersIn(owner, region).map((r) => ({
          name: r.name ?? 'default',
          roleARN: `arn:aws:iam::${owner!.id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
          recordingGroup: {
            allSupported: r.allSupported ?? true,
            includeGlobalResourceTypes: false,
            resourceTypes: r.allSupported === false ? (r.resourceTypes ?? []) : [],
          },
        })),
      });
    case 'DescribeConfigurationRecorderStatus':
      return jsonOk(req, {
        ConfigurationRecordersStatus: recordersIn(owner, region).map((r) => ({
          name: r.name ?? 'default',
          recording: r.recording,
          lastStatus: r.lastStatus ?? (r.recording ? 'Success' : 'Pending'),
          ...(r.recording
            ? { lastStartTime: epochSeconds('2024-01-01T00:00:00Z') }
            : { lastStopTime: epochSeconds('2026-09-01T00:00:00Z') }),
        })),
      });
    case 'DescribeConfigRules': {
      const wanted = Array.isArray(body.ConfigRuleNames) ? (body.ConfigRuleNames as string[]) : undefined;
      const rules = (owner?.configRules ?? []).filter(
        (r) => r.region === region && (!wanted || wanted.includes(r.name)),
      );
      if (wanted && rules.length < wanted.length) {
        return jsonError(
          req,
          400,
          'NoSuchConfigRuleException',
          `The ConfigRule '${wanted.find((w) => !rules.some((r) => r.name === w))}' provided in the request is invalid.`,
        );
      }
      return jsonOk(req, {
        ConfigRules: rules.map((r) => ({
          ConfigRuleName: r.name,
          ConfigRuleArn: `arn:aws:config:${region}:${owner!.id}:config-rule/config-rule-${r.name}`,
          ConfigRuleId: `config-rule-${r.name}`,
          Source: { Owner: 'AWS', SourceIdentifier: r.sourceIdentifier },
          ConfigRuleState: 'ACTIVE',
        })),
      });
    }
    case 'GetComplianceDetailsByConfigRule': {
      const rule = (owner?.configRules ?? []).find((r) => r.region === region && r.name === body.ConfigRuleName);
      if (!rule)
        return jsonError(
          req,
          400,
          'NoSuchConfigRuleException',
          `The ConfigRule '${String(body.ConfigRuleName)}' provided in the request is invalid.`,
        );
      const types = Array.isArray(body.ComplianceTypes) ? (body.ComplianceTypes as string[]) : undefined;
      const all = (rule.results ?? []).filter((x) => !types || types.includes(x.compliance));
      const start = typeof body.NextToken === 'string' ? Number(body.NextToken) : 0;
      const limit = Math.min(
        typeof body.Limit === 'number' && body.Limit > 0 ? body.Limit : 100,
        world.configPageCap ?? Infinity,
      );
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return jsonOk(req, {
        EvaluationResults: page.map((x) => ({
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: rule.name,
              ResourceType: x.resourceType,
              ResourceId: x.resourceId,
            },
            OrderingTimestamp: epochSeconds(x.recordedAt ?? '2026-10-31T12:00:00Z'),
          },
          ComplianceType: x.compliance,
          ResultRecordedTime: epochSeconds(x.recordedAt ?? '2026-10-31T12:00:00Z'),
          ConfigRuleInvokedTime: epochSeconds(x.recordedAt ?? '2026-10-31T12:00:00Z'),
          ...(x.annotation ? { Annotation: x.annotation } : {}),
        })),
        ...(more ? { NextToken: String(start + limit) } : {}),
      });
    }
    case 'GetResourceConfigHistory': {
      const known = (owner?.configHistory ?? []).filter(
        (x) => x.region === region && x.resourceType === body.resourceType && x.resourceId === body.resourceId,
      );
      if (known.length === 0) {
        return jsonError(
          req,
          400,
          'ResourceNotDiscoveredException',
          `Resource ${String(body.resourceId)} of resourceType:${String(body.resourceType)} is unknown or has not been discovered`,
        );
      }
      const items = known
        .filter((x) => typeof body.laterTime !== 'number' || epochSeconds(x.captureTime) <= body.laterTime)
        .filter((x) => typeof body.earlierTime !== 'number' || epochSeconds(x.captureTime) >= body.earlierTime)
        .sort((a, b) => b.captureTime.localeCompare(a.captureTime)); // newest first, as Config answers by default
      const start = typeof body.nextToken === 'string' ? Number(body.nextToken) : 0;
      const limit = Math.min(
        typeof body.limit === 'number' && body.limit > 0 ? body.limit : 10,
        world.configPageCap ?? Infinity,
      );
      const page = items.slice(start, start + limit);
      const more = start + limit < items.length;
      return jsonOk(req, {
        configurationItems: page.map((x) => ({
          version: '1.3',
          accountId: owner!.id,
          configurationItemCaptureTime: epochSeconds(x.captureTime),
          configurationItemStatus: x.status ?? 'OK',
          resourceType: x.resourceType,
          resourceId: x.resourceId,
          resourceName: x.resourceId,
          awsRegion: region,
          ...(x.configuration !== undefined ? { configuration: x.configuration } : {}),
          ...(x.supplementaryConfiguration ? { supplementaryConfiguration: x.supplementaryConfiguration } : {}),
          ...(x.relatedEvents ? { relatedEvents: x.relatedEvents } : {}),
        })),
        ...(more ? { nextToken: String(start + limit) } : {}),
      });
    }
    default:
      return jsonError(req, 400, 'UnknownOperationException', `Unknown operation ${id.operation}`);
  }
}
