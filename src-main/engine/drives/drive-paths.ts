// Path arithmetic that must work for Windows drive roots even when the code runs (or is tested) on Linux.
import { posix, win32 } from 'node:path';

const WIN_ROOT = /^[A-Za-z]:[\\/]/;

export function isWindowsPath(p: string): boolean {
  return WIN_ROOT.test(p) || p.startsWith('\\\\');
}

function pathApi(p: string): typeof posix {
  return isWindowsPath(p) ? win32 : posix;
}

/** The folder `relativePath` (forward slashes) under a drive root. */
export function joinUnderRoot(root: string, relativePath: string): string {
  const api = pathApi(root);
  const parts = relativePath.split('/').filter((s) => s !== '');
  return parts.length === 0 ? api.normalize(root) : api.join(root, ...parts);
}

/** The path of `folder` relative to `root` with forward slashes, or undefined when it is not under it. */
export function relativeUnderRoot(root: string, folder: string): string | undefined {
  const api = pathApi(root);
  if (pathApi(folder) !== api) return undefined;
  const win = api === win32;
  const norm = (s: string): string => {
    const n = api.resolve(s);
    return win ? n.toLowerCase() : n;
  };
  const r = norm(root);
  const f = norm(folder);
  const rel = api.relative(r, f);
  if (rel.startsWith('..') || api.isAbsolute(rel)) return undefined;
  // Keep the user's spelling of the folder names (Windows compares case-insensitively).
  const original = api.relative(api.resolve(root), api.resolve(folder));
  return (win ? original : rel)
    .split(api.sep)
    .filter((s) => s !== '')
    .join('/');
}
