// Crafted hostile and damaged archives (made with Python's tarfile/zipfile, GNU tar -P and byte
// patches): each is refused with a named error, and nothing is ever written outside the target.
import { execFileSync, execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readlink, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { extractArchive } from '../../../../src-main/engine/restore/repository/extract.js';
import { makeEdgeTree } from '../../../support/trees/edge-tree.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let work: string;
let outside: string;
let target: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-hostile-');
});
afterAll(async () => dir.cleanup());
beforeEach(async () => {
  work = join(dir.path, `case-${n++}`);
  outside = join(work, 'outside');
  target = join(work, 'target');
  await mkdir(outside, { recursive: true });
  await mkdir(target);
  await writeFile(join(outside, 'sentinel'), 'untouched\n');
});

const signal = new AbortController().signal;
const py = (code: string): void => void execFileSync('python3', ['-c', code], { cwd: work });

async function refused(archive: string, code: string, message?: RegExp): Promise<ExpectedError> {
  const before = await snapshotTree(outside);
  const err = await extractArchive(join(work, archive), target, { signal }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExpectedError);
  expect((err as ExpectedError).code).toBe(code);
  if (message) expect((err as ExpectedError).message).toMatch(message);
  expect((err as ExpectedError).fix).toBeTruthy();
  expect(await snapshotTree(outside)).toEqual(before);
  expect(await stat(join(work, 'evil')).catch(() => undefined)).toBeUndefined();
  return err as ExpectedError;
}

const TAR = `import tarfile, io
def add(t, name, data=None, **kw):
    ti = tarfile.TarInfo(name)
    for k, v in kw.items(): setattr(ti, k, v)
    if data is not None: ti.size = len(data)
    t.addfile(ti, io.BytesIO(data) if data is not None else None)
`;
const ZIP = `import zipfile
def add(z, name, data=b'', mode=0o100644, method=zipfile.ZIP_STORED):
    zi = zipfile.ZipInfo(name); zi.create_system = 3; zi.external_attr = mode << 16; zi.compress_type = method
    z.writestr(zi, data)
`;

