// Archive fidelity: names that are not valid UTF-8 and paths longer than PATH_MAX (4 KiB) are
// archived exactly (tar: PAX path with hdrcharset=BINARY; zip: raw bytes without the UTF-8 flag),
// listed exactly in the file list (pathBase64) with each file's SHA-256, and read back by GNU tar,
// bsdtar, unzip and Python's zipfile. Zip names that readers would misread ("\" as a separator, a
// drive letter) are mapped so that no entry has ".." or an absolute path and no two entries share
// a name — and the step fails, since the archive does not hold the names as they are.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveFormat } from '../../../../src-main/contract/profile.js';
import { byteSnapshot, hex, makeByteTree, type ByteEntry } from '../../../support/trees/byte-tree.js';
import { tempDir } from '../../../support/temp.js';
import { artifactPath, readFileList, repoProfile, runRepo, type RepoRun } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let shallow: string;
let deep: string;
let shallowSnap: ByteEntry[];
let deepSnap: ByteEntry[];
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-repo-fidelity-');
  shallow = join(dir.path, 'shallow');
  deep = join(dir.path, 'deep');
  makeByteTree(shallow, 2);
  makeByteTree(deep, 28);
  shallowSnap = byteSnapshot(shallow);
  deepSnap = byteSnapshot(deep);
});
// Node's rm cannot reach paths past PATH_MAX; GNU rm walks them by descriptor.
afterAll(async () => {
  execFileSync('rm', ['-rf', dir.path]);
  await dir.cleanup();
});

const fresh = async (): Promise<string> => {
  const p = join(dir.path, `x-${n++}`);
  await mkdir(p);
  return p;
};

/** Runs a tool that must exit 0; returns stderr (GNU tar warns about hdrcharset and still exits 0). */
function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return r.stderr;
}

const withoutTimes = (s: ByteEntry[]): ByteEntry[] => s.map(({ mtimeSec: _, ...e }) => e);
const longest = (s: ByteEntry[]): number => Math.max(...s.map((e) => e.pathHex.length / 2));

describe.each(['tar', 'tar.gz', 'zip'] as ArchiveFormat[])('archive fidelity (%s)', (format) => {
  let shallowRun: RepoRun;
  let deepRun: RepoRun;
  beforeAll(async () => {
    shallowRun = await runRepo(repoProfile(shallow, join(dir.path, `d-${format}-s`), format));
    deepRun = await runRepo(repoProfile(deep, join(dir.path, `d-${format}-d`), format));
  });

  it('succeeds without a warning: every name and path is stored as it is', () => {
    for (const r of [shallowRun, deepRun]) {
      expect(r.repo.status).toBe('succeeded');
      expect(r.repo.warnings).toEqual([]);
    }
    expect(longest(deepSnap)).toBeGreaterThan(5000);
  });

  it('extracts names that are not UTF-8 byte for byte (bsdtar, and GNU tar or unzip)', async () => {
    const archive = artifactPath(shallowRun, `repository.${format}`);
    const a = await fresh();
    run('bsdtar', ['-xf', archive, '-C', a]);
    expect(byteSnapshot(a)).toEqual(shallowSnap);
    const b = await fresh();
    if (format === 'zip') {
      run('unzip', ['-q', archive, '-d', b]);
      // Info-ZIP unzip drops the byte 0xFF from names (its own zip -> unzip round trip does the
      // same); every other byte comes back exactly.
      const dropFF = (s: ByteEntry[]): ByteEntry[] =>
        s.map((e) => ({ ...e, pathHex: e.pathHex.replace(/(..)/g, (b) => (b === 'ff' ? '' : b)) }));
      expect(byteSnapshot(b)).toEqual(dropFF(shallowSnap));
    } else {
      expect(run('tar', ['-xf', archive, '-C', b])).not.toMatch(/error|cannot/i);
      expect(byteSnapshot(b)).toEqual(shallowSnap);
    }
  });

  it('extracts paths longer than 5 KiB byte for byte (bsdtar; GNU tar and unzip cannot create them)', async () => {
    const out = await fresh();
    // As root bsdtar would chown each folder by its full path, which the kernel refuses past PATH_MAX.
    run('bsdtar', ['-x', '--no-same-owner', '-f', artifactPath(deepRun, `repository.${format}`), '-C', out]);
    const got = byteSnapshot(out);
    expect(format === 'zip' ? got : withoutTimes(got)).toEqual(
      format === 'zip' ? deepSnap : withoutTimes(deepSnap),
    );
  });

  it('lists every path exactly in the file list, bytes in pathBase64 where not UTF-8, and each file SHA-256', async () => {
    for (const [r, snap] of [
      [shallowRun, shallowSnap],
      [deepRun, deepSnap],
    ] as const) {
      const list = await readFileList(r);
      const byHex = new Map(snap.map((e) => [e.pathHex, e]));
      expect(list).toHaveLength(snap.length);
      for (const e of list) {
        const bytes = e.pathBase64 !== undefined ? Buffer.from(e.pathBase64, 'base64') : Buffer.from(e.path);
        const src = byHex.get(bytes.toString('hex'));
        expect(src?.type).toBe(e.type);
        expect(e.pathBase64 !== undefined).toBe(!Buffer.from(e.path).equals(bytes));
        if (e.type === 'file') expect(e.sha256).toBe(src?.sha256);
        else expect(e.sha256).toBeUndefined();
        if (e.type === 'symlink')
          expect(
            (e.targetBase64 ? Buffer.from(e.targetBase64, 'base64') : Buffer.from(e.target ?? '')).toString(
              'hex',
            ),
          ).toBe(src?.targetHex);
      }
      expect(list.filter((e) => e.pathBase64 !== undefined).length).toBeGreaterThanOrEqual(4);
    }
  });
});

