// When the repository capture is incomplete the step fails (the archive it wrote is committed, so
// nothing is lost, but the set is never complete): an empty folder, an fstab mount point that is
// not mounted, the folder replaced or unmounted mid-run, a folder that vanishes with its contents.
// A large drop against the last good set is a named warning, and with a change of file system it
// fails. Real mounts (tmpfs, as root) stand for the shares: unmounted, remounted, mounted inside.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { tempDir } from '../../../support/temp.js';
import { artifactPath, repoProfile, runRepo, tool } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let noFstab: string;
const mounted: string[] = [];
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-repo-policy-');
  noFstab = join(dir.path, 'fstab-empty');
  await writeFile(noFstab, '# nothing declared\n');
});
afterAll(async () => {
  for (const m of mounted.reverse()) spawnUmount(m);
  await dir.cleanup();
});

function spawnUmount(m: string): void {
  try {
    execFileSync('umount', ['-l', m], { stdio: 'ignore' });
  } catch {
    // already unmounted by the test
  }
}

function mountTmpfs(at: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', at]);
  mounted.push(at);
}

async function files(root: string, names: string[]): Promise<void> {
  for (const name of names) {
    await mkdir(join(root, ...name.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(root, ...name.split('/')), `${name}\n`);
  }
}

const dest = (): string => join(dir.path, `dest-${n++}`);
const tables = { mounts: '/proc/mounts', fstab: '' };

describe('repository capture policy', () => {
  beforeAll(() => {
    tables.fstab = noFstab;
  });

  it('fails REPOSITORY_EMPTY for a folder without files (an unmounted share looks like this), and accepts it with allowEmpty', async () => {
    const root = join(dir.path, `empty-${n++}`);
    await mkdir(join(root, 'only', 'folders'), { recursive: true });
    const run = await runRepo(repoProfile(root, dest(), 'tar'), { internals: { mountTables: tables } });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_EMPTY');
    expect(run.repo.error?.fix).toContain('allowEmpty');
    expect(run.result.manifest.complete).toBe(false);

    const profile: Profile = repoProfile(root, dest(), 'tar');
    profile.repository = { path: root, format: 'tar', allowEmpty: true };
    const ok = await runRepo(profile, { internals: { mountTables: tables } });
    expect(ok.repo.status).toBe('succeeded');
    expect(
      tool('tar', ['-tf', artifactPath(ok, 'repository.tar')])
        .trim()
        .split('\n'),
    ).toEqual(['only/', 'only/folders/']);
  });

  it('fails REPOSITORY_NOT_MOUNTED before writing anything when its fstab mount point is not mounted (real empty mount point)', async () => {
    const point = join(dir.path, `share-${n++}`);
    const root = join(point, 'repo');
    await files(root, ['stale.txt']);
    const fstab = join(dir.path, `fstab-${n++}`);
    await writeFile(fstab, `//files/octane ${point} cifs credentials=/etc/octane.cred,_netdev 0 0\n`);
    const run = await runRepo(repoProfile(root, dest(), 'zip'), {
      internals: { mountTables: { mounts: '/proc/mounts', fstab } },
    });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_NOT_MOUNTED');
    expect(run.repo.error?.message).toContain('//files/octane');
    expect(run.repo.artifacts).toEqual([]);
  });

  it('fails REPOSITORY_REPLACED when the share is unmounted and another mounted in its place mid-run, keeping the archive', async () => {
    const root = join(dir.path, `remount-${n++}`);
    await mkdir(root);
    mountTmpfs(root);
    const names = ['a.txt', 'b.txt', 'c/d.txt', 'e.txt'];
    await files(root, names);
    const run = await runRepo(repoProfile(root, dest(), 'tar.gz'), {
      internals: {
        mountTables: tables,
        hooks: {
          afterEntry: async (rel) => {
            if (rel !== 'a.txt') return;
            execFileSync('umount', ['-l', root]);
            mountTmpfs(root);
            await files(root, names);
          },
        },
      },
    });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_REPLACED');
    // The new tmpfs gets the freed device number and root inode 1 again: only its creation time differs.
    expect(run.repo.error?.message).toMatch(/device \d+ -> \d+|created .* -> /);
    expect(run.result.manifest.complete).toBe(false);
    // Nothing lost: both artifacts are committed and listed, and the archive is valid.
    expect(run.repo.artifacts.map((a) => a.path).sort()).toEqual([
      'repository/repository.files.jsonl',
      'repository/repository.tar.gz',
    ]);
    expect(tool('tar', ['-tzf', artifactPath(run, 'repository.tar.gz')])).toContain('a.txt');
  });

  it('fails when the share drops mid-run (umount -l): folders vanish with their contents and the root changed', async () => {
    const root = join(dir.path, `drop-${n++}`);
    await mkdir(root);
    mountTmpfs(root);
    await files(root, ['a.txt', 'att/1/x.pdf', 'att/2/y.pdf', 'b/z.pdf', 'c.txt']);
    const run = await runRepo(repoProfile(root, dest(), 'zip'), {
      internals: {
        mountTables: tables,
        hooks: {
          afterEntry: (rel) => {
            if (rel === 'a.txt') execFileSync('umount', ['-l', root]);
          },
        },
      },
    });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_REPLACED');
    expect(run.repo.error?.message).toContain('(FOLDER_VANISHED)');
    expect(run.repo.warnings.filter((w) => w.code === 'FOLDER_VANISHED').map((w) => w.subject)).toEqual([
      'att',
      'b',
    ]);
    expect(run.repo.warnings.filter((w) => w.code === 'FILE_VANISHED').map((w) => w.subject)).toEqual([
      'c.txt',
    ]);
  });

  it('fails REPOSITORY_FOLDERS_VANISHED when a folder is deleted with its contents mid-run; a single file stays a warning', async () => {
    const root = join(dir.path, `vanish-${n++}`);
    await files(root, ['a.txt', 'gone/1.txt', 'gone/2.txt', 'kept/3.txt', 'z.txt']);
    const run = await runRepo(repoProfile(root, dest(), 'tar'), {
      internals: {
        mountTables: tables,
        hooks: {
          afterEntry: async (rel) => {
            if (rel === 'gone') await rm(join(root, 'gone'), { recursive: true });
            if (rel === 'kept/3.txt') await rm(join(root, 'z.txt'));
          },
        },
      },
    });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_FOLDERS_VANISHED');
    expect(run.repo.error?.message).toContain('1 entry vanished with their contents (FOLDER_VANISHED)');
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['FOLDER_VANISHED', 'gone'],
      ['FILE_VANISHED', 'z.txt'],
    ]);
    expect(run.repo.artifacts).toHaveLength(2);

    // Only a file vanishing: a warning, the capture stands.
    const root2 = join(dir.path, `vanish-${n++}`);
    await files(root2, ['a.txt', 'b.txt', 'c.txt']);
    const ok = await runRepo(repoProfile(root2, dest(), 'tar'), {
      internals: {
        mountTables: tables,
        hooks: { afterEntry: (rel) => (rel === 'a.txt' ? rm(join(root2, 'b.txt')) : undefined) },
      },
    });
    expect(ok.repo.status).toBe('succeeded-with-warnings');
    expect(ok.repo.warnings.map((w) => w.code)).toEqual(['FILE_VANISHED']);
  });

  it('warns REPOSITORY_SHRANK with both figures when the folder holds far fewer files than the last good set', async () => {
    const root = join(dir.path, `shrink-${n++}`);
    await files(
      root,
      Array.from({ length: 100 }, (_, i) => `att/${i}.txt`),
    );
    const destination = dest();
    const first = await runRepo(repoProfile(root, destination, 'tar'), {
      internals: { mountTables: tables },
    });
    expect(first.repo.status).toBe('succeeded');
    for (let i = 0; i < 60; i++) await rm(join(root, 'att', `${i}.txt`));
    const second = await runRepo(repoProfile(root, destination, 'tar'), {
      internals: { mountTables: tables },
    });
    expect(second.repo.status).toBe('succeeded-with-warnings');
    const w = second.repo.warnings.find((x) => x.code === 'REPOSITORY_SHRANK');
    expect(w?.message).toContain('now holds 40 files');
    expect(w?.message).toContain(`the last good set ${first.result.setName} held 100 files`);
  });

  it('fails REPOSITORY_NOT_MOUNTED when the share under the folder is gone and far fewer (stale) files are there', async () => {
    const point = join(dir.path, `stale-${n++}`);
    await mkdir(point);
    mountTmpfs(point);
    const root = join(point, 'repo');
    await files(
      root,
      Array.from({ length: 60 }, (_, i) => `att/${i}.pdf`),
    );
    const destination = dest();
    const first = await runRepo(repoProfile(root, destination, 'tar'), {
      internals: { mountTables: tables },
    });
    expect(first.repo.status).toBe('succeeded');
    expect(first.repo.details?.sourceMount).toEqual({ mountPoint: point, fsType: 'tmpfs' });
    execFileSync('umount', [point]);
    await files(root, ['att/1.pdf', 'att/2.pdf']);
    const second = await runRepo(repoProfile(root, destination, 'tar'), {
      internals: { mountTables: tables },
    });
    expect(second.repo.status).toBe('failed');
    expect(second.repo.error?.code).toBe('REPOSITORY_NOT_MOUNTED');
    expect(second.repo.error?.message).toContain(`tmpfs mounted at ${point}`);
    expect(second.repo.warnings.map((x) => x.code).sort()).toEqual([
      'REPOSITORY_MOUNT_CHANGED',
      'REPOSITORY_SHRANK',
    ]);
    expect(second.repo.artifacts).toHaveLength(2);
  });

  it('does not cross into another file system mounted inside the folder, and says so', async () => {
    const root = join(dir.path, `nested-${n++}`);
    await files(root, ['a.txt', 'z.txt']);
    await mkdir(join(root, 'm'));
    mountTmpfs(join(root, 'm'));
    await files(join(root, 'm'), ['inside-the-mount.txt']);
    const run = await runRepo(repoProfile(root, dest(), 'tar'), { internals: { mountTables: tables } });
    expect(run.repo.status).toBe('succeeded-with-warnings');
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['OTHER_FILE_SYSTEM_SKIPPED', 'm']]);
    expect(
      tool('tar', ['-tf', artifactPath(run, 'repository.tar')])
        .trim()
        .split('\n'),
    ).toEqual(['a.txt', 'm/', 'z.txt']);
  });

  it.each(['/', '/proc'])(
    'refuses %s as the repository folder at validation, before reading anything',
    async (path) => {
      await expect(runRepo(repoProfile(path, dest(), 'tar'))).rejects.toThrow(
        /repository\.path: .* system folder/,
      );
    },
  );

  // Validation sees only the configured text; the step resolves links, so a link to a system
  // folder (or a folder validation does not list) is still refused before any byte is read.
  it.each([
    ['a link to /', '/'],
    ['a link to /proc', '/proc'],
    ['/sys/kernel', undefined],
  ])('the step refuses %s as the repository folder before reading anything', async (_what, target) => {
    let path = '/sys/kernel';
    if (target !== undefined) {
      path = join(dir.path, `link-${target.replace(/\//g, '_')}`);
      await symlink(target, path);
    }
    const run = await runRepo(repoProfile(path, dest(), 'tar'));
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_IS_SYSTEM_ROOT');
    expect(run.repo.artifacts).toEqual([]);
  });
});
