// A restore that cannot finish never loses the folder it moved aside, and says exactly what state
// the target is in: a full disk (a real 8 MiB tmpfs), a cancel mid-extraction, a mount point that
// cannot be renamed, too little space (refused before anything moves), a hostile archive.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRepositoryRestore } from '../../../../src-main/engine/restore/repository/plan-repository.js';
import {
  putBackMovedAside,
  restoreRepository,
} from '../../../../src-main/engine/restore/repository/restore-repository.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import { backupSet, type RepoSet } from './helpers.js';

const MiB = 1024 * 1024;
const NOW = new Date('2026-05-06T07:08:09Z');
const STAMP = '20260506T070809Z';

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: string[] = [];
let bigSet: RepoSet;
let bigSource: string;
let n = 0;

beforeAll(async () => {
  dir = await tempDir('obm-restore-faults-');
  bigSource = join(dir.path, 'big-source');
  await mkdir(join(bigSource, 'attachments'), { recursive: true });
  for (let i = 0; i < 12; i++) await writeFile(join(bigSource, 'attachments', `f${i}.bin`), randomBytes(MiB));
  bigSet = await backupSet(bigSource, join(dir.path, 'dest'), 'tar.gz');
});
afterAll(async () => {
  for (const m of mounts.reverse()) execFileSync('umount', [m]);
  await dir.cleanup();
});

async function tmpfs(sizeMiB: number): Promise<string> {
  const m = join(dir.path, `tmpfs-${n++}`);
  await mkdir(m);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', m]);
  mounts.push(m);
  return m;
}

/** A live repository of ~1 MiB inside `parent`. */
async function live(parent: string): Promise<string> {
  const repo = join(parent, 'repo');
  await mkdir(join(repo, 'attachments'), { recursive: true });
  await writeFile(join(repo, 'attachments', 'current.bin'), randomBytes(MiB));
  await writeFile(join(repo, 'notes.txt'), 'the live repository\n');
  return repo;
}

/** An ext4 image on a loop device, mounted at a fresh folder; `remount` brings it back after `umount -l`. */
async function ext4(sizeMiB: number): Promise<{ mnt: string; remount: () => void; detach: () => void }> {
  const img = join(dir.path, `disk-${n}.img`);
  const mnt = join(dir.path, `ext4-${n++}`);
  await mkdir(mnt);
  execFileSync('truncate', ['-s', `${sizeMiB}M`, img]);
  execFileSync('mkfs.ext4', ['-q', '-F', img]);
  execFileSync('mount', ['-o', 'loop', img, mnt]);
  let mounted = true;
  return {
    mnt,
    remount: () => {
      execFileSync('mount', ['-o', 'loop', img, mnt]);
      mounted = true;
    },
    detach: () => {
      if (mounted) execFileSync('umount', ['-l', mnt]);
      mounted = false;
    },
  };
}

