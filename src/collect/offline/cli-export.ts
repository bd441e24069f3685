import { stat } from 'node:fs/promises';
import path from 'node:path';
import { outcomeForErrorCode, type EvidenceRecord } from '../../evidence/record.js';
import { UNREADABLE } from '../../evidence/answers.js';
import { readJson } from '../../format/json-keys.js';
import { isRefusedRead, readConfinedText, type ReadLimits } from '../../util/confined-read.js';

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
const CLI_ERROR =
  /An error occurred \(([A-Za-z0-9.]+)\)(?: \(reached max retries: \d+\))? when calling the (\w+) operation(?:[^:]*)?: ?(.*)/s;

type Read = { text: string | undefined } | { refused: { code: string; message: string } };

/** A file of the export, read only if it is a regular file inside the export (see util/confined-read). */
async function readInExport(root: string, file: string, limits: ReadLimits | undefined): Promise<Read> {
  try {
    return { text: await readConfinedText(root, file, limits) };
  } catch (err) {
    if (isRefusedRead(err)) return { refused: { code: err.code, message: err.message } };
    throw err;
  }
}

export function parseCliError(text: string): { code: string; message: string; operation?: string } {
  const m = CLI_ERROR.exec(text);
  if (m) return { code: m[1]!, message: m[3]!.trim(), operation: m[2]! };
  const firstLine = text.trim().split('\n')[0] ?? '';
  return { code: 'CliError', message: firstLine || 'the AWS CLI reported an error without a message' };
}

/**
 * `root` is the account's export folder: nothing outside it is read, whatever links or names inside
 * it say. A file that is refused (a link out of the export, a FIFO, device, oversized or hanging file)
 * is an unreadable record with the reason, so every verdict that needs it is NOT EVALUATED.
 */
export async function readCliOutput(
  folder: string,
  name: string,
  call: CliCall,
  root: string = folder,
  limits?: ReadLimits,
): Promise<EvidenceRecord> {
  const base = { ...call, source: 'offline' as const };
  const jsonPath = path.join(folder, `${name}.json`);
  const errorPath = path.join(folder, `${name}.error.txt`);
  const [jsonRead, errorRead] = await Promise.all([
    readInExport(root, jsonPath, limits),
    readInExport(root, errorPath, limits),
  ]);
  if ('refused' in jsonRead) return { ...base, sourcePath: jsonPath, outcome: 'error', error: jsonRead.refused };
  const json = jsonRead.text;
  if (json === undefined && 'refused' in errorRead)
    return { ...base, sourcePath: errorPath, outcome: 'error', error: errorRead.refused };
  const errorText = 'text' in errorRead ? errorRead.text : undefined;
  if (json !== undefined && json.trim() !== '') {
    const read = readJson(json);
    if ('value' in read) return { ...base, sourcePath: jsonPath, outcome: 'ok', response: read.value };
    // The AWS CLI never writes a key twice: a file that does was not written by it as it is.
    const why = 'invalid' in read ? `not valid JSON (${read.invalid})` : read.twice;
    return {
      ...base,
      sourcePath: jsonPath,
      outcome: 'error',
      error: { code: 'UnparsableExport', message: `${jsonPath}: ${why}` },
    };
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
  // A file that is there but blank was written by something, and not as the CLI writes: unreadable, not absent.
  const blank = json !== undefined ? jsonPath : errorText !== undefined ? errorPath : undefined;
  if (blank !== undefined)
    return {
      ...base,
      sourcePath: blank,
      outcome: 'error',
      error: {
        code: 'EmptyExport',
        message: `${blank}: empty (the AWS CLI writes its answer, or its error in ${name}.error.txt; an empty file is neither)`,
      },
    };
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
