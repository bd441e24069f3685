import type { LogProblem, SkippedSummary } from '../../evidence/log-scans.js';

/** Where a SkippedLines stood: its count and how many samples it held. */
export interface SkippedMark {
  count: number;
  samples: number;
}

/** Counts every skipped line or record and keeps the first `maxSamples` with file and line. */
export class SkippedLines {
  count = 0;
  readonly samples: LogProblem[] = [];
  constructor(private readonly maxSamples = 50) {}

  add(file: string, line: number, message: string): void {
    this.count++;
    if (this.samples.length < this.maxSamples) this.samples.push({ file, line, message });
  }

  /** Another reader's skipped lines, read after these: counted, its samples kept while there is room. */
  addAll(other: SkippedSummary): void {
    this.count += other.count;
    for (const sample of other.samples) if (this.samples.length < this.maxSamples) this.samples.push(sample);
  }

  mark(): SkippedMark {
    return { count: this.count, samples: this.samples.length };
  }

  /** Back to where `mark` was taken. */
  undo(mark: SkippedMark): void {
    this.count = mark.count;
    this.samples.length = mark.samples;
  }

  summary(): SkippedSummary {
    return { count: this.count, samples: [...this.samples] };
  }
}
