/**
 * Preloaded into the CLI under test (node --import): writes its peak RSS (bytes) and the CPU time it
 * used (seconds, user + system) to $BENCH_RSS_FILE on exit, as JSON.
 */
import { writeFileSync } from 'node:fs';
import { ownPeakRssBytes } from '../peak-rss.js';

const file = process.env.BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    writeFileSync(file, JSON.stringify({ maxRssBytes: ownPeakRssBytes(), cpuSeconds }));
  });
