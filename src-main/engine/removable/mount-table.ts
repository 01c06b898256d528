// The Linux mount table as /proc/self/mountinfo gives it: which file system holds a folder (for the
// FAT32 file-size limit) and which mounts come and go (for "run when a drive is connected").
// mountinfo rather than /proc/mounts: it names the mount's own ID, so a drive unplugged and
// plugged again at the same mount point is seen as a new mount.
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';

export interface MountInfoEntry {
  /** Unique per mount while the system runs; a remount at the same place gets a new one. */
  mountId: number;
  mountPoint: string;
  /** "vfat", "exfat", "ntfs3", "fuseblk", "fuse.fusefat" ... */
  fsType: string;
  /** The device or image ("/dev/sdb1", "/dev/loop0"), as the driver names it. */
  source: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Lines: `id parent major:minor root mountpoint options [optional fields] - fstype source superopts`. */
export function parseMountInfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 3) continue;
    const mountId = Number(fields[0]);
    if (!Number.isInteger(mountId)) continue;
    out.push({
      mountId,
      mountPoint: unescapeField(fields[4] as string),
      fsType: fields[dash + 1] as string,
      source: unescapeField(fields[dash + 2] as string),
    });
  }
  return out;
}

export async function readMountInfo(path = '/proc/self/mountinfo'): Promise<MountInfoEntry[]> {
  return parseMountInfo(await readFile(path, 'utf8'));
}

/** The mount that holds `folder` (absolute): the longest mount point above it; the last one mounted wins. */
export function mountOf(folder: string, mounts: readonly MountInfoEntry[]): MountInfoEntry | undefined {
  const target = posix.resolve(folder);
  let best: MountInfoEntry | undefined;
  for (const m of mounts) {
    const rel = posix.relative(m.mountPoint, target);
    if (rel.startsWith('..') || posix.isAbsolute(rel)) continue;
    if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
  }
  return best;
}
