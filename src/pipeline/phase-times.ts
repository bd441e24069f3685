/**
 * Wall time per phase of one tenant's run, for the operator (`run --json` and the summary): where
 * a run goes. Never written into the packet or its evidence, which stay byte-identical run to run.
 */
const PHASES = [
  // The baseline, the exceptions register and the earlier months' packets: read before anything is collected.
  'collectGovernance',
  'connect',
  'collectBuckets',
  'collectKeys',
  'collectInventory',
  'collectLogs',
  'collectConfig',
  'analyze',
  'render',
  'write',
  // Saving and restoring the checkpoints a killed run is resumed from (pipeline/checkpoints.ts).
  'checkpoint',
] as const;
export type Phase = (typeof PHASES)[number];

/** Milliseconds per phase, rounded; phases that did not run are absent. */
export type PhaseTimings = Partial<Record<Phase, number>>;

export class PhaseClock {
  private readonly ms = new Map<Phase, number>();

  add(phase: Phase, ms: number): void {
    this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
  }

  async time<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.add(phase, performance.now() - started);
    }
  }

  timings(): PhaseTimings {
    return Object.fromEntries(PHASES.filter((p) => this.ms.has(p)).map((p) => [p, Math.round(this.ms.get(p)!)]));
  }
}
