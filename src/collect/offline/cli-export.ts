import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { outcomeForErrorCode, type EvidenceRecord } from '../../evidence/record.js';
import { UNREADABLE } from '../../evidence/answers.js';

/**
 * Reads one AWS CLI output as evidence. The export layout keeps, for every command, either
 * `<name>.json` (what the CLI printed on stdout) or `<name>.error.txt` (what it printed on stderr).
 */
export interface CliCall {
  /** e.g. "s3:GetBucketEncryption" */
  operation: string;
  parameters: Record<string, string>;
  account: string;
  region: string;
  collectedAt: string;
}

// aws-cli v1 and v2 both print: "An error occurred (Code) when calling the Op operation: message"
const CLI_ERROR = /An error occurred \(([A-Za-z0-9.]+)\)(?: \(reached max retries: \d+\))? when calling the (\w+) operation(?:[^:]*)?: ?(.*)/s;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function parseCliError(text: string): { code: string; message: string; operation?: string } {
  const m = CLI_ERROR.exec(text);
  if (m) return { code: m[1]!, message: m[3]!.trim(), operation: m[2]! };
  const firstLine = text.trim().split('\n')[0] ?? '';
  return { code: 'CliError', message: firstLine || 'the AWS CLI reported an error without a message' };
}

export async function readCliOutput(folder: string, name: string, call: CliCall): Promise<EvidenceRecord> {
  const base = { ...call, source: 'offline' as const };
  const jsonPath = path.join(folder, `${name}.json`);
  const errorPath = path.join(folder, `${name}.error.txt`);
  const [json, errorText] = await Promise.all([readIfPresent(jsonPath), readIfPresent(errorPath)]);
  if (json !== undefined && json.trim() !== '') {
    try {
      return { ...base, sourcePath: jsonPath, outcome: 'ok', response: JSON.parse(json) as unknown };
    } catch (err) {
      return {
        ...base,
        sourcePath: jsonPath,
        outcome: 'error',
        error: { code: 'UnparsableExport', message: `${jsonPath}: not valid JSON (${(err as Error).message})` },
      };
    }
  }
  if (errorText !== undefined && errorText.trim() !== '') {
    const { code, message, operation } = parseCliError(errorText);
    // An error text from another call (a copy slip) says nothing about this one.
    const expected = call.operation.split(':')[1];
    if (operation !== undefined && operation !== expected) {
      const why = `${path.basename(folder)}/${name}.error.txt: the error is from the ${operation} operation, not ${expected} (${code}: ${message})`;
      return { ...base, sourcePath: errorPath, outcome: 'error', error: { code: UNREADABLE, message: why } };
    }
    return { ...base, sourcePath: errorPath, outcome: outcomeForErrorCode(code), error: { code, message } };
  }
  return {
    ...base,
    sourcePath: jsonPath,
    outcome: 'error',
    error: { code: 'NotExported', message: `${jsonPath}: not in the offline export (neither .json nor .error.txt)` },
  };
}

export async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
