// Linux, LVM (only when chosen with snapshotMethod "lvm"): a snapshot of the logical volume that
// holds the repository folder, mounted read-only, read at leisure, then unmounted and removed. Its
// copy-on-write space must hold every block written to the volume while it exists: a snapshot
// whose space fills up becomes invalid, which the step checks before it trusts what it read.
import { mkdir, rmdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ExpectedError } from '../../../errors.js';
import { unescapeMount } from '../fs-type.js';
import { readMounts } from './mounts.js';
import type { FrozenView, ProviderInput, SnapshotProvider } from './provider.js';

const step = 'repository' as const;
export const DEFAULT_LVM_SIZE = '20%ORIGIN';
/** Where LVM snapshots are mounted when the profile names no snapshotDir. */
export const DEFAULT_LVM_MOUNT_DIR = '/run/octane-backup';

/** The mount holding `path` with its source device, from /proc/mounts. */
export function mountWithSource(
  mounts: string,
  path: string,
): { device: string; mountPoint: string; fsType: string } | undefined {
  let best: { device: string; mountPoint: string; fsType: string } | undefined;
  for (const line of mounts.split('\n')) {
    const [dev, point, type] = line.split(' ');
    if (!dev || !point || !type) continue;
    const mp = unescapeMount(point);
    const inside = mp === '/' || path === mp || path.startsWith(`${mp}/`);
    if (inside && (!best || mp.length >= best.mountPoint.length))
      best = { device: unescapeMount(dev), mountPoint: mp, fsType: type };
  }
  return best;
}

export function lvmProvider(p: ProviderInput): SnapshotProvider {
  let origin: { vg: string; lv: string; mountPoint: string; fsType: string } | undefined;
  const run = async (cmd: string, args: string[], signal: AbortSignal): Promise<string> => {
    const r = await p.env.run(cmd, args, { signal, timeoutMs: 300_000 });
    if (r.code !== 0)
      throw new ExpectedError(
        'SNAPSHOT_FAILED',
        `${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}.`,
        {
          step,
          fix: 'LVM snapshots need root and free space in the volume group (vgs shows VFree); run as root, free space or lower repository.lvmSnapshotSize, or use repository.capture "bracketed".',
        },
      );
    return r.stdout;
  };
  return {
    method: 'lvm',
    async prepare(signal) {
      const m = mountWithSource(await readMounts(p.env), p.root);
      const out = m
        ? await run(
            'lvs',
            ['--noheadings', '--separator', '|', '-o', 'vg_name,lv_name', m.device],
            signal,
          ).catch(() => '')
        : '';
      const [vg, lv] = out
        .trim()
        .split('|')
        .map((x) => x.trim());
      if (!m || !vg || !lv)
        throw new ExpectedError(
          'SNAPSHOT_NOT_LVM',
          `The repository folder ${p.configured} is not on an LVM logical volume${m ? ` (${m.device} mounted at ${m.mountPoint})` : ''}.`,
          {
            step,
            fix: 'Use repository.capture "bracketed", or snapshotMethod "btrfs" if the folder is on btrfs.',
          },
        );
      origin = { vg, lv, mountPoint: m.mountPoint, fsType: m.fsType };
    },
    async freeze(signal): Promise<FrozenView> {
      const o = origin as NonNullable<typeof origin>;
      const name = p.name.replace(/[^A-Za-z0-9_+.-]/g, '_');
      const mountDir = join(p.snapshotDir ?? DEFAULT_LVM_MOUNT_DIR, name);
      await p.journal.add({
        method: 'lvm',
        id: p.name,
        vg: o.vg,
        lv: name,
        mountDir,
        setName: p.setName,
        createdAt: new Date().toISOString(),
      });
      const size = p.lvmSnapshotSize ?? DEFAULT_LVM_SIZE;
      const sizeArgs = size.endsWith('%ORIGIN') ? ['-l', size] : ['-L', size];
      try {
        await run('lvcreate', ['-s', '-n', name, ...sizeArgs, `${o.vg}/${o.lv}`], signal);
        await mkdir(mountDir, { recursive: true, mode: 0o700 });
        // XFS refuses a second mount of the same UUID without nouuid.
        const opts = o.fsType === 'xfs' ? 'ro,nouuid' : 'ro';
        await run('mount', ['-o', opts, `/dev/${o.vg}/${name}`, mountDir], signal);
      } catch (err) {
        await removeLvmLeftover({ vg: o.vg, lv: name, mountDir }, p.env).catch(() => false);
        await p.journal.remove(p.name);
        throw err;
      }
      return {
        root: join(mountDir, relative(o.mountPoint, p.root)),
        description: `LVM snapshot ${o.vg}/${name} of ${o.vg}/${o.lv}`,
        facts: { method: 'lvm', origin: `${o.vg}/${o.lv}`, snapshot: `${o.vg}/${name}`, size },
        release: async () => {
          const attr = await run(
            'lvs',
            ['--noheadings', '-o', 'lv_attr', `${o.vg}/${name}`],
            AbortSignal.timeout(60_000),
          ).catch(() => '');
          const invalid = attr.trim().charAt(4) === 'I';
          await removeLvmLeftover({ vg: o.vg, lv: name, mountDir }, p.env);
          await p.journal.remove(p.name);
          if (invalid)
            throw new ExpectedError(
              'LVM_SNAPSHOT_INVALID',
              `The LVM snapshot ${o.vg}/${name} filled its copy-on-write space while it was read and became invalid: what was read from it cannot be trusted.`,
              {
                step,
                fix: 'Give the snapshot more space (repository.lvmSnapshotSize, e.g. "40%ORIGIN") or run when fewer files change.',
              },
            );
        },
      };
    },
  };
}

/** Unmounts and removes a snapshot (a leftover of a crashed run, or this run's); true when gone. */
export async function removeLvmLeftover(
  e: { vg: string; lv: string; mountDir: string },
  env: ProviderInput['env'],
): Promise<boolean> {
  await env.run('umount', [e.mountDir], { timeoutMs: 120_000 }).catch(() => undefined);
  await rmdir(e.mountDir).catch(() => undefined);
  const r = await env.run('lvremove', ['-f', `${e.vg}/${e.lv}`], { timeoutMs: 120_000 });
  return r.code === 0 || /not found|Failed to find/i.test(r.stderr);
}
