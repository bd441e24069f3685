/**
 * Packets are portable: no absolute local path is written into one. Every local location the
 * configuration names (offline exports, inventory and log trees, the exceptions and baseline
 * folders, the output folder) is recorded relative to the configuration file's folder, the way the
 * user wrote it; `s3://` URLs stay as they are. Applied where evidence is written (EvidenceWriter),
 * so every later file — packet.json, PDF, workbook, CSV, manifest — inherits it.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.js';

export type RecordLocations = (text: string) => string;

export const recordAsIs: RecordLocations = (text) => text;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Replaces each absolute root (and its real path) in a text by the root's path relative to `baseDir`. */
export function locationRecorder(baseDir: string, roots: string[]): RecordLocations {
  const pairs = new Map<string, string>();
  for (const root of roots) {
    if (!path.isAbsolute(root)) continue;
    const recorded = toPosix(path.relative(baseDir, root)) || '.';
    for (const form of [path.resolve(root), realOrSelf(root)]) {
      if (form !== path.parse(form).root && !pairs.has(form)) pairs.set(form, recorded);
    }
  }
  if (pairs.size === 0) return recordAsIs;
  // Longest first, and only whole path segments: /a/export must not rewrite /a/export-old.
  const ordered = [...pairs.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(${ordered.map(escapeRegExp).join('|')})(?=[\\\\/\\s"'),;:\\]]|$)`, 'g');
  return (text) => (text.includes(path.sep) ? text.replace(pattern, (m) => pairs.get(m)!) : text);
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Every local location a run may name: the configuration's folders and sources, and the output folder. */
export function configuredRoots(config: Config, outDir: string): string[] {
  const local = (loc: string) => !loc.startsWith('s3://');
  return [
    ...(config.configDir ? [config.configDir] : []),
    config.baselineDir,
    config.exceptionsDir,
    outDir,
    ...config.tenants.flatMap((t) => [
      ...t.accounts.flatMap((a) => (a.offlineExport ? [a.offlineExport] : [])),
      ...t.sources.inventory.filter(local),
      ...t.sources.accessLogs.filter(local),
      ...t.sources.cloudTrail.filter(local),
    ]),
  ];
}

/**
 * `value` as JSON text (`toText`) with `record` applied to every string in it (keys included). In a
 * text without a single escape every string and key stands as it is, and a root (which holds no
 * quote) can only occur inside one of them, so recording the text records each string: the text is
 * made once and the value is never copied. A log scan's evidence names its tree and is megabytes of
 * text; copying it and making its text twice was most of what writing it cost (a run's peak RSS at
 * the end of its log scans). When JSON escapes a character (a quote, a backslash, a control
 * character) the text no longer shows the strings as they are, and the value is copied with its
 * strings recorded.
 */
export function recordedJson(value: unknown, record: RecordLocations, toText: (v: unknown) => string): string {
  const text = toText(value);
  if (record === recordAsIs) return text;
  if (!JSON_ESCAPED.test(text)) return record(text);
  return toText(recordValue(value, record));
}

/** An escape in JSON text (a quote or backslash in a string, a control character): the text may hide a root. */
const JSON_ESCAPED = /\\/;

/** A deep copy of a JSON value with `record` applied to every string (keys included). */
export function recordValue(value: unknown, record: RecordLocations): unknown {
  if (record === recordAsIs) return value;
  if (typeof value === 'string') return record(value);
  if (Array.isArray(value)) return value.map((v) => recordValue(v, record));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [record(k), recordValue(v, record)]),
    );
  }
  return value;
}
