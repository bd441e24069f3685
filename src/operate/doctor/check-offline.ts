/**
 * doctor for offline-export accounts: the run's own offline collection is made into a temporary
 * folder (deleted afterwards), and its evidence says what the run would miss: export files absent,
 * unparsable or refused, buckets without an inventory report for the period, and the days of the
 * period each log tree covers.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Period } from '../../config/period.js';
import type { AccountConfig, Config, TenantConfig } from '../../config/schema.js';
import { readStoredRecord } from '../../evidence/answers.js';
import { EVIDENCE_DIR, loadEvidence } from '../../evidence/evidence-store.js';
import { loadLogEvidence } from '../../evidence/log-evidence.js';
import type { FiledRecord } from '../../evidence/record.js';
import { collectTenantEvidence } from '../../pipeline/run-tenant.js';
import { command } from './shell.js';
import { isReady, type AccountReadiness, type Check } from './readiness.js';

const CLI_SERVICE: Record<string, string> = { s3: 's3api', kms: 'kms', config: 'configservice' };

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Every JSON file under `dir`, as paths relative to `root`. */
async function jsonFiles(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(root, full)));
    else if (e.name.endsWith('.json')) out.push(toPosix(path.relative(root, full)));
  }
  return out;
}

/** The export-offline.sh line that writes this record's file again. */
function reExportLine(record: FiledRecord, exportFolder: string, file: string): string {
  const [service = '', operation = ''] = record.operation.split(':');
  const name = path.basename(file).replace(/\.error\.txt$|\.json$/, '');
  const args: string[] = ['aws', CLI_SERVICE[service] ?? service, name];
  for (const [k, v] of Object.entries(record.parameters)) {
    args.push(`--${k.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`, v);
  }
  if (service !== 's3' || operation === 'ListBuckets') args.push('--region', record.region);
  const jsonFile = path.join(exportFolder, ...path.dirname(file).split('/'), `${name}.json`);
  return `${command(...args, '--output', 'json')} > ${command(jsonFile)}`;
}

function reExportAccount(account: AccountConfig): string {
  return command('scripts/export-offline.sh', account.offlineExport, ...account.regions);
}

function scopeOf(record: FiledRecord): string {
  const target = record.parameters.Bucket ?? record.parameters.KeyId ?? record.parameters.ResourceId;
  return `${record.operation}${target ? ` on ${target}` : ` in ${record.region}`}`;
}

/** One gap per record the run could not use: absent, unparsable, refused or of the wrong shape. */
function readChecks(records: FiledRecord[], account: AccountConfig): Check[] {
  const folder = path.resolve(account.offlineExport!);
  const checks: Check[] = [];
  for (const r of records) {
    if (r.outcome !== 'error' && r.outcome !== 'access_denied') continue;
    const abs = r.sourcePath ? path.resolve(r.sourcePath) : undefined;
    const file = abs && abs.startsWith(folder + path.sep) ? toPosix(path.relative(folder, abs)) : (r.sourcePath ?? '');
    const message = r.error.message.split(folder + path.sep).join('');
    const denied = r.outcome === 'access_denied';
    checks.push({
      area: 'read',
      scope: scopeOf(r),
      status: 'gap',
      detail: denied
        ? `${file}: the export was refused (${r.error.code}: ${message}); give the exporting identity the read-only policy (iam/evidence-reader-policy.json) and export again:`
        : `${file}: ${r.error.code}: ${message}; export it again (or the whole account: ${reExportAccount(account)}):`,
      fix: [reExportLine(r, folder, file)],
    });
  }
  const read = records.filter((r) => r.outcome === 'ok' || r.outcome === 'not_configured').length;
  checks.unshift({
    area: 'read',
    scope: `export ${account.offlineExport!}`,
    status: checks.length === 0 ? 'ok' : 'gap',
    detail: `${read} of ${records.length} exported answers present and readable`,
    ...(checks.length === 0 ? {} : { fix: [reExportAccount(account)] }),
  });
  return checks;
}

/** The calendar days of the period in its zone, as YYYY-MM-DD. */
function periodDays(period: Period): string[] {
  const days: string[] = [];
  let d = DateTime.fromISO(period.startUtc, { zone: period.timeZone });
  const end = DateTime.fromISO(period.endUtc, { zone: period.timeZone });
  while (d < end) {
    days.push(d.toFormat('yyyy-MM-dd'));
    d = d.plus({ days: 1 });
  }
  return days;
}

/** "2026-10-05..2026-10-07, 2026-10-12": runs of consecutive days. */
function dayRanges(days: string[]): string {
  const runs: string[][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    if (last && prev && DateTime.fromISO(prev).plus({ days: 1 }).toFormat('yyyy-MM-dd') === day) last.push(day);
    else runs.push([day]);
  }
  return runs.map((r) => (r.length === 1 ? r[0]! : `${r[0]}..${r.at(-1)}`)).join(', ');
}

