// Preflight of the repository step: source, destination writable (a real read-only mount), free
// space (a real 1 MiB tmpfs) and the FAT32 file-size limit (detection from a mounts table, and
// the run refusing before any work starts).
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightCheck } from '../../../../src-main/contract/preflight.js';
import { runPreflight } from '../../../../src-main/engine/preflight/run-preflight.js';
import { repositoryPreflight } from '../../../../src-main/engine/steps/repository/index.js';
import {
  fsTypeFromMounts,
  isFatFamily,
  linuxMountsProbe,
  windowsProbe,
} from '../../../../src-main/engine/steps/repository/fs-type.js';
import { makeEdgeTree, makeSparseFile } from '../../../support/trees/edge-tree.js';
import { tempDir } from '../../../support/temp.js';
import { repoProfile, runRepo } from './helpers.js';

const GiB = 2 ** 30;
let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
const mounts: string[] = [];
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-repo-preflight-');
  source = (await makeEdgeTree(join(dir.path, 'repo'))).root;
});
afterAll(async () => {
  for (const m of mounts) execFileSync('umount', [m]);
  await dir.cleanup();
});

const byId = (checks: PreflightCheck[]): Record<string, PreflightCheck> =>
  Object.fromEntries(checks.map((c) => [c.id, c]));

async function mountTmpfs(options: string): Promise<string> {
  const m = join(dir.path, `mnt-${n++}`);
  await mkdir(m);
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', m]);
  mounts.push(m);
  return m;
}

/** A mounts table (as in /proc/mounts) that puts `fatDir` on a FAT32 (vfat) drive. */
async function fakeMounts(fatDir: string, type = 'vfat'): Promise<string> {
  const file = join(dir.path, `mounts-${n++}`);
  await writeFile(
    file,
    `/dev/vda / ext4 rw,relatime 0 0\n/dev/sdb1 ${fatDir.replace(/ /g, '\\040')} ${type} rw,relatime 0 0\n`,
  );
  return file;
}