describe('hostile entry names and links', () => {
  it('tar: "../" is refused', async () => {
    py(`${TAR}\nwith tarfile.open('a.tar', 'w') as t: add(t, 'ok.txt', b'ok'); add(t, '../evil', b'x')`);
    const err = await refused('a.tar', 'ARCHIVE_ENTRY_UNSAFE', /"\.\.\/evil".*climbs out/);
    expect(err.details).toMatchObject({ entry: '../evil' });
    expect(await readFile(join(target, 'ok.txt'), 'utf8')).toBe('ok');
  });

  it('tar made with GNU tar -P: an absolute name is refused', async () => {
    await writeFile(join(work, 'abs-file'), 'abs');
    execSync(`tar -cPf a.tar '${join(work, 'abs-file')}'`, { cwd: work });
    await refused('a.tar', 'ARCHIVE_ENTRY_UNSAFE', /absolute path/);
  });

  it('zip: "../", absolute, drive-letter and backslash names are refused', async () => {
    for (const [name, why] of [
      ['../evil', /climbs out/],
      ['/evil', /absolute/],
      ['C:\\\\evil', /drive letter/],
      ['a\\\\..\\\\..\\\\evil', /climbs out/],
    ] as const) {
      py(`${ZIP}\nwith zipfile.ZipFile('z.zip', 'w') as z: add(z, '${name}', b'x')`);
      await refused('z.zip', 'ARCHIVE_ENTRY_UNSAFE', why);
    }
  });

  it('tar: a link to a folder outside, then a file through it, is refused; the outside folder is untouched', async () => {
    py(
      `${TAR}\nwith tarfile.open('a.tar', 'w') as t:\n` +
        `    add(t, 'link', type=tarfile.SYMTYPE, linkname='${outside}')\n` +
        `    add(t, 'link/sentinel', b'overwritten')\n`,
    );
    await refused('a.tar', 'ARCHIVE_ENTRY_UNSAFE', /link/);
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('untouched\n');
    expect(await readlink(join(target, 'link'))).toBe(outside); // the link itself is inside, as stored
  });

  it('zip: a relative link climbing out, then a file through it, is refused', async () => {
    py(
      `${ZIP}\nwith zipfile.ZipFile('z.zip', 'w') as z:\n` +
        `    add(z, 'up', b'../outside', 0o120777)\n` +
        `    add(z, 'up/sentinel', b'overwritten')\n`,
    );
    await refused('z.zip', 'ARCHIVE_ENTRY_UNSAFE', /link/);
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('untouched\n');
  });

  it('tar: a file entry named like an existing link replaces the link, never writes through it', async () => {
    py(
      `${TAR}\nwith tarfile.open('a.tar', 'w') as t:\n` +
        `    add(t, 'f', type=tarfile.SYMTYPE, linkname='${join(outside, 'sentinel')}')\n` +
        `    add(t, 'f', b'new content')\n`,
    );
    await extractArchive(join(work, 'a.tar'), target, { signal });
    expect((await lstat(join(target, 'f'))).isFile()).toBe(true);
    expect(await readFile(join(target, 'f'), 'utf8')).toBe('new content');
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('untouched\n');
  });

  it('tar: a folder entry replaces an earlier link of the same name, and what follows lands inside', async () => {
    py(
      `${TAR}\nwith tarfile.open('a.tar', 'w') as t:\n` +
        `    add(t, 'd', type=tarfile.SYMTYPE, linkname='${outside}')\n` +
        `    add(t, 'd', type=tarfile.DIRTYPE)\n` +
        `    add(t, 'd/sentinel', b'inside')\n`,
    );
    await extractArchive(join(work, 'a.tar'), target, { signal });
    expect((await lstat(join(target, 'd'))).isDirectory()).toBe(true);
    expect(await readFile(join(target, 'd', 'sentinel'), 'utf8')).toBe('inside');
    expect(await readFile(join(outside, 'sentinel'), 'utf8')).toBe('untouched\n');
  });

  it('tar: hard links out of the folder, or to a link, are refused', async () => {
    py(
      `${TAR}\nwith tarfile.open('a.tar', 'w') as t: add(t, 'h', type=tarfile.LNKTYPE, linkname='../outside/sentinel')`,
    );
    await refused('a.tar', 'ARCHIVE_ENTRY_UNSAFE', /hard link/);
    py(
      `${TAR}\nwith tarfile.open('b.tar', 'w') as t:\n` +
        `    add(t, 'lnk', type=tarfile.SYMTYPE, linkname='${join(outside, 'sentinel')}')\n` +
        `    add(t, 'h', type=tarfile.LNKTYPE, linkname='lnk')\n`,
    );
    await refused('b.tar', 'ARCHIVE_ENTRY_UNSAFE', /not a file extracted before/);
  });
});

