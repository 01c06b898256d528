// Files that vanish, shrink, grow or change while the archive is written, FIFOs, and names a zip
// cannot hold: each becomes a named warning in the manifest, and the archive stays valid (checked
// by GNU tar / bsdtar / unzip). Test seams in the step's internal API make the timing exact.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  mkdir,
  open,
  readFile,
  rm,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { tempDir } from '../../../support/temp.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { artifactPath, extractWith, readFileList, repoProfile, runRepo, tool } from './helpers.js';

const MiB = 1024 * 1024;
let dir: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-repo-warn-');
});
afterAll(async () => dir.cleanup());

/** A fresh source tree: a.txt, b.txt, big.bin (3 MiB random), c.txt in archive order; mtimes set in the past. */
async function tree(): Promise<{ root: string; big: Buffer }> {
  const root = join(dir.path, `repo-${n++}`);
  await mkdir(root, { recursive: true });
  const big = randomBytes(3 * MiB);
  await writeFile(join(root, 'big.bin'), big);
  for (const f of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(root, f), `${f} content\n`);
  const past = new Date('2024-01-01T00:00:00Z');
  for (const f of ['big.bin', 'a.txt', 'b.txt', 'c.txt']) await utimes(join(root, f), past, past);
  return { root, big };
}

const dest = (): string => join(dir.path, `dest-${n++}`);

describe.each(['tar', 'tar.gz', 'zip'] as const)('repository step warnings (%s)', (format) => {
  const extractor = format === 'zip' ? 'unzip' : 'gnu-tar';
  let root: string;
  let big: Buffer;
  beforeEach(async () => {
    ({ root, big } = await tree());
  });

  it('names a file deleted mid-run FILE_VANISHED, leaves it out, and keeps the archive valid', async () => {
    const run = await runRepo(repoProfile(root, dest(), format), {
      internals: {
        hooks: {
          // While big.bin is being read, c.txt (already listed and lstat'ed, next in line) is deleted.
          afterRead: async (rel, soFar) => {
            if (rel === 'big.bin' && soFar <= MiB) await rm(join(root, 'c.txt'));
          },
        },
      },
    });
    expect(run.repo.status).toBe('succeeded-with-warnings');
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['FILE_VANISHED', 'c.txt']]);
    const onDisk = await readManifest(run.setPath);
    expect(onDisk.components.find((c) => c.id === 'repository')?.warnings[0]?.code).toBe('FILE_VANISHED');
    const out = await extractWith(
      extractor,
      artifactPath(run, `repository.${format}`),
      join(dir.path, `x-${n++}`),
    );
    expect(Object.keys(await snapshotTree(out))).toEqual(['a.txt', 'b.txt', 'big.bin']);
    expect((await readFile(join(out, 'big.bin'))).equals(big)).toBe(true);
    expect(await readFile(join(out, 'b.txt'), 'utf8')).toBe('b.txt content\n');
    expect((await readFileList(run)).map((e) => e.path)).toEqual(['a.txt', 'b.txt', 'big.bin']);
  });

  it('names a file that shrinks while read FILE_CHANGED; the entries after it are intact', async () => {
    const run = await runRepo(repoProfile(root, dest(), format), {
      internals: {
        hooks: {
          afterRead: async (rel, soFar) => {
            if (rel === 'big.bin' && soFar <= MiB) await truncate(join(root, 'big.bin'), 1000);
          },
        },
      },
    });
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['FILE_CHANGED', 'big.bin']]);
    expect(run.repo.warnings[0]?.message).toContain('shrank');
    const archive = artifactPath(run, `repository.${format}`);
    if (format === 'zip') expect(tool('unzip', ['-t', archive])).toContain('No errors detected');
    const out = await extractWith(extractor, archive, join(dir.path, `x-${n++}`));
    const got = await readFile(join(out, 'big.bin'));
    const firstRead = (await readFileList(run)).find((e) => e.path === 'big.bin');
    if (format === 'zip') {
      // zip holds what could be read: the first read, exactly.
      expect(got.length).toBe(firstRead?.size);
      expect(got.equals(big.subarray(0, got.length))).toBe(true);
    } else {
      // tar declared 3 MiB in the header: the bytes read, then zeros, and the size still matches.
      expect(got.length).toBe(big.length);
      const read = got.length - countTrailingZeros(got);
      expect(got.subarray(0, read).equals(big.subarray(0, read))).toBe(true);
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThanOrEqual(MiB);
    }
    expect(firstRead?.warning).toBe('FILE_CHANGED');
    for (const f of ['a.txt', 'b.txt', 'c.txt'])
      expect(await readFile(join(out, f), 'utf8')).toBe(`${f} content\n`);
  });

  it('names a file that grows while read FILE_CHANGED and keeps the bytes it had when listed', async () => {
    const run = await runRepo(repoProfile(root, dest(), format), {
      internals: {
        hooks: {
          afterRead: async (rel, soFar) => {
            if (rel === 'big.bin' && soFar <= MiB) await appendFile(join(root, 'big.bin'), 'appended later');
          },
        },
      },
    });
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['FILE_CHANGED', 'big.bin']]);
    expect(run.repo.warnings[0]?.message).toContain(`from ${big.length} to ${big.length + 14} bytes`);
    const out = await extractWith(
      extractor,
      artifactPath(run, `repository.${format}`),
      join(dir.path, `x-${n++}`),
    );
    expect((await readFile(join(out, 'big.bin'))).equals(big)).toBe(true);
  });

  it('names a file rewritten in place (same size) FILE_CHANGED from its modification time', async () => {
    const run = await runRepo(repoProfile(root, dest(), format), {
      internals: {
        hooks: {
          afterRead: async (rel, soFar) => {
            if (rel !== 'big.bin' || soFar > MiB) return;
            const fh = await open(join(root, 'big.bin'), 'r+');
            await fh.write(Buffer.from('rewritten'), 0, 9, 0);
            await fh.close();
          },
        },
      },
    });
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['FILE_CHANGED', 'big.bin']]);
    expect(run.repo.warnings[0]?.message).toContain('was modified');
  });
});

