import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { confinedPath, isRefusedRead, openConfinedStream, type ReadLimits } from '../../util/confined-read.js';
import { TreeNotFoundError, asFolderPrefix, compareUtf8, type TreeEntry, type TreeReader } from './tree.js';

/**
 * A local folder holding the same tree as the bucket prefix (what `aws s3 sync` makes). Nothing
 * outside the folder is listed or read: a link leaving it, a FIFO, socket or device is listed as an
 * entry whose `open` is refused with the reason, so the reader records it instead of skipping it.
 */
export function localTree(folder: string, limits: ReadLimits = {}): TreeReader {
  const root = path.resolve(folder);

  /** Tree paths come from delivered files (manifest keys), so they must not climb out of the root. */
  function resolve(treePath: string): string {
    const parts = treePath.split('/');
    if (path.isAbsolute(treePath) || parts.includes('..')) {
      throw new Error(`path "${treePath}" is not inside the tree ${root}`);
    }
    return path.join(root, ...parts.filter((p) => p !== ''));
  }

  async function assertRootExists(): Promise<void> {
    try {
      await stat(root);
    } catch (err) {
      if (errCode(err) === 'ENOENT') throw new TreeNotFoundError('ENOENT', root);
      throw err;
    }
  }

  return {
    description: root,
    local: { root, limits },

    async listChildren(prefix: string): Promise<string[]> {
      const folder = asFolderPrefix(prefix);
      const children = await readFolder(root, resolve(folder), assertRootExists);
      return children
        .filter((c) => c.isDir)
        .map((c) => c.name)
        .sort(compareUtf8);
    },

    list(prefix: string): AsyncIterable<TreeEntry> {
      // Walk the deepest folder the prefix names, then filter on the full prefix (S3 prefix semantics).
      const slash = prefix.lastIndexOf('/');
      const folder = slash < 0 ? '' : prefix.slice(0, slash + 1);
      return walk(root, resolve(folder), folder, prefix, assertRootExists, new Set());
    },

    async open(treePath: string): Promise<NodeJS.ReadableStream> {
      const abs = resolve(treePath);
      try {
        return await openConfinedStream(root, abs, limits);
      } catch (err) {
        if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') throw new TreeNotFoundError('ENOENT', abs);
        throw err;
      }
    },

    locate(treePath: string): string {
      return resolve(treePath);
    },
  };
}

interface Child {
  name: string;
  isDir: boolean;
  size: number;
  /** Where a symbolic link inside the tree leads. */
  real?: string;
}

/** Children of a folder; a missing folder is empty (as an S3 prefix would be) unless the root itself is missing. */
async function readFolder(root: string, abs: string, assertRootExists: () => Promise<void>): Promise<Child[]> {
  let dir;
  try {
    // A folder reached through a link must still be inside the tree (refusals name the reason).
    if ((await confinedPath(root, abs)) === undefined)
      throw Object.assign(new Error(`${abs} does not exist`), { code: 'ENOENT' });
    dir = await opendir(abs);
  } catch (err) {
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') {
      await assertRootExists();
      return [];
    }
    throw err;
  }
  const children: Child[] = [];
  for await (const dirent of dir) {
    const full = path.join(abs, dirent.name);
    if (dirent.isDirectory()) {
      children.push({ name: dirent.name, isDir: true, size: 0 });
    } else if (dirent.isFile()) {
      children.push({ name: dirent.name, isDir: false, size: (await stat(full)).size });
    } else if (dirent.isSymbolicLink()) {
      // A link is followed only inside the tree; one leading out is listed so that opening it is refused.
      const real = await confinedPath(root, full).catch((err: unknown) => {
        if (isRefusedRead(err)) return undefined;
        throw err;
      });
      const info = real === undefined ? undefined : await stat(real);
      children.push({
        name: dirent.name,
        isDir: info?.isDirectory() ?? false,
        size: info?.isFile() ? info.size : 0,
        ...(real ? { real } : {}),
      });
    } else {
      // FIFOs, sockets and devices: listed, and refused with their kind when opened.
      children.push({ name: dirent.name, isDir: false, size: 0 });
    }
  }
  return children;
}

async function* walk(
  root: string,
  abs: string,
  relFolder: string,
  prefix: string,
  assertRootExists: () => Promise<void>,
  ancestors: Set<string>,
): AsyncGenerator<TreeEntry> {
  const children = await readFolder(root, abs, assertRootExists);
  const here = await realpath(abs).catch(() => abs);
  const chain = new Set([...ancestors, here]);
  // Sorting folders as "name/" makes the depth-first walk come out in full-path byte order.
  children.sort((a, b) => compareUtf8(a.isDir ? `${a.name}/` : a.name, b.isDir ? `${b.name}/` : b.name));
  for (const child of children) {
    const rel = `${relFolder}${child.name}`;
    if (child.isDir) {
      const relDir = `${rel}/`;
      if (!(relDir.startsWith(prefix) || prefix.startsWith(relDir))) continue;
      // A link back to a folder being walked (or one above it) would loop for ever: list it, and opening it is refused.
      const target = child.real ?? path.join(here, child.name);
      if (chain.has(target) || isWithin(here, target)) {
        if (rel.startsWith(prefix)) yield { path: rel, size: 0 };
        continue;
      }
      yield* walk(root, path.join(abs, child.name), relDir, prefix, assertRootExists, chain);
    } else if (rel.startsWith(prefix)) {
      yield { path: rel, size: child.size };
    }
  }
}

/** Whether `inner` is `outer` or below it. */
function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
