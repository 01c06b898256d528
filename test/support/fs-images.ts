// Real file systems on loop devices for tests (as root): an image file, a loop device, mkfs, mount;
// cleanup unmounts and detaches whatever happens.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';

export interface MountedImage {
  mountPoint: string;
  device: string;
  cleanup(): Promise<void>;
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

/** A btrfs file system of `mb` MiB mounted under `dir`. */
export async function mountBtrfs(dir: string, mb = 512): Promise<MountedImage> {
  const image = join(dir, 'btrfs.img');
  const mountPoint = join(dir, 'mnt');
  await mkdir(mountPoint, { recursive: true });
  await rm(image, { force: true });
  await mkdir(dir, { recursive: true });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(image, '');
  await truncate(image, mb * 1024 * 1024);
  run('mkfs.btrfs', ['-q', '-f', image]);
  const device = run('losetup', ['-f', '--show', image]);
  try {
    run('mount', ['-t', 'btrfs', device, mountPoint]);
  } catch (err) {
    run('losetup', ['-d', device]);
    throw err;
  }
  return {
    mountPoint,
    device,
    async cleanup() {
      try {
        execFileSync('umount', ['-l', mountPoint]);
      } finally {
        execFileSync('losetup', ['-d', device]);
        await rm(image, { force: true });
      }
    },
  };
}
