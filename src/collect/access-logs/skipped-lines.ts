import type { LogProblem, SkippedSummary } from '../../evidence/log-scans.js';

/** Counts every skipped line or record and keeps the first `maxSamples` with file and line. */
export class SkippedLines {
  count = 0;
  readonly samples: LogProblem[] = [];
  constructor(private readonly maxSamples = 50) {}

  add(file: string, line: number, message: string): void {
    this.count++;
    if (this.samples.length < this.maxSamples) this.samples.push({ file, line, message });
  }

  summary(): SkippedSummary {
    return { count: this.count, samples: [...this.samples] };
  }
}
