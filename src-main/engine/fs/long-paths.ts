// Paths longer than the kernel's PATH_MAX (4096 bytes on Linux) cannot be handed to any path-based
// call in one piece. Like GNU tar (openat), the backup and the restore reach them through an open
// descriptor of an ancestor folder: `/proc/self/fd/<fd>/<rest>`, where <rest> stays short. The
// descriptor is opened with O_NOFOLLOW, so it is always the real folder itself, never a link.
// Windows needs none of this: Node's fs already uses `\\?\` long paths there.
import { constants } from 'node:fs';

/** A path for fs calls: a string when it is valid UTF-8, else the exact bytes. */
export type FsPath = string | Buffer;

/**
 * Above this many bytes a path is reached through an ancestor's descriptor, so that no path handed
 * to the kernel comes near PATH_MAX (4096) even with 255-byte names below it.
 */
export const LONG_PATH = 3000;
export const DIR_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);
export const CAN_ANCHOR = process.platform === 'linux';

export function byteLength(p: FsPath): number {
  return typeof p === 'string' ? Buffer.byteLength(p) : p.length;
}

/** The path of an open folder descriptor, for fs calls on what is below it. */
export function descriptorPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}
