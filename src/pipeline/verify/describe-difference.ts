import { zipEntries } from './zip-entries.js';

function quote(line: string | undefined): string {
  if (line === undefined) return '(no such line)';
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
}

function describeText(stored: Buffer, rendered: Buffer): string {
  const a = stored.toString('utf8').split('\n');
  const b = rendered.toString('utf8').split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const counts = a.length === b.length ? '' : ` (${a.length - 1} lines stored, ${b.length - 1} re-rendered)`;
  return `line ${i + 1} is ${quote(a[i])}, re-rendering packet.json gives ${quote(b[i])}${counts}`;
}

function describeZip(stored: Buffer, rendered: Buffer): string {
  let a;
  try {
    a = zipEntries(stored);
  } catch (err) {
    return `the stored file is not a readable workbook (${(err as Error).message})`;
  }
  const b = zipEntries(rendered);
  const parts: string[] = [];
  for (const [name, e] of b) {
    const s = a.get(name);
    if (!s) parts.push(`${name} missing`);
    else if (s.crc32 !== e.crc32 || s.size !== e.size) parts.push(name);
  }
  for (const name of a.keys()) if (!b.has(name)) parts.push(`${name} extra`);
  if (parts.length === 0) return 'same parts, different archive bytes';
  return `workbook parts differ: ${parts.slice(0, 6).join(', ')}${parts.length > 6 ? ` and ${parts.length - 6} more` : ''}`;
}

function describeBytes(stored: Buffer, rendered: Buffer): string {
  let i = 0;
  const n = Math.min(stored.length, rendered.length);
  while (i < n && stored[i] === rendered[i]) i += 1;
  return `${stored.length} bytes stored, ${rendered.length} bytes re-rendered, first difference at byte ${i}`;
}

/** How a stored rendered file differs from what re-rendering packet.json gives, in words a reviewer can act on. */
export function describeDifference(relPath: string, stored: Buffer, rendered: Buffer): string {
  if (relPath.endsWith('.csv') || relPath.endsWith('.json')) return describeText(stored, rendered);
  if (relPath.endsWith('.xlsx')) return describeZip(stored, rendered);
  return describeBytes(stored, rendered);
}