describe('repository step and special entries', () => {
  it('skips a FIFO with SPECIAL_FILE_SKIPPED instead of hanging on it', async () => {
    const { root } = await tree();
    execFileSync('mkfifo', [join(root, 'a-pipe')]);
    const run = await runRepo(repoProfile(root, dest(), 'tar'));
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([['SPECIAL_FILE_SKIPPED', 'a-pipe']]);
    expect(
      tool('tar', ['-tf', artifactPath(run, 'repository.tar')])
        .split('\n')
        .filter(Boolean),
    ).toEqual(['a.txt', 'b.txt', 'big.bin', 'c.txt']);
  });

  it('stores "Re: minutes.txt" as it is, maps a backslash name with ZIP_NAME_CHANGED and fails the step ZIP_NAMES_NOT_STORED, keeping the archive; tar keeps both', async () => {
    const { root } = await tree();
    await writeFile(join(root, 'Re: minutes.txt'), 'colon\n');
    await writeFile(join(root, 'back\\slash.txt'), 'backslash\n');
    const zip = await runRepo(repoProfile(root, dest(), 'zip'));
    expect(zip.repo.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['ZIP_NAME_CHANGED', 'back\\slash.txt'],
    ]);
    expect(zip.repo.warnings[0]?.message).toContain('stored as "back%5Cslash.txt"');
    expect(zip.repo.status).toBe('failed');
    expect(zip.repo.error?.code).toBe('ZIP_NAMES_NOT_STORED');
    expect(zip.repo.error?.fix).toContain('tar.gz');
    expect(zip.result.manifest.complete).toBe(false);
    const list = await readFileList(zip);
    expect(list.find((e) => e.path === 'Re: minutes.txt')?.archivePath).toBeUndefined();
    expect(list.find((e) => e.path === 'back\\slash.txt')?.archivePath).toBe('back%5Cslash.txt');
    const listing = tool('unzip', ['-Z1', artifactPath(zip, 'repository.zip')]).split('\n');
    expect(listing).toContain('Re: minutes.txt');
    expect(listing).toContain('back%5Cslash.txt');

    const tar = await runRepo(repoProfile(root, dest(), 'tar'));
    expect(tar.repo.warnings).toEqual([]);
    const out = await extractWith('bsdtar', artifactPath(tar, 'repository.tar'), join(dir.path, `x-${n++}`));
    expect(await readFile(join(out, 'Re: minutes.txt'), 'utf8')).toBe('colon\n');
    expect(await readFile(join(out, 'back\\slash.txt'), 'utf8')).toBe('backslash\n');
  });
});

