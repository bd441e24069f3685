import { AthenaClient } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../src/collect/athena/athena-engine.js';
import { parseConfig } from '../../src/config/load.js';
import { engineFor } from '../../src/pipeline/sql-engines.js';

const config = (inventory: string) =>
  parseConfig(
    `version: 1
tenants:
  - id: acme
    displayName: ACME
    accounts: [{ id: "111122223333", roleArn: "arn:aws:iam::111122223333:role/R" }]
    sources:
      inventory: [${inventory}]
      engines:
        inventory: { engine: athena, workgroup: wg, database: db, resultsLocation: "s3://results/" }
`,
    '/etc/tenants.yaml',
  ).tenants[0]!;

describe('engineFor', () => {
  const client = new AthenaClient({ region: 'eu-west-1' });
  it('local by default: no engine, no problem', () => {
    expect(engineFor(config('s3://inv/'), 'accessLogs', () => client)).toEqual({});
  });
  it('athena: an AthenaEngine with the account and region the config names', () => {
    const asked: Array<[string | undefined, string | undefined]> = [];
    const got = engineFor(config('s3://inv/'), 'inventory', (a, r) => (asked.push([a, r]), client));
    expect(got.engine).toBeInstanceOf(AthenaEngine);
    expect(asked).toEqual([[undefined, undefined]]);
  });
  it('athena without live credentials, on a local folder, or with an unreadable account: the reason, never the local engine', () => {
    expect(engineFor(config('s3://inv/'), 'inventory', undefined)).toEqual({
      problem: 'engine: athena needs live AWS credentials; this run reads offline evidence only',
    });
    expect(engineFor(config('inv/acme'), 'inventory', () => client)).toEqual({
      problem: 'engine: athena reads s3:// locations only; /etc/inv/acme is not one',
    });
    expect(engineFor(config('s3://inv/'), 'inventory', () => undefined)).toEqual({
      problem: 'engine: athena: the account of the tenant could not be read, so Athena cannot be called',
    });
  });
});
