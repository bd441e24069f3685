import type { CountedName, TopList } from '../../model/log-sections.js';

/** Counts by name; `top` sorts by count descending, then name, so equal counts come out the same every run. */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  get size(): number {
    return this.counts.size;
  }

  sorted(): CountedName[] {
    return [...this.counts.entries()]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  top(n: number): TopList {
    const all = this.sorted();
    const top = all.slice(0, n);
    const others = all.slice(n).reduce((sum, c) => sum + c.count, 0);
    return { top, others, distinct: all.length };
  }
}
