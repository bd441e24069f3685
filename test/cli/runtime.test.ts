import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceSdkNodeWarning, runtimeNotice } from '../../src/cli/runtime.js';
import { bundledCli } from '../support/cli-process.js';

describe('runtimeNotice', () => {
  it('names an old Node and the supported one; nothing on Node 22 and later', () => {
    expect(runtimeNotice('v20.20.2')).toBe(
      'Node v20.20.2 is past its end of life; the supported runtime is Node 22 LTS (AWS SDK releases from January 2027 require it)',
    );
    expect(runtimeNotice('v22.23.3')).toBeUndefined();
    expect(runtimeNotice('v24.1.0')).toBeUndefined();
  });

  it("switches the SDK's own warning off on an old Node only, and never against the operator's setting", () => {
    const old: NodeJS.ProcessEnv = {};
    replaceSdkNodeWarning(old, 'v20.20.2');
    expect(old.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const current: NodeJS.ProcessEnv = {};
    replaceSdkNodeWarning(current, 'v22.23.3');
    expect(current).toEqual({});
    const chosen: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    replaceSdkNodeWarning(chosen, 'v20.20.2');
    expect(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});

describe('a live command as a process, on the Node running the tests', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 's3e-runtime-'));
    bundle = await bundledCli();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(bundle), { recursive: true, force: true });
  });

  it('prints no AWS SDK Node-version warning (the SDK clients are made: doctor calls STS)', () => {
    const cfg = path.join(dir, 'live.yaml');
    writeFileSync(
      cfg,
      'version: 1\ntenants:\n  - id: t1\n    displayName: T1\n    accounts:\n      - id: "123456789012"\n',
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDX',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-west-1',
    };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete env.AWS_PROFILE;
    // Port 9 (discard) refuses: every call fails fast; what matters is what the process printed.
    const r = spawnSync(process.execPath, [bundle, 'doctor', '--config', cfg, '--endpoint-url', 'http://127.0.0.1:9'], {
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(r.status).toBe(3);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
    expect(r.stderr).not.toContain('January 2027');
  }, 120_000);
});
