// A tree's content as data, computed independently of the product code (own walk, sha256sum
// for big files), so a source tree and an extracted archive can be compared byte for byte.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type SnapshotEntry =
  | { type: 'file'; size: number; sha256: string; mtimeSec: number }
  | { type: 'directory' }
  | { type: 'symlink'; target: string };

export type Snapshot = Record<string, SnapshotEntry>;

/** Files larger than this are hashed by the `sha256sum` tool instead of in-process. */
const BIG = 64 * 1024 * 1024;

export async function snapshotTree(root: string, rel = '', out: Snapshot = {}): Promise<Snapshot> {
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = join(root, r);
    const s = await lstat(abs);
    if (s.isSymbolicLink()) out[r] = { type: 'symlink', target: await readlink(abs) };
    else if (s.isDirectory()) {
      out[r] = { type: 'directory' };
      await snapshotTree(root, r, out);
    } else if (s.isFile()) {
      const sha256 =
        s.size > BIG
          ? sha256sum(abs)
          : createHash('sha256')
              .update(await readFile(abs))
              .digest('hex');
      out[r] = { type: 'file', size: s.size, sha256, mtimeSec: Math.floor(s.mtimeMs / 1000) };
    }
  }
  return out;
}

/** SHA-256 by the coreutils tool: an independent check of what the product computed. */
export function sha256sum(path: string): string {
  return execFileSync('sha256sum', ['-b', path], { encoding: 'utf8', maxBuffer: 1024 * 1024 }).split(
    ' ',
  )[0] as string;
}

/** The snapshot without mtimes (for formats or extractors that do not keep them exactly). */
export function withoutTimes(s: Snapshot): Snapshot {
  const out: Snapshot = {};
  for (const [k, v] of Object.entries(s)) out[k] = v.type === 'file' ? { ...v, mtimeSec: 0 } : v;
  return out;
}
