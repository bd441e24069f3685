/**
 * The fake AWS endpoint as a process of its own (forked by the benchmark), so the CLI under test,
 * the one-call-at-a-time client and the endpoint never share an event loop or a core.
 * argv[2]: ScenarioSize as JSON. IPC in: {type: 'latency', ms} | 'reset' | 'stats' | 'close'.
 */
import { startFakeAws } from '../../test/support/fake-aws/index.js';
import { benchScenario, type ScenarioSize } from './scenario.js';

const scenario = benchScenario(JSON.parse(process.argv[2] ?? '{}') as ScenarioSize);
const fake = await startFakeAws(scenario);
const send = (m: unknown) => process.send!(m);
// The CPU this process spends answering, counted from the last reset: what the run's calls cost the
// machine beside the run's own CPU.
let cpuAtReset = process.cpuUsage();
send({ type: 'ready', endpoint: fake.endpoint });
process.on('message', (msg: { type: string; ms?: number }) => void answer(msg));
async function answer(msg: { type: string; ms?: number }): Promise<void> {
  if (msg.type === 'latency') {
    scenario.latencyMs = msg.ms ?? 0;
    send({ type: 'latency' });
  } else if (msg.type === 'reset') {
    fake.recorder.reset();
    cpuAtReset = process.cpuUsage();
    send({ type: 'reset' });
  } else if (msg.type === 'stats') {
    const r = fake.recorder;
    const cpu = process.cpuUsage(cpuAtReset);
    const byOperation: Record<string, number> = {};
    for (const c of r.calls)
      byOperation[`${c.service}:${c.operation}`] = (byOperation[`${c.service}:${c.operation}`] ?? 0) + 1;
    send({
      type: 'stats',
      calls: r.calls.length,
      byOperation,
      maxInFlight: r.maxInFlight,
      maxInFlightBy: r.maxInFlightBy,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    });
  } else if (msg.type === 'close') {
    await fake.close();
    send({ type: 'closed' });
    process.disconnect();
  }
}
