/**
 * iam/athena-engine-policy.json lists exactly what engine: athena uses: every Athena operation the
 * fake Athena endpoint receives maps to an action in it, the Glue actions Athena checks for each
 * statement sent (CREATE DATABASE, CREATE EXTERNAL TABLE, queries), and the results-location S3
 * actions; nothing listed goes unused, and every statement is scoped (no "*" resource).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AthenaEngine } from '../../src/collect/athena/athena-engine.js';
import { ATHENA_IAM_ACTION, glueActionsFor, RESULTS_S3_ACTIONS } from '../../src/collect/athena/iam-actions.js';
import { scanAccessLogsWithSql } from '../../src/collect/athena/sql-access-logs.js';
import { localTree } from '../../src/collect/tree/index.js';
import { periodFor } from '../../src/config/period.js';
import { projectRoot } from '../../src/project-root.js';
import { startFakeAthena, type FakeAthena } from '../support/fake-aws/athena.js';

const LOGS = path.resolve('test/fixtures/access-logs/partitioned');
let fake: FakeAthena;

beforeAll(async () => {
  fake = await startFakeAthena({
    localOf: (u) => path.join(LOGS, u.replace(/^s3:\/\/logs\//, '')),
    workgroups: { evidence: {} },
    runningPolls: 1,
  });
  const client = new AthenaClient({
    region: 'eu-west-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    maxAttempts: 1,
  });
  const tree = { ...localTree(LOGS), locate: (p: string) => `s3://logs/${p}` };
  const scan = (scanLimitBytes?: number) =>
    scanAccessLogsWithSql({
      engine: new AthenaEngine({
        client,
        config: {
          workgroup: 'evidence',
          database: 's3_evidence',
          resultsLocation: 's3://results/q/',
          ...(scanLimitBytes ? { scanLimitBytes } : {}),
        },
        sleep: async () => undefined,
      }),
      tree,
      location: 's3://logs/',
      period: periodFor('2026-10', 'UTC'),
      buckets: ['acme-data'],
    });
  expect((await scan()).problems).toEqual([]);
  // Over the scan limit the query is stopped: StopQueryExecution is used too.
  expect((await scan(1)).problems[0]?.message).toMatch(/over the configured limit of 1 bytes/);
});
afterAll(async () => {
  await fake?.close();
});

it('every Athena, Glue and results-bucket action used is in iam/athena-engine-policy.json, and nothing else', async () => {
  const unmapped = [...new Set(fake.calls.map((c) => c.operation).filter((op) => !(op in ATHENA_IAM_ACTION)))];
  expect(unmapped).toEqual([]);
  const statements = fake.calls.filter((c) => c.operation === 'StartQueryExecution').map((c) => String(c.input.QueryString));
  const used = new Set([
    ...fake.calls.map((c) => ATHENA_IAM_ACTION[c.operation]!),
    ...statements.flatMap(glueActionsFor),
    ...(statements.length > 0 ? RESULTS_S3_ACTIONS : []),
  ]);
  expect([...used].filter((a) => a.startsWith('athena:')).sort()).toEqual([
    'athena:GetQueryExecution',
    'athena:GetQueryResults',
    'athena:StartQueryExecution',
    'athena:StopQueryExecution',
  ]);
  const policy = JSON.parse(await readFile(path.join(projectRoot(), 'iam', 'athena-engine-policy.json'), 'utf8')) as {
    Statement: Array<{ Effect: string; Action: string[]; Resource: string | string[] }>;
  };
  const listed = policy.Statement.flatMap((s) => s.Action);
  expect([...listed].sort()).toEqual([...used].sort());
  expect(new Set(listed).size).toBe(listed.length);
  for (const s of policy.Statement) {
    expect(s.Effect).toBe('Allow');
    expect([s.Resource].flat().some((r) => r === '*' || r.endsWith(':*'))).toBe(false);
  }
});