describe('tar headers for such names', () => {
  it('carry hdrcharset=BINARY before a raw path, and GNU tar lists the 5 KiB path exactly', async () => {
    const r = await runRepo(repoProfile(deep, join(dir.path, 'd-tar-list'), 'tar'));
    const archive = artifactPath(r, 'repository.tar');
    const raw = execFileSync(
      'tar',
      ['--warning=no-unknown-keyword', '--quoting-style=literal', '-tf', archive],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const listed = raw
      .toString('hex')
      .split('0a')
      .filter(Boolean)
      .map((h) => (h.endsWith('2f') ? h.slice(0, -2) : h));
    expect(listed.sort()).toEqual(deepSnap.map((e) => e.pathHex).sort());
    const python = execFileSync(
      'python3',
      [
        '-c',
        `import tarfile,sys
t=tarfile.open(sys.argv[1], encoding='utf-8', errors='surrogateescape')
for m in t.getmembers():
    if m.pax_headers.get('hdrcharset') == 'BINARY': print(m.name.encode('utf-8','surrogateescape').hex())`,
        archive,
      ],
      { encoding: 'utf8' },
    );
    const binary = python.split('\n').filter(Boolean);
    expect(binary).toContain(hex('caf') + 'e9' + hex('.txt'));
    // Only names that are not UTF-8 are marked binary.
    expect(binary).not.toContain(hex('valid ünïcødé.txt'));
  });
});

describe('zip names that zip readers would misread', () => {
  let root: string;
  let zip: RepoRun;
  let names: string[];
  beforeAll(async () => {
    root = join(dir.path, 'hostile');
    await mkdir(join(root, 'a'), { recursive: true });
    await mkdir(join(root, 'dir\\with\\slashes'), { recursive: true });
    await writeFile(join(root, 'x:dup'), 'mapped drive-like name\n');
    await writeFile(join(root, 'dup'), 'the real dup\n');
    await writeFile(join(root, 'a', '..\\..\\evil.txt'), 'must stay inside\n');
    await writeFile(join(root, 'b\\c.txt'), 'backslash\n');
    await writeFile(join(root, 'b%5Cc.txt'), 'a real name equal to the mapping\n');
    await writeFile(join(root, 'dir\\with\\slashes', 'inner.txt'), 'inside a mapped folder\n');
    zip = await runRepo(repoProfile(root, join(dir.path, 'd-hostile'), 'zip'));
    names = execFileSync(
      'python3',
      [
        '-c',
        'import zipfile,sys\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename)',
        artifactPath(zip, 'repository.zip'),
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
  });

  it('never writes two entries with one name, a ".." segment, an absolute path or a backslash', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      const segments = name.replace(/\/$/, '').split('/');
      expect(segments).not.toContain('..');
      expect(name.startsWith('/')).toBe(false);
      expect(name).not.toMatch(/^[A-Za-z]:/);
      expect(name).not.toContain('\\');
    }
    expect(names.sort()).toEqual(
      [
        'a/',
        'a/..%5C..%5Cevil.txt',
        'b%5Cc.txt',
        'b%5Cc.txt~1',
        'dir%5Cwith%5Cslashes/',
        'dir%5Cwith%5Cslashes/inner.txt',
        'dup',
        'x%3Adup',
      ].sort(),
    );
  });

  it('names each mapping ZIP_NAME_CHANGED with its stored name, and fails the step ZIP_NAMES_NOT_STORED with the count', async () => {
    expect(zip.repo.warnings.map((w) => [w.code, w.subject]).sort()).toEqual(
      [
        ['ZIP_NAME_CHANGED', 'a/..\\..\\evil.txt'],
        ['ZIP_NAME_CHANGED', 'b\\c.txt'],
        ['ZIP_NAME_CHANGED', 'dir\\with\\slashes'],
        ['ZIP_NAME_CHANGED', 'x:dup'],
      ].sort(),
    );
    expect(zip.repo.warnings.find((w) => w.subject === 'b\\c.txt')?.message).toContain('"b%5Cc.txt~1"');
    expect(zip.repo.status).toBe('failed');
    expect(zip.repo.error?.code).toBe('ZIP_NAMES_NOT_STORED');
    expect(zip.repo.error?.details).toMatchObject({ ZIP_NAME_CHANGED: 4 });
    expect(zip.result.manifest.complete).toBe(false);
    const list = await readFileList(zip);
    expect(list.find((e) => e.path === 'dir\\with\\slashes/inner.txt')?.archivePath).toBe(
      'dir%5Cwith%5Cslashes/inner.txt',
    );
    expect(list.find((e) => e.path === 'dup')?.archivePath).toBeUndefined();
  });

  it('extracts with unzip and bsdtar entirely inside the target folder, the real dup intact', async () => {
    for (const tool of ['unzip', 'bsdtar']) {
      const parent = await fresh();
      const into = join(parent, 'into');
      await mkdir(into);
      if (tool === 'unzip') run('unzip', ['-q', artifactPath(zip, 'repository.zip'), '-d', into]);
      else run('bsdtar', ['-xf', artifactPath(zip, 'repository.zip'), '-C', into]);
      expect(await readdir(parent)).toEqual(['into']);
      expect(execFileSync('cat', [join(into, 'dup')], { encoding: 'utf8' })).toBe('the real dup\n');
      expect(execFileSync('cat', [join(into, 'a', '..%5C..%5Cevil.txt')], { encoding: 'utf8' })).toBe(
        'must stay inside\n',
      );
    }
  });

  it('keeps every one of those names exactly in tar (GNU tar; bsdtar strips a leading "x:" itself)', async () => {
    const tar = await runRepo(repoProfile(root, join(dir.path, 'd-hostile-tar'), 'tar'));
    expect(tar.repo.status).toBe('succeeded');
    const out = await fresh();
    run('tar', ['-xf', artifactPath(tar, 'repository.tar'), '-C', out]);
    expect(byteSnapshot(out)).toEqual(byteSnapshot(root));
  });
});
