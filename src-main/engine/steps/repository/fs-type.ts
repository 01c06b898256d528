// Which file system a destination lives on, to refuse a FAT32 drive before a > 4 GiB archive
// fails half-way. The probe is injectable so tests (and other platforms) can supply their own.
//   Linux:   the longest mount point in /proc/mounts that contains the path.
//   Windows: PowerShell Get-Volume -FilePath, falling back to `fsutil fsinfo volumeinfo`.
import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, parse, resolve } from 'node:path';

/** Returns the file system type (e.g. "ext4", "vfat", "NTFS", "FAT32"), or undefined when unknown. */
export type FsTypeProbe = (path: string) => Promise<string | undefined>;

/** FAT12/16/32 as Linux and Windows name them; exFAT has no 4 GiB limit and is not in this list. */
export function isFatFamily(type: string | undefined): boolean {
  return type !== undefined && /^(vfat|msdos|umsdos|fat|fat12|fat16|fat32)$/i.test(type.trim());
}

/** Largest file FAT32 can hold: 4 GiB - 1 byte. */
export const FAT32_MAX_FILE = 2 ** 32 - 1;

/** The path itself, or its nearest ancestor that exists (a destination may not be created yet). */
export async function nearestExisting(path: string): Promise<string> {
  let p = resolve(path);
  for (;;) {
    try {
      return await realpath(p);
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}

/** /proc/mounts and /etc/fstab escape space, tab, newline and backslash as octal. */
export function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export interface MountInfo {
  mountPoint: string;
  fsType: string;
}

/** The mount holding `path`: the longest mount point containing it (the newest on a tie). */
export function mountFromMounts(mountsText: string, path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const line of mountsText.split('\n')) {
    const parts = line.split(' ');
    if (parts.length < 3) continue;
    const mount = unescapeMount(parts[1] as string);
    const type = parts[2] as string;
    const inside =
      mount === '/' || path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
    // Later lines win on equal length: the newest mount over a mount point hides older ones.
    if (inside && (!best || mount.length >= best.mountPoint.length))
      best = { mountPoint: mount, fsType: type };
  }
  return best;
}

export function fsTypeFromMounts(mountsText: string, path: string): string | undefined {
  return mountFromMounts(mountsText, path)?.fsType;
}

export function linuxMountsProbe(mountsFile = '/proc/mounts'): FsTypeProbe {
  return async (path) => {
    const real = await nearestExisting(path);
    try {
      return fsTypeFromMounts(await readFile(mountsFile, 'utf8'), real);
    } catch {
      return undefined;
    }
  };
}

type Exec = (cmd: string, args: string[]) => Promise<string>;

const execText: Exec = (cmd, args) =>
  new Promise((res, rej) =>
    execFile(cmd, args, { windowsHide: true, timeout: 15_000 }, (err, stdout) =>
      err ? rej(new Error(err.message, { cause: err })) : res(String(stdout)),
    ),
  );

export function windowsProbe(exec: Exec = execText): FsTypeProbe {
  return async (path) => {
    const target = await nearestExisting(path);
    const quoted = target.replace(/'/g, "''");
    try {
      const out = await exec('powershell.exe', [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `$v = Get-Volume -FilePath '${quoted}' -ErrorAction Stop; if ($v.FileSystem) { $v.FileSystem } else { [string]$v.FileSystemType }`,
      ]);
      const type = out.trim();
      if (type) return type;
    } catch {
      // Older Windows or a UNC path: try fsutil on the drive root.
    }
    try {
      const root = parse(target).root;
      const out = await exec('fsutil', ['fsinfo', 'volumeinfo', root]);
      return /File System Name\s*:\s*(\S+)/i.exec(out)?.[1];
    } catch {
      return undefined;
    }
  };
}

export function defaultFsTypeProbe(platform: NodeJS.Platform = process.platform): FsTypeProbe {
  if (platform === 'win32') return windowsProbe();
  if (platform === 'linux') return linuxMountsProbe();
  return () => Promise.resolve(undefined);
}
