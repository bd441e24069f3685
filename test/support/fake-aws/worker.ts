/**
 * Runs the fake AWS endpoint in a worker thread, so that a benchmark's client and server do not
 * share one event loop. Messages: in {scenario} once; then 'reset' | 'stats' | 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from './scenario.js';
import { startFakeAws } from './server.js';

const fake = await startFakeAws(workerData as Scenario);
parentPort!.postMessage({ type: 'ready', endpoint: fake.endpoint, callerCredentials: fake.callerCredentials });
parentPort!.on('message', async (msg: string) => {
  if (msg === 'reset') {
    fake.recorder.reset();
    parentPort!.postMessage({ type: 'reset' });
  } else if (msg === 'stats') {
    const r = fake.recorder;
    parentPort!.postMessage({ type: 'stats', calls: r.calls.length, maxInFlight: r.maxInFlight, maxInFlightBy: r.maxInFlightBy });
  } else if (msg === 'close') {
    await fake.close();
    parentPort!.postMessage({ type: 'closed' });
    parentPort!.close();
  }
});
