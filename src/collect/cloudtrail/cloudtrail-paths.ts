import type { TreeReader } from '../tree/tree.js';

/**
 * Trail log files live at
 *   [KeyPrefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
 * and, for an organization trail,
 *   [KeyPrefix/]AWSLogs/<org-id>/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz
 * The day folders are the (UTC) day of delivery. Digest and Insights files live in sibling
 * folders (CloudTrail-Digest, CloudTrail-Insight) and are not read.
 */
export interface TrailFolder {
  /** e.g. AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/ */
  prefix: string;
  organizationId?: string;
  account: string;
  region: string;
}

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
export async function findTrailFolders(tree: TreeReader, accounts?: readonly string[]): Promise<{ folders: TrailFolder[]; problems: string[] }> {
  const problems: string[] = [];
  const rootChildren = await childNames(tree, '');
  let awsLogs: string;
  if (rootChildren.includes('AWSLogs')) awsLogs = 'AWSLogs/';
  else if (rootChildren.some((c) => ACCOUNT.test(c) || ORG.test(c))) awsLogs = '';
  else return { folders: [], problems: [`no AWSLogs/ folder (and no account or organization folders) in ${tree.description}`] };

  const accountRoots: Array<{ prefix: string; account: string; organizationId?: string }> = [];
  for (const child of await childNames(tree, awsLogs)) {
    if (ACCOUNT.test(child)) accountRoots.push({ prefix: `${awsLogs}${child}/`, account: child });
    else if (ORG.test(child)) {
      for (const acct of await childNames(tree, `${awsLogs}${child}/`)) {
        if (ACCOUNT.test(acct)) accountRoots.push({ prefix: `${awsLogs}${child}/${acct}/`, account: acct, organizationId: child });
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
    if (other) problems.push(`account ${f.account} region ${f.region} is delivered by two trails (${other.prefix}, ${f.prefix}); an event in both is counted once only for denied uploads`);
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
