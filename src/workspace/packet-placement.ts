import path from 'node:path';
import { isPeriodLabel } from '../config/period.js';

/**
 * Why a packet folder of the run's layout, <period>/<name>/, does not hold its own packet: the folder
 * names another tenant or month than the packet is of (one copied over another's). Nothing when it
 * does, or when the folder is not in a period folder: a packet kept elsewhere says nothing by its name.
 */
export function placementProblem(folder: string, owner: { tenant: string; period: string }): string | undefined {
  const absolute = path.resolve(folder);
  const name = path.basename(absolute);
  const period = path.basename(path.dirname(absolute));
  if (!isPeriodLabel(period) || (name === owner.tenant && period === owner.period)) return undefined;
  return `the packet in ${period}/${name}/ is tenant ${owner.tenant}'s for ${owner.period}, not tenant ${name}'s for ${period}`;
}
