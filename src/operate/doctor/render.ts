/** The readiness table for a terminal, and every gap with the commands that close it. */
import type { DoctorReport, TenantReadiness } from './readiness.js';

/** Nothing failed, but something was not checked (an offline export): not ready, and said so plainly. */
function notChecked(t: TenantReadiness): boolean {
  const checks = t.accounts.flatMap((a) => a.checks);
  return (
    !t.ready &&
    checks.some((c) => c.status === 'skipped') &&
    checks.every((c) => c.status === 'ok' || c.status === 'skipped')
  );
}

const MARK: Record<string, string> = { ok: 'ok', gap: 'GAP', unknown: 'UNKNOWN', skipped: 'skipped' };

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function renderDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  if (report.caller) lines.push(`Checked as ${report.caller.arn} at ${report.checkedAt}`);
  for (const t of report.tenants) {
    lines.push('', `${t.tenant}: ${t.ready ? 'READY' : notChecked(t) ? 'NOT CHECKED' : 'NOT READY'}`);
    const rows = t.accounts.flatMap((a) =>
      a.checks.map((c) => [a.account, c.area, c.scope, MARK[c.status] ?? c.status, c.detail]),
    );
    const widths = [12, 13, Math.min(40, Math.max(5, ...rows.map((r) => r[2]!.length))), 7];
    lines.push(`  ${['account', 'check', 'scope', 'status'].map((h, i) => pad(h, widths[i]!)).join('  ')}  detail`);
    for (const r of rows)
      lines.push(
        `  ${r
          .slice(0, 4)
          .map((v, i) => pad(v, widths[i]!))
          .join('  ')}  ${r[4]}`,
      );
    for (const a of t.accounts) {
      const failed = a.calls.filter((c) => c.outcome === 'access_denied' || c.outcome === 'error');
      if (a.calls.length)
        lines.push(
          `  ${a.account}: ${a.calls.length - failed.length} of ${a.calls.length} read calls answered${failed.length ? `; failed: ${failed.map((c) => `${c.operation} (${c.errorCode})`).join(', ')}` : ''}`,
        );
    }
    const gaps = t.accounts.flatMap((a) => a.checks.filter((c) => c.fix?.length).map((c) => ({ a, c })));
    if (gaps.length) {
      lines.push('  To fix (run with credentials for the account named; s3-evidence itself changes nothing):');
      for (const { a, c } of gaps) {
        lines.push(`  # ${a.account} ${c.scope}: ${c.detail}`);
        for (const cmd of c.fix!) lines.push(`    ${cmd}`);
      }
    }
  }
  const notReady = report.tenants.filter((t) => !t.ready && !notChecked(t)).map((t) => t.tenant);
  const unchecked = report.tenants.filter((t) => !t.ready && notChecked(t)).map((t) => t.tenant);
  lines.push('');
  if (report.ready) lines.push('All tenants ready.');
  if (notReady.length) lines.push(`Not ready: ${notReady.join(', ')}.`);
  if (unchecked.length)
    lines.push(
      `Not checked (offline exports): ${unchecked.join(', ')}; not counted as ready. Check them with s3-evidence doctor --config <file>.`,
    );
  return `${lines.join('\n')}\n`;
}
