import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  listLinuxDrives,
  parseProcMounts,
  type LinuxFs,
} from '../../../src-main/engine/drives/linux-drives.js';

const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid 0 0',
  'proc /proc proc rw 0 0',
  '/dev/nvme0n1p2 / ext4 rw,relatime 0 0',
  'tmpfs /run tmpfs rw 0 0',
  '/dev/sdb1 /media/admin/MY\\040BACKUP vfat rw,nosuid 0 0',
  '/dev/sdc1 /media/admin/USB-HDD ntfs3 rw 0 0',
  '/dev/nvme0n1p2 /var/lib/docker ext4 rw,relatime 0 0',
  '/dev/loop3 /snap/core/1 squashfs ro 0 0',
].join('\n');

function fakeFs(): LinuxFs {
  const files: Record<string, string> = {
    '/proc/mounts': MOUNTS,
    '/sys/block/sdb/removable': '1\n',
    '/sys/block/sdc/removable': '0\n',
    '/sys/block/nvme0n1/removable': '0\n',
  };
  const links: Record<string, string> = {
    '/dev/disk/by-label/MY\\x20BACKUP': '../../sdb1',
    '/dev/disk/by-label/rootfs': '../../nvme0n1p2',
    '/sys/class/block/sdb1': '../../devices/pci0000:00/0000:00:14.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1',
    // A USB hard disk says removable=0; its device path shows the USB bus.
    '/sys/class/block/sdc1':
      '../../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host7/target7:0:0/7:0:0:0/block/sdc/sdc1',
    '/sys/class/block/nvme0n1p2': '../../devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1/nvme0n1p2',
  };
  return {
    readFile: (p) =>
      p in files
        ? Promise.resolve(files[p] as string)
        : Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
    readdir: (p) => Promise.resolve(p === '/dev/disk/by-label' ? ['MY\\x20BACKUP', 'rootfs'] : []),
    readlink: (p) => (p in links ? Promise.resolve(links[p] as string) : Promise.reject(new Error('EINVAL'))),
    statfs: (p) =>
      Promise.resolve({ bsize: 4096, blocks: p === '/' ? 1000 : 500, bavail: p === '/' ? 100 : 250 }),
  };
}

describe('Linux drive listing from /proc/mounts and sysfs', () => {
  it('keeps block-device mounts once (bind mounts repeat them), unescapes spaces, and skips pseudo and image file systems', () => {
    expect(parseProcMounts(MOUNTS)).toEqual([
      { device: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4' },
      { device: '/dev/sdb1', mountPoint: '/media/admin/MY BACKUP', fsType: 'vfat' },
      { device: '/dev/sdc1', mountPoint: '/media/admin/USB-HDD', fsType: 'ntfs3' },
    ]);
  });

  it('finds labels, sizes and removable drives, counting USB hard disks as removable', async () => {
    const drives = await listLinuxDrives(fakeFs());
    expect(drives).toEqual([
      {
        root: '/',
        fileSystem: 'ext4',
        removable: false,
        label: 'rootfs',
        sizeBytes: 4096000,
        freeBytes: 409600,
      },
      {
        root: '/media/admin/MY BACKUP',
        fileSystem: 'vfat',
        removable: true,
        label: 'MY BACKUP',
        sizeBytes: 2048000,
        freeBytes: 1024000,
      },
      {
        root: '/media/admin/USB-HDD',
        fileSystem: 'ntfs3',
        removable: true,
        sizeBytes: 2048000,
        freeBytes: 1024000,
      },
    ]);
  });

  it('lists the drives of this machine from the real /proc without failing', async () => {
    const drives = await listLinuxDrives();
    for (const d of drives) await expect(access(d.root)).resolves.toBeUndefined();
  });
});
