import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSED_PIPE_EXIT, endQuietlyOnClosedPipe } from '../../src/cli/closed-pipe.js';
import { bundledCli, runIntoClosedPipe } from '../support/cli-process.js';
import { cli as runCli } from '../support/cli.js';
import { demoWorkspace } from '../support/demo-workspace.js';

function pipeError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

describe('endQuietlyOnClosedPipe', () => {
  it('ends with 141 (128 + SIGPIPE) on EPIPE', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnClosedPipe(stream, (c) => exits.push(c));
    stream.emit('error', pipeError('EPIPE'));
    expect(exits).toEqual([CLOSED_PIPE_EXIT]);
    expect(CLOSED_PIPE_EXIT).toBe(128 + 13);
  });

  it('rethrows any other stream error', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnClosedPipe(stream, (c) => exits.push(c));
    expect(() => stream.emit('error', pipeError('EIO'))).toThrow('write EIO');
    expect(exits).toEqual([]);
  });
});

describe('verify … | head: a closed pipe as a process sees it', () => {
  let ws: Awaited<ReturnType<typeof demoWorkspace>>;
  let bundle: string;
  beforeAll(async () => {
    ws = await demoWorkspace();
    bundle = await bundledCli();
    expect(
      await runCli(
        'run',
        '--config',
        path.join(ws.root, 'config', 'demo.yaml'),
        '--period',
        '2026-10',
        '--tenant',
        'northwind',
        '--out',
        ws.out,
      ),
    ).toBe(0);
  }, 120_000);
  afterAll(() => {
    rmSync(ws.root, { recursive: true, force: true });
    rmSync(path.dirname(bundle), { recursive: true, force: true });
  });

  it('ends quietly: no EPIPE stack on stderr, exit 141', async () => {
    const result = await runIntoClosedPipe(bundle, ['verify', path.join(ws.out, '2026-10', 'northwind')]);
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(CLOSED_PIPE_EXIT);
  }, 120_000);
});