describe('gigantic declared sizes', () => {
  /** A one-file tar whose size field is replaced by `field` (12 bytes), checksum recomputed. */
  async function patchedTar(name: string, field: Buffer): Promise<void> {
    py(
      `${TAR}\nwith tarfile.open('${name}', 'w', format=tarfile.USTAR_FORMAT) as t: add(t, 'big.bin', b'small')`,
    );
    const b = await readFile(join(work, name));
    field.copy(b, 124);
    b.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += b[i] as number;
    b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    await writeFile(join(work, name), b);
  }

  it('tar: a size beyond the archive is refused before anything is written', async () => {
    await patchedTar('a.tar', Buffer.from('77777777777\0', 'latin1'));
    await refused(
      'a.tar',
      'ARCHIVE_TRUNCATED',
      /big\.bin declares 8589934591 bytes but only \d+ bytes of the archive remain/,
    );
    expect(await stat(join(target, 'big.bin')).catch(() => undefined)).toBeUndefined();
  });

  it('tar: a base-256 size past what can be held exactly is refused as damage', async () => {
    const field = Buffer.alloc(12);
    field[0] = 0x80;
    field[4] = 0x40; // 2^62
    await patchedTar('a.tar', field);
    await refused('a.tar', 'ARCHIVE_CORRUPT', /impossible size/);
  });

  it('tar: a PAX size of 20 digits is refused as damage', async () => {
    py(
      `${TAR}\nwith tarfile.open('a.tar', 'w', format=tarfile.PAX_FORMAT) as t: add(t, 'x', b'abc', pax_headers={'size': '99999999999999999999'})`,
    );
    await refused('a.tar', 'ARCHIVE_CORRUPT', /impossible size/);
  });

  it('tar.gz: a gigantic size ends as a truncated archive, with a small partial file at most', async () => {
    await patchedTar('a.tar', Buffer.from('77777777777\0', 'latin1'));
    execSync('gzip -c a.tar > a.tar.gz', { cwd: work });
    await refused('a.tar.gz', 'ARCHIVE_TRUNCATED', /big\.bin/);
    expect((await stat(join(target, 'big.bin'))).size).toBeLessThan(1024 * 1024);
  });

  it('zip: a declared size the data does not have, or data running past the entries, is refused', async () => {
    py(
      `${ZIP}\nwith zipfile.ZipFile('z.zip', 'w', zipfile.ZIP_DEFLATED) as z: add(z, 'f.txt', b'hello ' * 1000, method=zipfile.ZIP_DEFLATED)`,
    );
    const b = await readFile(join(work, 'z.zip'));
    const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const big = Buffer.from(b);
    big.writeUInt32LE(0xfffffff0, cd + 24); // uncompressed size ~4 GiB
    await writeFile(join(work, 'z.zip'), big);
    await refused('z.zip', 'ARCHIVE_CORRUPT', /f\.txt holds 6000 bytes, the directory says 4294967280/);
    const past = Buffer.from(b);
    past.writeUInt32LE(0x7fffffff, cd + 20); // compressed size past the end
    await writeFile(join(work, 'z.zip'), past);
    await refused('z.zip', 'ARCHIVE_CORRUPT', /runs past the end/);
  });

  it('zip: content that inflates to more than it declares is refused', async () => {
    py(
      `${ZIP}\nwith zipfile.ZipFile('z.zip', 'w', zipfile.ZIP_DEFLATED) as z: add(z, 'bomb', b'\\0' * 5000000, method=zipfile.ZIP_DEFLATED)`,
    );
    const b = await readFile(join(work, 'z.zip'));
    const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    b.writeUInt32LE(1000, cd + 24);
    await writeFile(join(work, 'z.zip'), b);
    await refused('z.zip', 'ARCHIVE_CORRUPT', /bomb inflates to more than the bytes it declares/);
  });
});

describe('damaged and truncated archives', () => {
  beforeEach(async () => {
    await makeEdgeTree(join(work, 'src'), { randomBytes: 600_000 });
  });

  it.each([
    ['tar', 'tar -cf a.tar src', 'a.tar'],
    ['tar.gz', 'tar -czf a.tar.gz src', 'a.tar.gz'],
    ['zip', 'zip -qry a.zip src', 'a.zip'],
  ])('%s cut in half is ARCHIVE_TRUNCATED', async (_f, make, file) => {
    execSync(make, { cwd: work });
    const p = join(work, file);
    await truncate(p, Math.floor((await stat(p)).size / 2));
    await refused(file, 'ARCHIVE_TRUNCATED');
  });

  it('zip: a flipped byte in stored data fails the CRC-32 check, naming the entry', async () => {
    execSync('zip -qry0 a.zip src', { cwd: work });
    const b = await readFile(join(work, 'a.zip'));
    const at = b.indexOf(Buffer.from('line 100 of attachment 4'));
    b[at] = (b[at] as number) ^ 0xff;
    await writeFile(join(work, 'a.zip'), b);
    await refused('a.zip', 'ARCHIVE_CORRUPT', /src\/1001\/2002\/attachment-2\.txt fails its CRC-32 check/);
  });

  it('tar.gz: a flipped byte in the compressed data is ARCHIVE_CORRUPT', async () => {
    execSync('tar -czf a.tar.gz src', { cwd: work });
    const b = await readFile(join(work, 'a.tar.gz'));
    b[Math.floor(b.length / 2)] = (b[Math.floor(b.length / 2)] as number) ^ 0x55;
    await writeFile(join(work, 'a.tar.gz'), b);
    await refused('a.tar.gz', 'ARCHIVE_CORRUPT', /does not decompress/);
  });

  it('a file that is no archive at all is refused by name', async () => {
    await writeFile(join(work, 'x.tar.gz'), randomBytes(4096));
    await refused('x.tar.gz', 'ARCHIVE_CORRUPT', /neither a tar, a tar\.gz nor a zip/);
  });
});
