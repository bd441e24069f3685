import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { bundleModule } from './bundle-module.js';

/**
 * The CLI as one ESM file, bundled from src/ with esbuild (dependencies stay external), so tests can
 * run it as a process of its own (a pseudo-terminal, a closed pipe) without `npm run build`. It sits
 * under node_modules/.cache/ so that the tool finds the project root (package.json) and its packages
 * from there as it does from dist/.
 */
export async function bundledCli(): Promise<string> {
  const dir = path.resolve('node_modules', '.cache', 's3e-cli-process', String(process.pid));
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'main.mjs');
  await bundleModule(path.resolve('src', 'cli', 'main.ts'), outfile);
  return outfile;
}

/** Runs the bundled CLI under a pseudo-terminal (util-linux `script`); returns what the terminal showed. */
export function runUnderPty(
  cli: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): SpawnSyncReturns<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cli, ...args].map(quote).join(' ');
  // -q: no start/end banner; -e: the command's exit code; -c: the command; /dev/null: no typescript file.
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '120', ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs the bundled CLI with stdout piped to a reader that has already gone away (what `head` leaves
 * behind once it has its lines): the reader's end is closed before the CLI writes anything.
 */
export function runIntoClosedPipe(
  cli: string,
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout.destroy();
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** What a CLI process printed and how it ended. */
export interface CliProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the bundled CLI as a process of its own; `done` settles when it ends. `kill` is the child's,
 * for tests that stop it part-way (SIGKILL: no clean-up of its own runs).
 */
export function startCli(
  cli: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { done: Promise<CliProcessResult>; kill: (signal: NodeJS.Signals) => void; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<CliProcessResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: (signal) => child.kill(signal), stderrSoFar: () => stderr };
}
