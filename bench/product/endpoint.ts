/** The parent's handle on the endpoint process (endpoint-process.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioSize } from './scenario.js';

export interface EndpointStats {
  calls: number;
  /** CPU (user + system) the endpoint's process spent since the last reset. */
  cpuSeconds: number;
  byOperation: Record<string, number>;
  maxInFlight: Record<string, number>;
  maxInFlightBy: Record<string, number>;
}

export interface Endpoint {
  url: string;
  setLatency(ms: number): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<EndpointStats>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startEndpoint(size: ScenarioSize): Promise<Endpoint> {
  const child: ChildProcess = fork(path.join(here, 'endpoint-process.js'), [JSON.stringify(size)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`the endpoint process exited (${code}) before answering ${type}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready');
  const ask = async (msg: Record<string, unknown>) => {
    const p = next(msg.type as string);
    child.send(msg);
    return p;
  };
  return {
    url: ready.endpoint as string,
    setLatency: async (ms) => {
      await ask({ type: 'latency', ms });
    },
    reset: async () => {
      await ask({ type: 'reset' });
    },
    stats: async () => (await ask({ type: 'stats' })) as unknown as EndpointStats,
    close: async () => {
      await ask({ type: 'close' }).catch(() => undefined);
      child.kill();
    },
  };
}
