// Removes a folder and everything in it, never following a link (links are removed, not what
// they point to), at any depth: folders whose path would pass PATH_MAX are emptied through their
// own descriptor (long-paths.ts). Node's rm cannot reach such paths.
import { closeSync, lstatSync, openSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { sep } from 'node:path';
import { byteLength, CAN_ANCHOR, descriptorPath, DIR_FLAGS, LONG_PATH, type FsPath } from './long-paths.js';

export function removeTreeSync(path: FsPath): void {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isDirectory()) return unlinkSync(path);
  emptyFolder(path);
  rmdirSync(path);
}

function emptyFolder(access: FsPath): void {
  for (const name of readdirSync(access, { encoding: 'buffer' })) {
    const child = Buffer.concat([
      typeof access === 'string' ? Buffer.from(access) : access,
      Buffer.from(sep),
      name,
    ]);
    if (!lstatSync(child).isDirectory()) {
      unlinkSync(child);
      continue;
    }
    if (CAN_ANCHOR && byteLength(child) > LONG_PATH) {
      const fd = openSync(child, DIR_FLAGS);
      try {
        emptyFolder(descriptorPath(fd));
      } finally {
        closeSync(fd);
      }
    } else emptyFolder(child);
    rmdirSync(child);
  }
}
