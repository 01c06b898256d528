// Drive listing on Linux: mounted block devices from /proc/mounts, labels from /dev/disk/by-label,
// removable = the disk's sysfs "removable" flag or a USB device path (USB hard disks say removable=0).
import { readdir, readFile, readlink, statfs } from 'node:fs/promises';
import { posix } from 'node:path';
import type { DriveInfo } from '../../contract/ui.js';

export interface LinuxFs {
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  statfs(path: string): Promise<{ bsize: number; blocks: number; bavail: number }>;
}

export const realLinuxFs: LinuxFs = {
  readFile: (p) => readFile(p, 'utf8'),
  readdir: (p) => readdir(p),
  readlink: (p) => readlink(p),
  statfs: (p) => statfs(p),
};

// Pseudo and image file systems that are never a backup destination.
const SKIP_FS = new Set([
  'squashfs',
  'iso9660',
  'udf',
  'devtmpfs',
  'tmpfs',
  'overlay',
  'proc',
  'sysfs',
  'cgroup2',
]);

/** /proc/mounts escapes space, tab, newline and backslash as octal. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** /dev/disk/by-label escapes unusual characters as \xHH. */
function unescapeLabel(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
}

export function parseProcMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const [device, mount, fsType] = line.trim().split(/\s+/);
    if (!device || !mount || !fsType) continue;
    if (!device.startsWith('/dev/') || device.startsWith('/dev/loop') || SKIP_FS.has(fsType)) continue;
    const mountPoint = unescapeMount(mount);
    // Bind mounts repeat a device: the first mount is the drive.
    if (seen.has(device)) continue;
    seen.add(device);
    out.push({ device, mountPoint, fsType });
  }
  return out;
}

async function labelsByDevice(fs: LinuxFs): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let names: string[];
  try {
    names = await fs.readdir('/dev/disk/by-label');
  } catch {
    return map;
  }
  for (const name of names) {
    try {
      const target = posix.resolve(
        '/dev/disk/by-label',
        await fs.readlink(posix.join('/dev/disk/by-label', name)),
      );
      map.set(target, unescapeLabel(name));
    } catch {
      // a label link that vanished while we looked
    }
  }
  return map;
}

async function isRemovable(fs: LinuxFs, device: string): Promise<boolean> {
  const name = posix.basename(device);
  let sysPath: string;
  try {
    sysPath = posix.resolve('/sys/class/block', await fs.readlink(posix.join('/sys/class/block', name)));
  } catch {
    return false;
  }
  if (sysPath.includes('/usb')) return true;
  // .../block/<disk>/<partition>: the disk is the segment after "block".
  const parts = sysPath.split('/');
  const disk = parts[parts.lastIndexOf('block') + 1] ?? name;
  try {
    return (await fs.readFile(`/sys/block/${disk}/removable`)).trim() === '1';
  } catch {
    return false;
  }
}

export async function listLinuxDrives(fs: LinuxFs = realLinuxFs): Promise<DriveInfo[]> {
  const mounts = parseProcMounts(await fs.readFile('/proc/mounts'));
  const labels = await labelsByDevice(fs);
  const drives: DriveInfo[] = [];
  for (const m of mounts) {
    const d: DriveInfo = {
      root: m.mountPoint,
      fileSystem: m.fsType,
      removable: await isRemovable(fs, m.device),
    };
    const label = labels.get(m.device);
    if (label) d.label = label;
    try {
      const s = await fs.statfs(m.mountPoint);
      d.sizeBytes = s.blocks * s.bsize;
      d.freeBytes = s.bavail * s.bsize;
    } catch {
      // unreadable mount point: listed without sizes
    }
    drives.push(d);
  }
  return drives;
}
