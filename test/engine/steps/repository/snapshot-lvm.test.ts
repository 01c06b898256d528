// Snapshot mode with LVM through a stand-in: this machine cannot create device-mapper volumes, so
// lvs/lvcreate/mount/umount/lvremove answer from a script. It proves the commands, the journal
// written before the snapshot exists, the read-only mount (nouuid for XFS), the frozen view's path,
// and that a snapshot whose copy-on-write space filled up fails the capture instead of being trusted.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExpectedError } from '../../../../src-main/engine/errors.js';
import type { CommandRunner } from '../../../../src-main/engine/os/run-command.js';
import { SnapshotJournal } from '../../../../src-main/engine/steps/repository/snapshot/journal.js';
import { lvmProvider } from '../../../../src-main/engine/steps/repository/snapshot/lvm.js';
import { tempDir } from '../../../support/temp.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('obm-lvm-');
});
afterEach(async () => dir.cleanup());

function standIn(attr: string) {
  const calls: string[] = [];
  const journal = new SnapshotJournal(join(dir.path, 'profile', '.octane-backup-snapshots.json'));
  const run: CommandRunner = async (file, args) => {
    calls.push([file, ...args].join(' '));
    if (file === 'lvcreate')
      expect((await journal.entries()).map((e) => e.id)).toEqual(['octane-backup-set']);
    const stdout =
      file === 'lvs' && args.includes('vg_name,lv_name')
        ? '  vg0|octane\n'
        : file === 'lvs'
          ? `  ${attr}\n`
          : '';
    return { code: 0, stdout, stderr: '' };
  };
  const provider = lvmProvider({
    configured: '/srv/octane/repo',
    root: '/srv/octane/repo',
    name: 'octane-backup-set',
    setName: 'set',
    journal,
    snapshotDir: join(dir.path, 'mnt'),
    lvmSnapshotSize: undefined,
    env: {
      platform: 'linux',
      run,
      env: {},
      sleep: () => Promise.resolve(),
      mounts: '/dev/mapper/vg0-octane /srv/octane xfs rw,relatime 0 0\n/dev/vda / ext4 rw 0 0\n',
    },
  });
  return { provider, calls, journal };
}

const signal = new AbortController().signal;

describe('LVM snapshot (stand-in: scripted lvs, lvcreate, mount, lvremove)', () => {
  it('snapshots the logical volume under the folder, mounts it read-only and removes it afterwards', async () => {
    const s = standIn('swi-a-s---');
    await s.provider.prepare(signal);
    const view = await s.provider.freeze(signal);
    const mountDir = join(dir.path, 'mnt', 'octane-backup-set');
    expect(view.root).toBe(join(mountDir, 'repo'));
    await view.release();
    expect(s.calls).toEqual([
      'lvs --noheadings --separator | -o vg_name,lv_name /dev/mapper/vg0-octane',
      'lvcreate -s -n octane-backup-set -l 20%ORIGIN vg0/octane',
      `mount -o ro,nouuid /dev/vg0/octane-backup-set ${mountDir}`,
      'lvs --noheadings -o lv_attr vg0/octane-backup-set',
      `umount ${mountDir}`,
      'lvremove -f vg0/octane-backup-set',
    ]);
    expect(await s.journal.entries()).toEqual([]);
  });

  it('a snapshot whose copy-on-write space filled up is removed and fails the capture with the fix', async () => {
    const s = standIn('swi-I-s---');
    await s.provider.prepare(signal);
    const view = await s.provider.freeze(signal);
    const err = (await view.release().then(
      () => undefined,
      (e: unknown) => e,
    )) as ExpectedError;
    expect(err.code).toBe('LVM_SNAPSHOT_INVALID');
    expect(err.fix).toContain('lvmSnapshotSize');
    expect(s.calls.at(-1)).toBe('lvremove -f vg0/octane-backup-set');
    expect(await s.journal.entries()).toEqual([]);
  });
});
