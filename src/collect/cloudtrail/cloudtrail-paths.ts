import type { TreeReader } from '../tree/tree.js';
import type { TrailFolder } from '../../evidence/log-scans.js';

const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Child folder names of `prefix`, whether the tree answers with names or with full prefixes. */
async function childNames(tree: TreeReader, prefix: string): Promise<string[]> {
  const children = await tree.listChildren(prefix);
  return children
    .map((c) => (c.startsWith(prefix) ? c.slice(prefix.length) : c))
    .map((c) => c.replace(/\/+$/, ''))
    .filter((c) => c.length > 0 && !c.includes('/'));
}

/** Every account/region trail folder in the tree. The tree may be rooted above AWSLogs/ or at it. */
export async function findTrailFolders(
  tree: TreeReader,
  accounts?: readonly string[],
): Promise<{ folders: TrailFolder[]; problems: string[] }> {
  const problems: string[] = [];
  const rootChildren = await childNames(tree, '');
  let awsLogs: string;
  if (rootChildren.includes('AWSLogs')) awsLogs = 'AWSLogs/';
  else if (rootChildren.some((c) => ACCOUNT.test(c) || ORG.test(c))) awsLogs = '';
  else
    return {
      folders: [],
      problems: [`no AWSLogs/ folder (and no account or organization folders) in ${tree.description}`],
    };

  const accountRoots: Array<{ prefix: string; account: string; organizationId?: string }> = [];
  for (const child of await childNames(tree, awsLogs)) {
    if (ACCOUNT.test(child)) accountRoots.push({ prefix: `${awsLogs}${child}/`, account: child });
    else if (ORG.test(child)) {
      for (const acct of await childNames(tree, `${awsLogs}${child}/`)) {
        if (ACCOUNT.test(acct))
          accountRoots.push({ prefix: `${awsLogs}${child}/${acct}/`, account: acct, organizationId: child });
      }
    }
  }
  const folders: TrailFolder[] = [];
  for (const root of accountRoots) {
    if (accounts && accounts.length > 0 && !accounts.includes(root.account)) continue;
    const regions = (await childNames(tree, `${root.prefix}CloudTrail/`)).filter((r) => REGION.test(r));
    for (const region of regions) {
      folders.push({
        prefix: `${root.prefix}CloudTrail/${region}/`,
        account: root.account,
        region,
        ...(root.organizationId ? { organizationId: root.organizationId } : {}),
      });
    }
  }
  folders.sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
  const seen = new Map<string, TrailFolder>();
  for (const f of folders) {
    const id = `${f.account}/${f.region}`;
    const other = seen.get(id);
    if (other)
      problems.push(
        `account ${f.account} region ${f.region} is delivered by two trails (${other.prefix}, ${f.prefix}); an event in both is counted once only for denied uploads`,
      );
    else seen.set(id, f);
  }
  return { folders, problems };
}

/** "2026-10-05" → "2026/10/05/" */
export function dayFolder(day: string): string {
  return `${day.slice(0, 4)}/${day.slice(5, 7)}/${day.slice(8, 10)}/`;
}

export function isTrailLogFile(path: string): boolean {
  return path.endsWith('.json.gz') || path.endsWith('.json');
}
