// The snapshot journal lies on the destination, which others may write (a share, a USB drive).
// A run deletes only leftovers named and placed as its own snapshots: an entry planted to name
// another subvolume, logical volume or mount point is dropped from the journal with a warning,
// and no command touches it. The commands are recorded by a stand-in runner (nothing is deleted
// here either way); the real btrfs cleanup is in snapshot-btrfs.test.ts.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import type { CommandRunner } from '../../../../src-main/engine/os/run-command.js';
import { removeLeftovers } from '../../../../src-main/engine/steps/repository/snapshot/choose.js';
import {
  SnapshotJournal,
  type JournalEntry,
} from '../../../../src-main/engine/steps/repository/snapshot/journal.js';
import type { SnapshotEnv } from '../../../../src-main/engine/steps/repository/snapshot/provider.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-journal-trust-');
});
afterEach(async () => dir.cleanup());

const OURS = 'octane-backup-20260101T000000Z-scheduled-0badc0de';

async function cleanUp(entries: JournalEntry[], snapshotDir?: string) {
  const journal = new SnapshotJournal(join(dir.path, 'profile', '.octane-backup-snapshots.json'));
  for (const e of entries) await journal.add(e);
  const commands: string[] = [];
  const run: CommandRunner = (file, args) => {
    commands.push([file, ...args].join(' '));
    return Promise.resolve({ code: 0, stdout: '', stderr: '' });
  };
  const env: SnapshotEnv = { platform: 'linux', run, env: {}, sleep: () => Promise.resolve() };
  const warnings: string[] = [];
  await removeLeftovers(journal, env, silentLogger, (m) => warnings.push(m), snapshotDir);
  return { commands, warnings, left: await journal.entries() };
}

const base = { setName: '20260101T000000Z-scheduled-0badc0de', createdAt: '2026-01-01T00:00:00Z' };

describe('snapshot leftovers named in the journal', () => {
  it('btrfs: deletes ours (in the default snapshot folder or the configured one) and nothing planted', async () => {
    const ours = join(dir.path, '.octane-backup-snapshots', OURS);
    await mkdir(ours, { recursive: true });
    const r = await cleanUp(
      [
        { method: 'btrfs', id: OURS, path: ours, ...base },
        { method: 'btrfs', id: 'home', path: '/home', ...base },
        {
          method: 'btrfs',
          id: OURS.replace('0badc0de', 'feedf00d'),
          path: `/srv/data/${OURS.replace('0badc0de', 'feedf00d')}`,
          ...base,
        },
        { method: 'btrfs', id: 'octane-backup-x', path: '/srv/snaps/octane-backup-x', ...base },
      ],
      '/srv/snaps',
    );
    // Ours is deleted; the planted ones are never even looked at, and each is named in a warning.
    expect(r.commands).toEqual([`btrfs subvolume delete ${ours}`]);
    expect(r.left).toEqual([]);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings.join('\n')).toContain('/home is not named as this tool names its snapshots');
    expect(r.warnings.join('\n')).toContain('is not in a snapshot folder of this profile');
    expect(r.warnings.join('\n')).toContain('/srv/snaps/octane-backup-x is not named as this tool names');
  });

  it('LVM: removes ours, never a volume or mount point that is not', async () => {
    const r = await cleanUp([
      { method: 'lvm', id: OURS, vg: 'vg0', lv: OURS, mountDir: `/run/octane-backup/${OURS}`, ...base },
      { method: 'lvm', id: 'root', vg: 'vg0', lv: 'root', mountDir: '/', ...base },
      {
        method: 'lvm',
        id: OURS.replace('0badc0de', 'feedf00d'),
        vg: 'vg0',
        lv: OURS.replace('0badc0de', 'feedf00d'),
        mountDir: '/home',
        ...base,
      },
      {
        method: 'lvm',
        id: OURS.replace('0badc0de', 'c0ffee00'),
        vg: '--force',
        lv: OURS.replace('0badc0de', 'c0ffee00'),
        mountDir: `/run/octane-backup/${OURS.replace('0badc0de', 'c0ffee00')}`,
        ...base,
      },
    ]);
    expect(r.commands).toEqual([`umount /run/octane-backup/${OURS}`, `lvremove -f vg0/${OURS}`]);
    expect(r.left).toEqual([]);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings.join('\n')).toContain('vg0/root is not named as this tool names its snapshots');
    expect(r.warnings.join('\n')).toContain('/home is not where this profile mounts its snapshots');
  });
});
