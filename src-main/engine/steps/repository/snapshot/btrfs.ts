// Linux, btrfs: a read-only snapshot of the subvolume that holds the repository folder
// (`btrfs subvolume snapshot -r`), read at leisure and deleted afterwards. Snapshots are not
// recursive: a subvolume nested inside the repository's would be empty in the frozen view, so the
// walk reports it as another file system. Needs root (CAP_SYS_ADMIN) on most systems.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ExpectedError } from '../../../errors.js';
import { mountFromMounts } from '../fs-type.js';
import type { FrozenView, ProviderInput, SnapshotProvider } from './provider.js';
import { readMounts } from './mounts.js';

const step = 'repository' as const;
export const DEFAULT_BTRFS_DIR = '.octane-backup-snapshots';

/** The subvolume holding `root`: the highest folder above it on the same device (each subvolume has its own). */
export async function subvolumeOf(root: string): Promise<string> {
  const dev = (await stat(root)).dev;
  let top = root;
  for (;;) {
    const up = dirname(top);
    if (up === top) return top;
    const s = await stat(up).catch(() => undefined);
    if (!s || s.dev !== dev) return top;
    top = up;
  }
}

export function btrfsProvider(p: ProviderInput): SnapshotProvider {
  let subvolume = '';
  let dir = '';
  const btrfs = async (
    args: string[],
    signal: AbortSignal,
  ): Promise<{ code: number | null; text: string }> => {
    const r = await p.env.run('btrfs', args, { signal, timeoutMs: 120_000 });
    return { code: r.code, text: `${r.stderr}${r.stdout}`.trim() };
  };
  return {
    method: 'btrfs',
    async prepare() {
      const mount = mountFromMounts(await readMounts(p.env), p.root);
      if (mount?.fsType !== 'btrfs')
        throw new ExpectedError(
          'SNAPSHOT_NOT_BTRFS',
          `The repository folder ${p.configured} is on ${mount?.fsType ?? 'an unknown file system'}${mount ? ` (mounted at ${mount.mountPoint})` : ''}, not btrfs: a btrfs snapshot cannot freeze it.`,
          {
            step,
            fix: 'Use repository.capture "bracketed" (works on any file system), or "snapshot" with snapshotMethod "lvm" if the folder lies on an LVM logical volume.',
          },
        );
      subvolume = await subvolumeOf(p.root);
      dir = p.snapshotDir ?? join(dirname(subvolume), DEFAULT_BTRFS_DIR);
      await mkdir(dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
        throw new ExpectedError(
          'SNAPSHOT_DIR_UNUSABLE',
          `The snapshot folder ${dir} cannot be created (${(err as { code?: string }).code ?? (err as Error).message}).`,
          {
            step,
            cause: err,
            fix: 'Set repository.snapshotDir to a folder on the same btrfs file system as the repository, writable by the account that runs the backup.',
          },
        );
      });
    },
    async freeze(signal): Promise<FrozenView> {
      const path = join(dir, p.name);
      // Journaled before it exists: a crash at any moment after this leaves a name the next run finds.
      await p.journal.add({
        method: 'btrfs',
        id: p.name,
        path,
        setName: p.setName,
        createdAt: new Date().toISOString(),
      });
      const made = await btrfs(['subvolume', 'snapshot', '-r', subvolume, path], signal);
      if (made.code !== 0) {
        await p.journal.remove(p.name);
        throw new ExpectedError(
          'SNAPSHOT_FAILED',
          `btrfs could not snapshot ${subvolume} into ${path}: ${made.text || `exit ${made.code}`}.`,
          {
            step,
            details: { subvolume, path, exitCode: made.code },
            fix: /cross-device|EXDEV/i.test(made.text)
              ? 'The snapshot folder must be on the same btrfs file system as the repository: set repository.snapshotDir to such a folder.'
              : /not permitted|EPERM|denied/i.test(made.text)
                ? 'btrfs snapshots need root: run the backup as root (the systemd timer does), or use repository.capture "bracketed".'
                : 'Check `btrfs subvolume show` on the repository folder and the free space of the file system, then run again; or use repository.capture "bracketed".',
          },
        );
      }
      return {
        root: join(path, relative(subvolume, p.root)),
        description: `read-only btrfs snapshot ${path} of the subvolume ${subvolume}`,
        facts: { method: 'btrfs', subvolume, snapshot: path },
        release: async () => {
          const del = await btrfs(['subvolume', 'delete', path], AbortSignal.timeout(120_000));
          if (del.code !== 0)
            throw new Error(`btrfs subvolume delete ${path} failed: ${del.text || `exit ${del.code}`}`);
          await p.journal.remove(p.name);
        },
      };
    },
  };
}

/** Deletes a snapshot a crashed run left (named in the journal); true when it is gone. */
export async function removeBtrfsLeftover(path: string, env: ProviderInput['env']): Promise<boolean> {
  if (
    !(await stat(path).then(
      () => true,
      () => false,
    ))
  )
    return true;
  const r = await env.run('btrfs', ['subvolume', 'delete', path], { timeoutMs: 120_000 });
  return r.code === 0;
}
