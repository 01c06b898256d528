// The Linux mount table as the removable-media code reads it: mountinfo lines (escaped mount
// points, optional fields), the mount that holds a folder, and which mounts are looked at for a
// drive marker (never kernel pseudo file systems, never network shares that could hang the watch).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureVolumeMarker } from '../../../src-main/engine/drives/volume-marker.js';
import { linuxMarkedDrives } from '../../../src-main/engine/removable/marked-drives.js';
import {
  mountOf,
  parseMountInfo,
  type MountInfoEntry,
} from '../../../src-main/engine/removable/mount-table.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-mounts-');
});
afterEach(() => dir.cleanup());

const SAMPLE = [
  '22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw',
  '42 22 0:39 / /media/admin/OFFSITE\\040A rw,nosuid,nodev,relatime shared:7 master:1 - fuseblk /dev/sdb1 rw,user_id=0',
  '43 22 0:40 / /mnt/fat rw,relatime - vfat /dev/sdc1 rw',
  '44 43 0:41 / /mnt/fat/inner rw,relatime - exfat /dev/sdd1 rw',
  'garbage line',
].join('\n');

describe('mountinfo', () => {
  it('parses mount ids, escaped mount points, file system and source past the optional fields', () => {
    const m = parseMountInfo(SAMPLE);
    expect(m.map((e) => [e.mountId, e.mountPoint, e.fsType, e.source])).toEqual([
      [22, '/', 'ext4', '/dev/sda2'],
      [42, '/media/admin/OFFSITE A', 'fuseblk', '/dev/sdb1'],
      [43, '/mnt/fat', 'vfat', '/dev/sdc1'],
      [44, '/mnt/fat/inner', 'exfat', '/dev/sdd1'],
    ]);
  });

  it('finds the mount that holds a folder: the longest mount point above it', () => {
    const m = parseMountInfo(SAMPLE);
    expect(mountOf('/mnt/fat/inner/OctaneBackups', m)?.fsType).toBe('exfat');
    expect(mountOf('/mnt/fat/other', m)?.fsType).toBe('vfat');
    expect(mountOf('/mnt/fatter', m)?.mountPoint).toBe('/');
  });
});

describe('marked drives from the mount table', () => {
  it('reads markers on drive mounts only: not on tmpfs, proc or network shares', async () => {
    const roots = ['usb', 'share', 'shm'].map((n) => join(dir.path, n));
    for (const r of roots) {
      await mkdir(r);
      await ensureVolumeMarker({ root: r, removable: true });
    }
    const entries: MountInfoEntry[] = [
      { mountId: 1, mountPoint: roots[0] as string, fsType: 'fuseblk', source: '/dev/sdb1' },
      { mountId: 2, mountPoint: roots[1] as string, fsType: 'nfs4', source: 'server:/export' },
      { mountId: 3, mountPoint: roots[2] as string, fsType: 'tmpfs', source: 'tmpfs' },
    ];
    const found = await linuxMarkedDrives(() => Promise.resolve(entries));
    expect(found.map((d) => [d.root, d.fileSystem, d.removable])).toEqual([[roots[0], 'fuseblk', true]]);
    expect(found[0]?.marker?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
