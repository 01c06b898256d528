// The drives connected now that carry this tool's marker (their identity for the rotation, whatever
// their letter or mount point). Linux: every mounted file system in /proc/self/mountinfo, FUSE and
// loop devices included (exFAT/NTFS drivers and images are mounted that way); Windows: the volumes
// PowerShell lists.
import { statfs } from 'node:fs/promises';
import { platform as osPlatform } from 'node:os';
import type { DriveInfo } from '../../contract/ui.js';
import { listDrives } from '../drives/list-drives.js';
import { readVolumeMarker } from '../drives/volume-marker.js';
import type { CommandRunner } from '../os/run-command.js';
import { readMountInfo, type MountInfoEntry } from './mount-table.js';

// Kernel and pseudo file systems: never a drive, and reading a marker there is pointless.
export const PSEUDO_FILE_SYSTEMS: ReadonlySet<string> = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'tmpfs',
  'cgroup',
  'cgroup2',
  'securityfs',
  'pstore',
  'bpf',
  'debugfs',
  'tracefs',
  'mqueue',
  'hugetlbfs',
  'fusectl',
  'configfs',
  'autofs',
  'binfmt_misc',
  'overlay',
  'squashfs',
  'nsfs',
  'ramfs',
  'rpc_pipefs',
  'efivarfs',
]);

// Shares are never rotation drives, and a share whose server is gone can hang a read for minutes:
// the watch must not stop on one.
const NETWORK_FILE_SYSTEMS: ReadonlySet<string> = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  'ceph',
  'glusterfs',
  'fuse.glusterfs',
  'afs',
]);

export interface MarkedDrivesOptions {
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  mountInfo?: () => Promise<MountInfoEntry[]>;
  signal?: AbortSignal;
}

export async function linuxMarkedDrives(mountInfo = readMountInfo): Promise<DriveInfo[]> {
  const mounts = (await mountInfo()).filter(
    (m) => !PSEUDO_FILE_SYSTEMS.has(m.fsType) && !NETWORK_FILE_SYSTEMS.has(m.fsType) && m.mountPoint !== '/',
  );
  const out: DriveInfo[] = [];
  const seen = new Set<string>();
  for (const m of mounts) {
    if (seen.has(m.mountPoint)) continue;
    seen.add(m.mountPoint);
    const marker = await readVolumeMarker(m.mountPoint);
    if (!marker) continue;
    const d: DriveInfo = { root: m.mountPoint, fileSystem: m.fsType, removable: true, marker };
    const s = await statfs(m.mountPoint).catch(() => undefined);
    if (s && s.blocks > 0) {
      d.sizeBytes = s.blocks * s.bsize;
      d.freeBytes = s.bavail * s.bsize;
    }
    out.push(d);
  }
  return out;
}

export async function markedDrives(opts: MarkedDrivesOptions = {}): Promise<DriveInfo[]> {
  const platform = opts.platform ?? osPlatform();
  if (platform === 'linux') return linuxMarkedDrives(opts.mountInfo);
  const o: Parameters<typeof listDrives>[0] = { platform };
  if (opts.run) o.run = opts.run;
  if (opts.signal) o.signal = opts.signal;
  return (await listDrives(o)).filter((d) => d.marker !== undefined);
}
