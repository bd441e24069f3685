import { open as openFile, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TreeNotFoundError, asFolderPrefix, compareUtf8, type TreeEntry, type TreeReader } from './tree.js';

/** A local folder holding the same tree as the bucket prefix (what `aws s3 sync` makes). */
export function localTree(folder: string): TreeReader {
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

    async listChildren(prefix: string): Promise<string[]> {
      const folder = asFolderPrefix(prefix);
      const children = await readFolder(resolve(folder), assertRootExists);
      return children.filter((c) => c.isDir).map((c) => c.name).sort(compareUtf8);
    },

    list(prefix: string): AsyncIterable<TreeEntry> {
      // Walk the deepest folder the prefix names, then filter on the full prefix (S3 prefix semantics).
      const slash = prefix.lastIndexOf('/');
      const folder = slash < 0 ? '' : prefix.slice(0, slash + 1);
      return walk(resolve(folder), folder, prefix, assertRootExists);
    },

    async open(treePath: string): Promise<NodeJS.ReadableStream> {
      const abs = resolve(treePath);
      try {
        const handle = await openFile(abs, 'r');
        const info = await handle.stat();
        if (!info.isFile()) {
          await handle.close();
          throw new Error(`${abs} is not a file`);
        }
        return handle.createReadStream({ highWaterMark: 1 << 20 });
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
}

/** Children of a folder; a missing folder is empty (as an S3 prefix would be) unless the root itself is missing. */
async function readFolder(abs: string, assertRootExists: () => Promise<void>): Promise<Child[]> {
  let dir;
  try {
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
      const info = await stat(full);
      children.push({ name: dirent.name, isDir: info.isDirectory(), size: info.isFile() ? info.size : 0 });
    }
  }
  return children;
}

async function* walk(
  abs: string,
  relFolder: string,
  prefix: string,
  assertRootExists: () => Promise<void>,
): AsyncGenerator<TreeEntry> {
  const children = await readFolder(abs, assertRootExists);
  // Sorting folders as "name/" makes the depth-first walk come out in full-path byte order.
  children.sort((a, b) => compareUtf8(a.isDir ? `${a.name}/` : a.name, b.isDir ? `${b.name}/` : b.name));
  for (const child of children) {
    const rel = `${relFolder}${child.name}`;
    if (child.isDir) {
      const relDir = `${rel}/`;
      if (relDir.startsWith(prefix) || prefix.startsWith(relDir)) {
        yield* walk(path.join(abs, child.name), relDir, prefix, assertRootExists);
      }
    } else if (rel.startsWith(prefix)) {
      yield { path: rel, size: child.size };
    }
  }
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