function logTreeCheck(args: {
  area: 'access-logs' | 'trail-s3-data';
  what: string;
  location: string;
  byBucketDay: Record<string, Record<string, number>>;
  problems: Array<{ file: string; message: string }>;
  period: Period;
  fix: string;
}): Check {
  const all = periodDays(args.period);
  const seen = new Set(Object.values(args.byBucketDay).flatMap((days) => Object.keys(days)));
  const covered = all.filter((d) => seen.has(d));
  const missing = all.filter((d) => !seen.has(d));
  const problems = args.problems.map((p) => `${p.file}: ${p.message}`);
  const ok = missing.length === 0 && problems.length === 0;
  const coverage = `${args.what} cover ${covered.length} of ${all.length} days of ${args.period.label}${covered.length ? ` (${dayRanges(covered)})` : ''}`;
  return {
    area: args.area,
    scope: `${args.what} ${args.location}`,
    status: ok ? 'ok' : 'gap',
    detail: [
      coverage,
      ...(missing.length ? [`no records on ${dayRanges(missing)}`] : []),
      ...(problems.length ? [`unreadable: ${problems.join('; ')}`] : []),
    ].join('; '),
    ...(ok ? {} : { fix: [args.fix] }),
  };
}

export interface OfflineCheckArgs {
  config: Config;
  tenant: TenantConfig;
  period: Period;
  now: Date;
}

/** Readiness of each offline-export account of `tenant` (log trees are reported on the first one). */
export async function checkOfflineAccounts(args: OfflineCheckArgs): Promise<AccountReadiness[]> {
  const accounts = args.tenant.accounts.filter((a) => a.offlineExport);
  if (accounts.length === 0) return [];
  const tenant = { ...args.tenant, accounts };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 's3e-doctor-'));
  try {
    const packetDir = path.join(tmp, 'packet');
    // No configDir: locations stay absolute in this throw-away evidence, so files are named relative to each export.
    const { configDir: _unused, ...config } = args.config;
    await collectTenantEvidence(
      { config, configSha256: '', tenant, period: args.period, outDir: tmp, now: args.now },
      packetDir,
    );
    const records: FiledRecord[] = [];
    for (const rel of await jsonFiles(packetDir, path.join(packetDir, EVIDENCE_DIR))) {
      const value = JSON.parse(await readFile(path.join(packetDir, ...rel.split('/')), 'utf8')) as unknown;
      if (typeof value !== 'object' || value === null || !('outcome' in value)) continue;
      const read = readStoredRecord(value, rel);
      if ('record' in read && read.record.source === 'offline') records.push(read.record);
    }
    const evidence = await loadEvidence(packetDir);
    const logs = await loadLogEvidence(packetDir);
    return accounts.map((account, i) => {
      const checks = readChecks(
        // A key in an account with no export of its own is read through the first one.
        records.filter((r) => r.account === account.id || (i === 0 && !accounts.some((a) => a.id === r.account))),
        account,
      );
      for (const p of evidence.collectionProblems.filter((c) => c.scope.includes(account.id)))
        checks.push({
          area: 'read',
          scope: p.scope,
          status: 'gap',
          detail: p.message,
          fix: [reExportAccount(account)],
        });
      for (const b of evidence.buckets.filter((x) => x.account === account.id)) {
        const inv = b.inventory;
        checks.push(
          inv.status === 'ok'
            ? {
                area: 'inventory',
                scope: `bucket ${b.name}`,
                status: 'ok',
                detail: `inventory report ${inv.reportDate ?? ''} for ${args.period.label}`.replace('  ', ' '),
              }
            : {
                area: 'inventory',
                scope: `bucket ${b.name}`,
                status: 'gap',
                detail: `no usable inventory report for ${args.period.label} (${inv.status}): ${inv.reason}. Copy the bucket's S3 Inventory report for the period into the tenant's inventory location (${tenant.sources.inventory.join(', ') || 'none configured: add sources.inventory'}):`,
                fix: [
                  command('aws', 's3api', 'list-bucket-inventory-configurations', '--bucket', b.name),
                  command(
                    'aws',
                    's3',
                    'cp',
                    '--recursive',
                    `s3://REPLACE-WITH-INVENTORY-DESTINATION/REPLACE-WITH-PREFIX/${b.name}/`,
                    path.join(tenant.sources.inventory[0] ?? 'REPLACE-WITH-INVENTORY-FOLDER', b.name),
                  ),
                ],
              },
        );
      }
      if (i === 0) {
        for (const scan of logs.accessLogs ?? [])
          checks.push(
            logTreeCheck({
              area: 'access-logs',
              what: 'access logs',
              location: scan.location,
              byBucketDay: scan.byBucketDay,
              problems: scan.problems,
              period: args.period,
              fix: command('aws', 's3', 'sync', 's3://REPLACE-WITH-LOG-BUCKET/REPLACE-WITH-PREFIX/', scan.location),
            }),
          );
        for (const scan of logs.cloudTrail ?? [])
          checks.push(
            logTreeCheck({
              area: 'trail-s3-data',
              what: 'CloudTrail logs',
              location: scan.location,
              byBucketDay: scan.s3DataEventsByBucketDay,
              problems: scan.problems,
              period: args.period,
              fix: command(
                'aws',
                's3',
                'sync',
                's3://REPLACE-WITH-TRAIL-BUCKET/AWSLogs/',
                path.join(scan.location, 'AWSLogs'),
              ),
            }),
          );
      }
      return { account: account.id, ready: isReady(checks), checks, calls: [] };
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