describe('repository step and where the folders are', () => {
  it('leaves out its own sets when the destination is inside the repository folder, and says so', async () => {
    const { root } = await tree();
    // Validation refuses a destination whose path lies inside the repository path; through a link
    // (the repository configured as a link to its folder) only the step can see it.
    const link = join(dir.path, `repo-link-${n++}`);
    await symlink(root, link);
    const run = await runRepo(repoProfile(link, join(root, 'backups'), 'tar'));
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['DESTINATION_INSIDE_SOURCE', 'backups/repo-test'],
    ]);
    const names = tool('tar', ['-tf', artifactPath(run, 'repository.tar')])
      .split('\n')
      .filter(Boolean);
    // The destination folder exists in the source (it holds the sets) but none of the sets is archived.
    expect(names).toEqual(['a.txt', 'b.txt', 'backups/', 'big.bin', 'c.txt']);
  });

  it('archives the folder a configured link points to, once, and never follows links inside it', async () => {
    const { root, big } = await tree();
    const link = join(dir.path, `repo-link-${n++}`);
    await symlink(root, link);
    await symlink('big.bin', join(root, 'alias-of-big'));
    const run = await runRepo(repoProfile(link, dest(), 'tar'));
    expect(run.repo.status).toBe('succeeded');
    const out = await extractWith('gnu-tar', artifactPath(run, 'repository.tar'), join(dir.path, `x-${n++}`));
    const got = await snapshotTree(out);
    expect(got['alias-of-big']).toEqual({ type: 'symlink', target: 'big.bin' });
    expect((await readFile(join(out, 'big.bin'))).equals(big)).toBe(true);
    expect(run.repo.details?.source).toBe(root);
  });
});

describe('repository step with very many problems', () => {
  it('keeps 200 warnings per code in the manifest, sends the rest to the run log and says how many', async () => {
    const root = join(dir.path, `repo-many-${n++}`);
    await mkdir(root);
    for (let i = 0; i < 205; i++) await writeFile(join(root, `deny-${String(i).padStart(3, '0')}.txt`), 'x');
    await writeFile(join(root, 'ok.txt'), 'fine\n');
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const run = await runRepo(repoProfile(root, dest(), 'tar'), {
      internals: { open: (p, flags) => (p.includes('deny-') ? Promise.reject(denied) : open(p, flags)) },
    });
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_FILES_UNREADABLE');
    expect(run.repo.error?.message).toContain('205 entries could not be read');
    const unreadable = run.repo.warnings.filter((w) => w.code === 'FILE_UNREADABLE');
    expect(unreadable).toHaveLength(201);
    expect(unreadable.slice(0, 200).map((w) => w.subject)).toEqual(
      Array.from({ length: 200 }, (_, i) => `deny-${String(i).padStart(3, '0')}.txt`),
    );
    expect(unreadable[200]?.message).toMatch(/^5 more FILE_UNREADABLE warnings/);
    const log = await readFile(join(run.setPath, 'run.log'), 'utf8');
    for (const i of [200, 204]) expect(log).toContain(`deny-${i}.txt cannot be opened (EACCES)`);
    expect(tool('tar', ['-tf', artifactPath(run, 'repository.tar')]).trim()).toBe('ok.txt');
  });
});

function countTrailingZeros(b: Buffer): number {
  let i = b.length;
  while (i > 0 && b[i - 1] === 0) i--;
  return b.length - i;
}
