/** Consecutive runs of files of about `limit` bytes each (a larger file alone), in the order given: one worker task each. */
export function fileBatches<F extends { size: number }>(files: readonly F[], limit: number): F[][] {
  const out: F[][] = [];
  let current: F[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length > 0 && size + f.size > limit) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