describe('repository restore faults', () => {
  it('destination full mid-extraction: RESTORE_TARGET_FULL, partial target said so, moved-aside folder intact, way back works', async () => {
    const disk = await tmpfs(8); // 1 MiB live + 12 MiB to restore
    const repo = await live(disk);
    const before = await snapshotTree(repo);
    const r = await restoreRepository({
      ...bigSet,
      target: repo,
      now: NOW,
      checkSpace: false, // the disk fills up during the extraction (as when something else writes to it)
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('RESTORE_TARGET_FULL');
    expect(r.error?.fix).toMatch(/Free space/);
    expect(r.targetState).toBe('partial');
    expect(r.movedAside).toBe(`${repo}.before-restore-${STAMP}`);
    expect(await snapshotTree(r.movedAside as string)).toEqual(before);
    expect(r.stoppedAt).toMatch(/^attachments\/f\d+\.bin$/);
    expect(r.stateMessage).toContain(`${repo} holds a PARTIAL restore`);
    expect(r.stateMessage).toContain(`Your previous folder is intact at ${r.movedAside}`);
    expect(r.stateMessage).toContain(`To go back: delete ${repo} and rename ${r.movedAside} to ${repo}.`);

    const back = putBackMovedAside(repo, r.movedAside as string, NOW);
    expect(await snapshotTree(repo)).toEqual(before);
    expect(back.restoredFolderNowAt).toBe(`${repo}.failed-restore-${STAMP}`);
    expect((await readdir(back.restoredFolderNowAt as string)).length).toBeGreaterThan(0); // kept, not deleted
  });

  it('the volume vanishes mid-extraction (umount -l): RESTORE_TARGET_GONE; mounted again, the moved-aside folder is intact', async () => {
    const disk = await ext4(64);
    try {
      const repo = await live(disk.mnt);
      const before = await snapshotTree(repo);
      const r = await restoreRepository({
        ...bigSet,
        target: repo,
        now: NOW,
        signal: new AbortController().signal,
        onProgress: (p) => {
          if (p.phase === 'extracting') disk.detach(); // the drive is pulled
        },
      });
      expect(r.status).toBe('failed');
      expect(r.error?.code).toBe('RESTORE_TARGET_GONE');
      expect(r.error?.fix).toMatch(/mounted and reachable/);
      expect(r.targetState).toBe('partial');
      disk.remount();
      expect(await snapshotTree(`${repo}.before-restore-${STAMP}`)).toEqual(before);
    } finally {
      disk.detach();
    }
  });

  it('a read-only volume: RESTORE_TARGET_NOT_WRITABLE before anything changes', async () => {
    const disk = await tmpfs(16);
    const repo = await live(disk);
    const before = await snapshotTree(repo);
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const r = await restoreRepository({
      ...bigSet,
      target: repo,
      now: NOW,
      signal: new AbortController().signal,
    });
    expect(r.error?.code).toBe('RESTORE_TARGET_NOT_WRITABLE');
    expect(r.error?.fix).toMatch(/may write the repository folder and its parent/);
    expect(r.targetState).toBe('untouched');
    expect(await snapshotTree(repo)).toEqual(before);
  });

  it('too little space is refused before anything moves', async () => {
    const disk = await tmpfs(8);
    const repo = await live(disk);
    const before = await snapshotTree(repo);
    const plan = await planRepositoryRestore({ ...bigSet, target: repo, now: NOW });
    expect(plan.ready).toBe(false);
    expect(plan.problems.join('\n')).toMatch(/Not enough space to restore into .*repo/);
    const r = await restoreRepository({
      ...bigSet,
      target: repo,
      now: NOW,
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('RESTORE_TARGET_TOO_SMALL');
    expect(r.targetState).toBe('untouched');
    expect(r.stateMessage).toBe(`Nothing was changed: ${repo} is as it was.`);
    expect(r.movedAside).toBeUndefined();
    expect(await snapshotTree(repo)).toEqual(before);
    expect(await readdir(disk)).toEqual(['repo']);
  });

  it('cancel mid-extraction: cancelled, the partial target described, moved-aside folder intact', async () => {
    const parent = join(dir.path, `cancel-${n++}`);
    await mkdir(parent);
    const repo = await live(parent);
    const before = await snapshotTree(repo);
    const ac = new AbortController();
    const r = await restoreRepository({
      ...bigSet,
      target: repo,
      now: NOW,
      signal: ac.signal,
      // The first extraction report comes after the first entry: cancel right there.
      onProgress: (p) => {
        if (p.phase === 'extracting') ac.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.error).toBeUndefined();
    expect(r.targetState).toBe('partial');
    expect(r.extraction?.entries).toBeGreaterThan(0);
    expect(r.extraction?.files).toBeLessThan(12);
    expect(r.stateMessage).toContain('PARTIAL restore');
    expect(await snapshotTree(r.movedAside as string)).toEqual(before);
  });

  it('a repository folder that is a mount point cannot be renamed aside: refused, nothing changed', async () => {
    const mnt = await tmpfs(4);
    await writeFile(join(mnt, 'attachment.bin'), 'on its own volume\n');
    const before = await snapshotTree(mnt);
    const plan = await planRepositoryRestore({ ...bigSet, target: mnt, now: NOW });
    expect(plan.ready).toBe(false);
    expect(plan.problems.join('\n')).toMatch(/is a mount point/);
    const r = await restoreRepository({
      ...bigSet,
      target: mnt,
      now: NOW,
      signal: new AbortController().signal,
    });
    expect(r.error?.code).toBe('REPOSITORY_CANNOT_MOVE_ASIDE');
    expect(r.targetState).toBe('untouched');
    expect(await snapshotTree(mnt)).toEqual(before);
  });

  it('a hostile archive stops the restore by name; the moved-aside folder is intact', async () => {
    const parent = join(dir.path, `hostile-${n++}`);
    await mkdir(parent);
    const repo = await live(parent);
    const before = await snapshotTree(repo);
    const archive = join(parent, 'evil.tar');
    execFileSync('python3', [
      '-c',
      `import tarfile, io
with tarfile.open('${archive}', 'w') as t:
    for name, data in [('ok.txt', b'fine'), ('../escaped.txt', b'evil')]:
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))`,
    ]);
    const list = join(parent, 'list.jsonl');
    await writeFile(list, '');
    const r = await restoreRepository({
      archive,
      fileList: list,
      target: repo,
      now: NOW,
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('ARCHIVE_ENTRY_UNSAFE');
    expect(r.targetState).toBe('partial');
    expect(r.stoppedAt).toBe('../escaped.txt');
    expect(await stat(join(parent, 'escaped.txt')).catch(() => undefined)).toBeUndefined();
    expect(await snapshotTree(r.movedAside as string)).toEqual(before);
  });
});