describe('repository preflight', () => {
  it('passes every check for a readable source and a writable, roomy destination (through runPreflight)', async () => {
    const report = await runPreflight(repoProfile(source, join(dir.path, 'dest-ok', 'not-yet-created')));
    const checks = byId(report.checks.filter((c) => c.component === 'repository'));
    expect(Object.keys(checks).sort()).toEqual(
      [
        'repository:destination-writable',
        'repository:file-size-limit',
        'repository:free-space',
        'repository:source',
      ].sort(),
    );
    for (const c of Object.values(checks)) expect(c.status).toBe('ok');
    expect(checks['repository:file-size-limit']?.message).toContain('ext4');
    expect(checks['repository:free-space']?.message).toMatch(/^\d+ files, /);
  });

  it('probes the nearest existing folder when the destination does not exist yet, and creates nothing', async () => {
    const dest = join(dir.path, 'dest-later', 'sub');
    const checks = byId(await repositoryPreflight(repoProfile(source, dest)));
    expect(checks['repository:destination-writable']?.status).toBe('ok');
    expect(checks['repository:destination-writable']?.message).toContain('will be created');
    expect(await readdir(dir.path)).not.toContain('dest-later');
  });

  it('fails the source check with a fix when the folder is missing or is a file', async () => {
    const missing = byId(
      await repositoryPreflight(repoProfile(join(dir.path, 'nope'), join(dir.path, 'd1'))),
    );
    expect(missing['repository:source']?.status).toBe('failed');
    expect(missing['repository:source']?.message).toContain('does not exist');
    expect(missing['repository:source']?.fix).toContain('repository.path');
    expect(missing['repository:free-space']).toBeUndefined();
    const file = join(dir.path, 'a-file');
    await writeFile(file, 'x');
    const notDir = byId(await repositoryPreflight(repoProfile(file, join(dir.path, 'd2'))));
    expect(notDir['repository:source']?.message).toContain('is a file, not a folder');
  });

  it('warns when the sets would be written inside the repository folder', async () => {
    const checks = byId(await repositoryPreflight(repoProfile(source, join(source, 'backups-here'))));
    expect(checks['repository:destination-inside-source']?.status).toBe('warning');
    expect(checks['repository:destination-inside-source']?.fix).toContain('outside');
    const outside = byId(await repositoryPreflight(repoProfile(source, join(dir.path, 'elsewhere'))));
    expect(outside['repository:destination-inside-source']).toBeUndefined();
  });

  it('fails an empty repository folder (what an unmounted share looks like) unless allowEmpty says it is expected', async () => {
    const empty = join(dir.path, 'repo-empty');
    await mkdir(join(empty, 'only-folders'), { recursive: true });
    const checks = byId(await repositoryPreflight(repoProfile(empty, join(dir.path, 'd-empty'))));
    expect(checks['repository:not-empty']?.status).toBe('failed');
    expect(checks['repository:not-empty']?.message).toContain('holds no files');
    expect(checks['repository:not-empty']?.fix).toContain('allowEmpty');
    const profile = repoProfile(empty, join(dir.path, 'd-empty'));
    profile.repository = { ...profile.repository, path: empty, allowEmpty: true };
    expect(byId(await repositoryPreflight(profile))['repository:not-empty']).toBeUndefined();
  });

  it('refuses "/" as the repository folder without walking it', async () => {
    const checks = byId(await repositoryPreflight(repoProfile('/', join(dir.path, 'd-root'))));
    expect(checks['repository:source']?.status).toBe('failed');
    expect(checks['repository:source']?.message).toContain('the root of the file system');
    // Refused before any scan: no check that needs the totals was made.
    expect(checks['repository:free-space']).toBeUndefined();
  });

  it('fails a repository under an /etc/fstab mount point that is not mounted (real empty mount point), and passes once it is mounted', async () => {
    const point = join(dir.path, 'share-mount');
    const repo = join(point, 'octane', 'repo');
    await mkdir(repo, { recursive: true });
    await writeFile(join(repo, 'stale.txt'), 'left on the local disk under the mount point\n');
    const fstab = join(dir.path, 'fstab');
    await writeFile(
      fstab,
      `# test table\n//files/octane ${point.replace(/ /g, '\\040')} cifs credentials=/x 0 0\n`,
    );
    const tables = { fstab, mounts: '/proc/mounts' };
    const profile = repoProfile(repo, join(dir.path, 'd-share'));
    const down = byId(await repositoryPreflight(profile, { mountTables: tables }));
    expect(down['repository:source']?.status).toBe('failed');
    expect(down['repository:source']?.message).toContain(`lies under ${point}`);
    expect(down['repository:source']?.message).toContain('nothing is mounted there now');
    expect(down['repository:source']?.fix).toContain(`mount ${point}`);

    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', point]);
    mounts.push(point);
    await mkdir(repo, { recursive: true });
    await writeFile(join(repo, 'attachment.txt'), 'on the share\n');
    const up = byId(await repositoryPreflight(profile, { mountTables: tables }));
    expect(up['repository:source']?.status).toBe('ok');
  });

  it('fails the destination check on a read-only drive (real read-only mount)', async () => {
    const ro = await mountTmpfs('size=1m,ro');
    const checks = byId(await repositoryPreflight(repoProfile(source, ro)));
    expect(checks['repository:destination-writable']?.status).toBe('failed');
    expect(checks['repository:destination-writable']?.message).toContain('EROFS');
    expect(checks['repository:destination-writable']?.fix).toContain('read-only');
  });

  it('fails the free-space check when the archive cannot fit (real 1 MiB tmpfs), saying how much is missing', async () => {
    const small = await mountTmpfs('size=1m');
    const big = join(dir.path, `repo-3mb-${n++}`);
    await mkdir(big);
    await writeFile(join(big, 'a.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
    const checks = byId(await repositoryPreflight(repoProfile(big, small, 'tar.gz')));
    expect(checks['repository:free-space']?.status).toBe('failed');
    expect(checks['repository:free-space']?.message).toContain('as if nothing compresses');
    expect(checks['repository:free-space']?.fix).toMatch(/Free at least \d/);
    expect(await readdir(small)).toEqual([]);
  });

  describe('FAT32 destinations', () => {
    let bigTree: string;
    let twoHalves: string;
    beforeAll(async () => {
      bigTree = join(dir.path, 'repo-big');
      await mkdir(bigTree);
      await makeSparseFile(join(bigTree, 'huge.iso'), 4 * GiB + 100 * 1024 * 1024);
      twoHalves = join(dir.path, 'repo-halves');
      await mkdir(twoHalves);
      await makeSparseFile(join(twoHalves, 'a.bin'), 2.5 * GiB);
      await makeSparseFile(join(twoHalves, 'b.bin'), 2.5 * GiB);
    });

    it('refuses a file of 4 GiB or more, naming it', async () => {
      const dest = join(dir.path, 'fat-dest');
      await mkdir(dest);
      const probe = linuxMountsProbe(await fakeMounts(dest));
      const checks = byId(
        await repositoryPreflight(repoProfile(bigTree, join(dest, 'backups')), { fsType: probe }),
      );
      const c = checks['repository:file-size-limit'];
      expect(c?.status).toBe('failed');
      expect(c?.message).toContain('vfat');
      expect(c?.message).toContain('huge.iso');
      expect(c?.fix).toMatch(/NTFS or exFAT/);
    });

    it('refuses an uncompressed archive past 4 GiB, warns for a compressed one, accepts exFAT', async () => {
      const dest = join(dir.path, 'fat-dest-2');
      await mkdir(dest);
      const fat = linuxMountsProbe(await fakeMounts(dest));
      const tar = byId(await repositoryPreflight(repoProfile(twoHalves, dest, 'tar'), { fsType: fat }));
      expect(tar['repository:file-size-limit']?.status).toBe('failed');
      const gz = byId(await repositoryPreflight(repoProfile(twoHalves, dest, 'tar.gz'), { fsType: fat }));
      expect(gz['repository:file-size-limit']?.status).toBe('warning');
      const exfat = linuxMountsProbe(await fakeMounts(dest, 'exfat'));
      const ok = byId(await repositoryPreflight(repoProfile(twoHalves, dest, 'tar'), { fsType: exfat }));
      expect(ok['repository:file-size-limit']?.status).toBe('ok');
    });

    it('makes the run fail with DESTINATION_FAT32_LIMIT before it writes anything', async () => {
      const dest = join(dir.path, 'fat-dest-3');
      await mkdir(dest);
      const fsType = linuxMountsProbe(await fakeMounts(dest));
      const run = await runRepo(repoProfile(bigTree, dest, 'zip'), { internals: { fsType } });
      expect(run.repo.status).toBe('failed');
      expect(run.repo.error?.code).toBe('DESTINATION_FAT32_LIMIT');
      expect(run.repo.error?.message).toContain('huge.iso');
      expect(run.repo.artifacts).toEqual([]);
      expect(await readdir(join(run.setPath, 'repository')).catch(() => [])).toEqual([]);
      // Refused after the pre-scan only: no byte of the 4 GiB file was read.
      const progress = run.events.flatMap((e) =>
        e.type === 'step-progress' ? [e.counters.bytesDone ?? 0] : [],
      );
      expect(Math.max(0, ...progress)).toBe(0);
    });

    it('refuses a 4 GiB file met after the archive started, before any byte of it is read', async () => {
      const tree = join(dir.path, 'repo-late-big');
      await mkdir(join(tree, 'zz'), { recursive: true });
      for (const f of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(tree, f), `${f}\n`);
      await makeSparseFile(join(tree, 'zz', 'huge.iso'), 4 * GiB + 1);
      const dest = join(dir.path, 'fat-dest-4');
      await mkdir(dest);
      const fsType = linuxMountsProbe(await fakeMounts(dest));
      const archived: string[] = [];
      const opened: string[] = [];
      let started: () => void = () => undefined;
      const archiveStarted = new Promise<void>((resolve) => (started = resolve));
      const run = await runRepo(repoProfile(tree, dest, 'tar'), {
        internals: {
          fsType,
          hooks: {
            // The scanner waits until the archive has written its first file: archiving runs ahead.
            scanned: (rel) => (rel === 'a.txt' ? archiveStarted : undefined),
            afterEntry: (rel) => {
              archived.push(rel);
              started();
            },
            beforeOpen: (rel) => void opened.push(rel),
          },
        },
      });
      expect(run.repo.status).toBe('failed');
      expect(run.repo.error?.code).toBe('DESTINATION_FAT32_LIMIT');
      expect(run.repo.error?.message).toContain('zz/huge.iso');
      expect(archived[0]).toBe('a.txt');
      expect(opened).not.toContain('zz/huge.iso');
      const progress = run.events.flatMap((e) =>
        e.type === 'step-progress' ? [e.counters.bytesDone ?? 0] : [],
      );
      expect(Math.max(0, ...progress)).toBeLessThan(100);
      expect(run.repo.artifacts).toEqual([]);
    });
  });
});

describe('destination file system detection', () => {
  it('reads the type of the longest matching mount point, with escaped names', () => {
    const table = [
      '/dev/vda / ext4 rw 0 0',
      '/dev/sdb1 /mnt/usb vfat rw 0 0',
      '/dev/sdc1 /mnt/usb2 exfat rw 0 0',
      '/dev/sdd1 /media/My\\040Drive ntfs3 rw 0 0',
    ].join('\n');
    expect(fsTypeFromMounts(table, '/mnt/usb/backups')).toBe('vfat');
    expect(fsTypeFromMounts(table, '/mnt/usb')).toBe('vfat');
    expect(fsTypeFromMounts(table, '/mnt/usb2/x')).toBe('exfat');
    expect(fsTypeFromMounts(table, '/mnt/usbx')).toBe('ext4');
    expect(fsTypeFromMounts(table, '/media/My Drive/sets')).toBe('ntfs3');
  });

  it('knows the FAT family by its Linux and Windows names, and that exFAT is not in it', () => {
    for (const t of ['vfat', 'msdos', 'FAT32', 'FAT', 'fat16']) expect(isFatFamily(t)).toBe(true);
    for (const t of ['exfat', 'exFAT', 'NTFS', 'ext4', 'ReFS', undefined]) expect(isFatFamily(t)).toBe(false);
  });

  it('asks PowerShell Get-Volume on Windows, then fsutil (stand-in for both commands)', async () => {
    const calls: string[][] = [];
    const ps = windowsProbe((cmd, args) => {
      calls.push([cmd, ...args]);
      return Promise.resolve('FAT32\r\n');
    });
    const quoted = join(dir.path, "it's here");
    await mkdir(quoted);
    expect(await ps(quoted)).toBe('FAT32');
    expect(calls[0]?.[0]).toBe('powershell.exe');
    expect(calls[0]?.join(' ')).toContain("Get-Volume -FilePath '");
    expect(calls[0]?.join(' ')).toContain("it''s here'");

    const fsutil = windowsProbe((cmd) =>
      cmd === 'fsutil'
        ? Promise.resolve('Volume Name : USB\r\nFile System Name : FAT32\r\nIs Case Sensitive : No\r\n')
        : Promise.reject(new Error('Get-Volume is not recognized')),
    );
    expect(await fsutil(dir.path)).toBe('FAT32');
    const none = windowsProbe(() => Promise.reject(new Error('no tools')));
    expect(await none(dir.path)).toBeUndefined();
  });
});
