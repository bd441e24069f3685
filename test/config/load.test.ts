import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD } from '../../src/config/schema.js';

const minimal = `version: 1
tenants:
  - id: acme
    displayName: ACME Corp
    accounts:
      - id: "111122223333"
        offlineExport: exports/acme
    sources:
      inventory: [s3://acme-inventory/reports/, inventory/acme]
`;

describe('configuration', () => {
  it('fills defaults and resolves local folders against the config file', () => {
    const cfg = parseConfig(minimal, '/etc/s3-evidence/tenants.yaml');
    const t = cfg.tenants[0]!;
    expect(t.timeZone).toBe('UTC');
    expect(t.buckets).toEqual({ include: ['*'], exclude: [], tags: [] });
    expect(t.accounts[0]!.offlineExport).toBe('/etc/s3-evidence/exports/acme');
    expect(t.sources.inventory).toEqual(['s3://acme-inventory/reports/', '/etc/s3-evidence/inventory/acme']);
    expect(cfg.pageSize).toBe('A4');
  });

  it('keeps sources.cloudTrailLookup through path resolution; absent, it is off', () => {
    const on = parseConfig(minimal.replace('    sources:\n', '    sources:\n      cloudTrailLookup: true\n'), '/etc/s3-evidence/tenants.yaml');
    expect(on.tenants[0]!.sources.cloudTrailLookup).toBe(true);
    expect(parseConfig(minimal, 'tenants.yaml').tenants[0]!.sources.cloudTrailLookup).toBeUndefined();
  });

  it('sources.inventoryMaxDaysAfterPeriod: whole days 0-31, kept through path resolution; absent, the run uses 7', () => {
    const with3 = parseConfig(minimal.replace('    sources:\n', '    sources:\n      inventoryMaxDaysAfterPeriod: 3\n'), '/etc/s3-evidence/tenants.yaml');
    expect(with3.tenants[0]!.sources.inventoryMaxDaysAfterPeriod).toBe(3);
    expect(parseConfig(minimal, 'tenants.yaml').tenants[0]!.sources.inventoryMaxDaysAfterPeriod).toBeUndefined();
    expect(DEFAULT_INVENTORY_MAX_DAYS_AFTER_PERIOD).toBe(7);
    for (const bad of ['32', '1.5', '-1', '"7"']) {
      expect(() => parseConfig(minimal.replace('    sources:\n', `    sources:\n      inventoryMaxDaysAfterPeriod: ${bad}\n`), 'tenants.yaml')).toThrow(
        /tenants\[0\]\.sources\.inventoryMaxDaysAfterPeriod/,
      );
    }
  });

  it('sources.engines: engine athena per source (workgroup, database, s3:// results, optional scan limit); local by default', () => {
    const athena = `    sources:
      engines:
        inventory: { engine: athena, workgroup: evidence, database: s3_evidence, resultsLocation: "s3://acme-results/athena/", scanLimitBytes: 50000000000 }
        accessLogs: { engine: local }
`;
    const cfg = parseConfig(minimal.replace('    sources:\n', athena), 'tenants.yaml');
    expect(cfg.tenants[0]!.sources.engines).toEqual({
      inventory: {
        engine: 'athena',
        workgroup: 'evidence',
        database: 's3_evidence',
        resultsLocation: 's3://acme-results/athena/',
        scanLimitBytes: 50_000_000_000,
      },
      accessLogs: { engine: 'local' },
    });
    expect(parseConfig(minimal, 'tenants.yaml').tenants[0]!.sources.engines).toBeUndefined();
    expect(() => parseConfig(minimal.replace('    sources:\n', athena.replace('"s3://acme-results/athena/"', '/tmp/results')), 'x.yaml')).toThrow(
      /tenants\[0\]\.sources\.engines\.inventory\.resultsLocation: an s3:\/\/bucket\/prefix\/ URL/,
    );
    expect(() => parseConfig(minimal.replace('    sources:\n', athena.replace('workgroup: evidence, ', '')), 'x.yaml')).toThrow(
      /sources\.engines\.inventory\.workgroup/,
    );
    const cloudTrail = `    sources:
      engines:
        cloudTrail: { engine: athena, workgroup: evidence, database: s3_evidence, resultsLocation: "s3://acme-results/athena/" }
`;
    expect(parseConfig(minimal.replace('    sources:\n', cloudTrail), 'x.yaml').tenants[0]!.sources.engines).toEqual({
      cloudTrail: {
        engine: 'athena',
        workgroup: 'evidence',
        database: 's3_evidence',
        resultsLocation: 's3://acme-results/athena/',
      },
    });
    expect(() => parseConfig(minimal.replace('    sources:\n', cloudTrail.replace(', database: s3_evidence', '')), 'x.yaml')).toThrow(
      /sources\.engines\.cloudTrail\.database/,
    );
  });

  it('names the file, the path of the bad field and what was expected', () => {
    const bad = minimal.replace('"111122223333"', '"12345"');
    expect(() => parseConfig(bad, 'tenants.yaml')).toThrow(ConfigError);
    expect(() => parseConfig(bad, 'tenants.yaml')).toThrow(/tenants\.yaml: invalid configuration\n {2}tenants\[0\]\.accounts\[0\]\.id: a 12-digit AWS account id/);
  });

  it('rejects an unknown time zone and an unknown field', () => {
    const bad = minimal.replace('displayName: ACME Corp', 'displayName: ACME Corp\n    timeZone: Mars/Olympus\n    colour: red');
    const msg = (() => {
      try {
        parseConfig(bad, 'x.yaml');
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(msg).toContain('tenants[0].timeZone: an IANA time zone');
    expect(msg).toContain('tenants[0]: Unrecognized key: "colour"');
  });

  it('rejects duplicate tenant ids', () => {
    const dup = `${minimal}  - id: acme\n    displayName: Again\n    accounts: [{ id: "111122223333" }]\n`;
    expect(() => parseConfig(dup, 'x.yaml')).toThrow('tenants[1].id: duplicate tenant id "acme"');
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(() => parseConfig('version: 1\ntenants: [\n', 'broken.yaml')).toThrow(/^broken\.yaml: not valid YAML/);
  });

  it('a missing file is a configuration error naming it', async () => {
    await expect(loadConfig('/nonexistent/tenants.yaml')).rejects.toThrow('/nonexistent/tenants.yaml: cannot read configuration (ENOENT)');
  });

  it('records the sha256 of the file bytes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 't.yaml');
    writeFileSync(file, minimal);
    // sha256 of the exact bytes, computed independently with node:crypto
    const { createHash } = await import('node:crypto');
    expect((await loadConfig(file)).sha256).toBe(createHash('sha256').update(minimal).digest('hex'));
  });

  it('the shipped example and demo configurations are valid', async () => {
    await expect(loadConfig(path.resolve('config/tenants.example.yaml'))).resolves.toBeTruthy();
    await expect(loadConfig(path.resolve('config/demo.yaml'))).resolves.toBeTruthy();
  });

  it('gives every tenant its frameworks: its own list, else the configuration\'s, else the current CIS, NIST 800-53 and SOC 2', () => {
    const two = minimal.replace('tenants:\n  - id: acme', 'tenants:\n  - id: acme') + minimal.split('tenants:\n')[1]!.replace('id: acme', 'id: globex').replace('    displayName: ACME Corp\n', '    displayName: Globex\n    frameworks: [pci-dss-v4.0.1, iso-27001-2022]\n');
    expect(parseConfig(two, 'tenants.yaml').tenants.map((t) => [t.id, t.frameworks])).toEqual([
      ['acme', ['cis-aws-foundations-v7.0.0', 'nist-800-53-r5', 'soc2-tsc-2017']],
      ['globex', ['pci-dss-v4.0.1', 'iso-27001-2022']],
    ]);
    const topLevel = two.replace('version: 1\n', 'version: 1\nframeworks: [hipaa-security-rule, soc2-tsc-2017, cis-aws-foundations-v5.0.0]\n');
    expect(parseConfig(topLevel, 'tenants.yaml').tenants.map((t) => t.frameworks)).toEqual([
      ['hipaa-security-rule', 'soc2-tsc-2017', 'cis-aws-foundations-v5.0.0'],
      ['pci-dss-v4.0.1', 'iso-27001-2022'],
    ]);
  });

  it('rejects an unknown framework id, one listed twice, and two versions of one framework', () => {
    const withList = (list: string) => minimal.replace('    displayName: ACME Corp\n', `    displayName: ACME Corp\n    frameworks: ${list}\n`);
    expect(() => parseConfig(withList('[soc2-tsc-2017, cis-aws-foundations-v9.9.9]'), 'tenants.yaml')).toThrow(
      /tenants\[0\]\.frameworks\[1\]: unknown framework "cis-aws-foundations-v9\.9\.9"; known: aws-fsbp-v1\.0\.0, /,
    );
    expect(() => parseConfig(withList('[soc2-tsc-2017, soc2-tsc-2017]'), 'tenants.yaml')).toThrow(/tenants\[0\]\.frameworks\[1\]: framework "soc2-tsc-2017" listed twice/);
    expect(() => parseConfig(withList('[cis-aws-foundations-v1.4.0, cis-aws-foundations-v7.0.0]'), 'tenants.yaml')).toThrow(
      /"cis-aws-foundations-v7\.0\.0" and "cis-aws-foundations-v1\.4\.0" are two versions of one framework; choose one/,
    );
    expect(() => parseConfig(withList('[]'), 'tenants.yaml')).toThrow(/tenants\[0\]\.frameworks/);
  });

  it('the example deliveries block, uncommented, is a valid configuration that names secrets only by variable', async () => {
    const text = readFileSync(path.resolve('config/tenants.example.yaml'), 'utf8');
    const lines = text.split('\n');
    const start = lines.indexOf('# deliveries:');
    expect(start).toBeGreaterThan(0);
    let end = start;
    while (lines[end]!.startsWith('#')) end++;
    const block = lines.slice(start, end).map((l) => l.replace(/^# ?/, ''));
    const cfg = parseConfig([...lines.slice(0, start), ...block, ...lines.slice(end)].join('\n'), '/etc/s3e/tenants.yaml');
    expect(cfg.deliveries?.destinations.map((d) => [d.id, d.type, d.send])).toEqual([
      ['ops-slack', 'webhook', 'both'],
      ['acme-security', 'email', 'tenants'],
    ]);
    expect(cfg.deliveries).toMatchObject({ attempts: 3, timeoutMs: 15000 });
  });

  it('deliveries: a secret written in place of a variable name, an unknown tenant, a duplicate id, a lone userEnv are named', () => {
    const cfg = (deliveries: string) => () => parseConfig(`${minimal}deliveries:\n${deliveries}`, '/etc/s3e/t.yaml');
    expect(cfg('  destinations:\n    - { id: a, type: webhook, format: slack, urlEnv: "https://hooks.slack.com/services/T/B/x" }\n')).toThrow(
      /deliveries\.destinations\[0\]\.urlEnv: the name of an environment variable/,
    );
    expect(cfg('  destinations:\n    - { id: a, type: webhook, format: teams, urlEnv: X, tenants: [nobody] }\n')).toThrow(
      /deliveries\.destinations\[0\]\.tenants: unknown tenant "nobody"/,
    );
    expect(
      cfg('  destinations:\n    - { id: a, type: webhook, format: json, urlEnv: X }\n    - { id: a, type: webhook, format: json, urlEnv: Y }\n'),
    ).toThrow(/deliveries\.destinations\[1\]\.id: duplicate destination id "a"/);
    expect(
      cfg('  destinations:\n    - { id: m, type: email, host: h, port: 25, from: a@b.c, to: [d@e.f], userEnv: U }\n'),
    ).toThrow(/deliveries\.destinations\[0\]\.passwordEnv: userEnv and passwordEnv go together/);
    const ok = parseConfig(
      `${minimal}deliveries:\n  destinations:\n    - { id: m, type: email, host: h, port: 25, from: a@b.c, to: [d@e.f], caFile: ca.pem }\n`,
      '/etc/s3e/t.yaml',
    );
    expect(ok.deliveries?.destinations[0]).toMatchObject({ tls: 'starttls', send: 'tenants', caFile: '/etc/s3e/ca.pem' });
  });
});
