// Real file systems for destination tests, made in the test (the tests run as root): tmpfs with a
// size or inode limit, read-only mounts, and FAT32 / exFAT / NTFS images through their FUSE drivers
// (this kernel has no vfat or exfat module): `fusefat`, `mount.exfat-fuse` on a loop device,
// `ntfs-3g`. Every mount is undone in `cleanup()`; call it in `finally` / afterEach.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mounted {
  /** The mount point (the destination root in tests). */
  path: string;
  /** The image file (FAT32, exFAT, NTFS), to mount again after a detach. */
  image?: string;
  /** Mount the image again at `path` (after unmount or a lazy detach). */
  remount(): void;
  /** Detach as an unplugged drive does: `umount -l` (the path becomes an empty folder at once). */
  detachLazy(): void;
  /** After a lazy detach: waits until no process holds the image any more (the driver has let go). */
  waitReleased(): Promise<void>;
  /** Unmount (waits for the FUSE driver to let go), detach loop devices, remove image and folders. */
  cleanup(): Promise<void>;
}

function sh(cmd: string, args: string[], allowFail = false): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (!allowFail && r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}): ${out}`);
  return { status: r.status, out };
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0)
    throw new Error(
      'These tests make real file systems and mount them: run them as root (bash .ci/run does).',
    );
}

/** Whether `path` is a mount point now. */
export function isMounted(path: string): boolean {
  return sh('mountpoint', ['-q', path], true).status === 0;
}

async function unmountAll(path: string): Promise<void> {
  for (let i = 0; i < 50 && isMounted(path); i++) {
    const r = sh('umount', [path], true);
    if (r.status !== 0) sh('umount', ['-l', path], true);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function released(file: string | undefined): Promise<void> {
  if (!file) return;
  // fuser exits 0 while some process has the file open.
  for (let i = 0; i < 200 && sh('fuser', ['-s', file], true).status === 0; i++)
    await new Promise((res) => setTimeout(res, 50));
}

async function scratch(prefix: string): Promise<{ root: string; mnt: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const mnt = join(root, 'mnt');
  await mkdir(mnt);
  return { root, mnt };
}

/** A tmpfs of `sizeKiB` with at most `inodes` files and folders (its root counts as one). */
export async function tmpfs(
  opts: { sizeKiB?: number; inodes?: number; readOnly?: boolean } = {},
): Promise<Mounted> {
  requireRoot();
  const { root, mnt } = await scratch('obm-tmpfs-');
  const o = [`size=${opts.sizeKiB ?? 16 * 1024}k`];
  if (opts.inodes !== undefined) o.push(`nr_inodes=${opts.inodes}`);
  if (opts.readOnly) o.push('ro');
  const mount = (): void => void sh('mount', ['-t', 'tmpfs', '-o', o.join(','), 'tmpfs', mnt]);
  mount();
  return {
    path: mnt,
    remount: mount,
    detachLazy: () => void sh('umount', ['-l', mnt]),
    waitReleased: () => Promise.resolve(),
    cleanup: async () => {
      await unmountAll(mnt);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Remounts a mounted file system read-only (or read-write again), as after a disk error. */
export function remountReadOnly(path: string, readOnly = true): void {
  sh('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, path]);
}

type Kind = 'fat32' | 'exfat' | 'ntfs';

/** A real FAT32, exFAT or NTFS image of `sizeMiB` (sparse file), mounted through its FUSE driver. */
export async function fsImage(kind: Kind, sizeMiB: number): Promise<Mounted> {
  requireRoot();
  const { root, mnt } = await scratch(`obm-${kind}-`);
  const image = join(root, `${kind}.img`);
  sh('truncate', ['-s', `${sizeMiB}M`, image]);
  let loop: string | undefined;
  // No label on FAT32: fusefat lists the volume label as a folder entry.
  if (kind === 'fat32') sh('mkfs.vfat', ['-F', '32', image]);
  if (kind === 'exfat') sh('mkfs.exfat', ['-L', 'OBMTEST', image]);
  if (kind === 'ntfs') sh('mkfs.ntfs', ['-F', '-Q', '-L', 'OBMTEST', image]);
  const mount = (): void => {
    if (kind === 'fat32') sh('fusefat', ['-o', 'rw+', image, mnt]);
    if (kind === 'ntfs') sh('ntfs-3g', [image, mnt]);
    if (kind === 'exfat') {
      loop ??= sh('losetup', ['-f', '--show', image]).out.trim();
      sh('mount.exfat-fuse', [loop, mnt]);
    }
    // FUSE drivers return before the mount is visible.
    for (let i = 0; i < 100 && !isMounted(mnt); i++) spawnSync('sleep', ['0.05']);
    if (!isMounted(mnt)) throw new Error(`${kind} image did not mount at ${mnt}`);
  };
  mount();
  return {
    path: mnt,
    image,
    remount: mount,
    detachLazy: () => void sh('umount', ['-l', mnt]),
    waitReleased: () => released(loop ?? image),
    cleanup: async () => {
      await unmountAll(mnt);
      await released(loop ?? image);
      // A lazily detached FUSE driver lets go of the image when its last file closes.
      if (loop)
        for (let i = 0; i < 50 && sh('losetup', ['-d', loop], true).status !== 0; i++)
          await new Promise((res) => setTimeout(res, 100));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * ext4 on a loop device whose disk can be made to fail mid-run: `fail()` shrinks the backing file
 * and tells the loop device, so every write past the new end is an I/O error (EIO) and ext4 goes
 * read-only (EROFS), as a dying USB disk does.
 */
export async function failingExt4(sizeMiB: number): Promise<Mounted & { fail(): void }> {
  requireRoot();
  const { root, mnt } = await scratch('obm-ext4-');
  const image = join(root, 'ext4.img');
  sh('truncate', ['-s', `${sizeMiB}M`, image]);
  sh('mkfs.ext4', ['-q', '-E', 'nodiscard', image]);
  const loop = sh('losetup', ['-f', '--show', image]).out.trim();
  const mount = (): void => void sh('mount', [loop, mnt]);
  mount();
  return {
    path: mnt,
    image,
    remount: mount,
    detachLazy: () => void sh('umount', ['-l', mnt]),
    waitReleased: () => released(loop),
    fail: () => {
      sh('truncate', ['-s', '2M', image]);
      sh('losetup', ['-c', loop]);
    },
    cleanup: async () => {
      await unmountAll(mnt);
      for (let i = 0; i < 50 && sh('losetup', ['-d', loop], true).status !== 0; i++)
        await new Promise((res) => setTimeout(res, 100));
      await rm(root, { recursive: true, force: true });
    },
  };
}
