// A later entry for the same path replaces an earlier one (the bracketed capture appends changed
// files to the archive): archives appended to by GNU tar and bsdtar, concatenated tar.gz streams,
// and zips with duplicate names from Python, including changes of type (file, folder, link).
import { execFileSync, execSync } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArchive } from '../../../../src-main/engine/restore/repository/extract.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-later-');
});
afterAll(async () => dir.cleanup());

const signal = new AbortController().signal;
const sh = (cmd: string, cwd: string): void => void execSync(cmd, { cwd, shell: '/bin/bash', stdio: 'pipe' });

/** A work folder with src/ at version 1: a.txt, d/b.txt, keep.txt. */
async function v1(): Promise<string> {
  const w = join(dir.path, `w${n++}`);
  await mkdir(join(w, 'src', 'd'), { recursive: true });
  await writeFile(join(w, 'src', 'a.txt'), 'version one\n');
  await writeFile(join(w, 'src', 'd', 'b.txt'), 'b one\n');
  await writeFile(join(w, 'src', 'keep.txt'), 'kept\n');
  return w;
}

async function v2(w: string): Promise<void> {
  await writeFile(join(w, 'src', 'a.txt'), 'version two, longer than the first\n');
  await writeFile(join(w, 'src', 'd', 'b.txt'), 'b two\n');
}

async function extract(w: string, archive: string): Promise<string> {
  const out = join(w, `out-${n++}`);
  await mkdir(out);
  const summary = await extractArchive(join(w, archive), out, { signal });
  expect(summary.replaced).toBeGreaterThan(0);
  return out;
}

describe('a later entry for the same path wins', () => {
  it.each([
    ['GNU tar -r', 'tar -cf x.tar src', 'tar -rf x.tar src/a.txt src/d/b.txt'],
    ['bsdtar -r', 'bsdtar -cf x.tar src', 'bsdtar -rf x.tar src/a.txt src/d/b.txt'],
  ])('%s: appended versions replace the first ones, like GNU tar extracts them', async (_l, make, append) => {
    const w = await v1();
    sh(make, w);
    await v2(w);
    sh(append, w);
    const out = await extract(w, 'x.tar');
    expect(await readFile(join(out, 'src', 'a.txt'), 'utf8')).toBe('version two, longer than the first\n');
    expect(await readFile(join(out, 'src', 'd', 'b.txt'), 'utf8')).toBe('b two\n');
    expect(await readFile(join(out, 'src', 'keep.txt'), 'utf8')).toBe('kept\n');
    const ref = join(w, 'ref');
    await mkdir(ref);
    sh(`tar -xf x.tar -C ref`, w);
    expect(await snapshotTree(out)).toEqual(await snapshotTree(ref));
  });

  it('tar.gz: a second tar appended after the first one’s end marker (concatenated gzip streams)', async () => {
    const w = await v1();
    sh('tar -czf first.tar.gz src', w);
    await v2(w);
    sh('tar -czf second.tar.gz src/a.txt src/d/b.txt && cat first.tar.gz second.tar.gz > x.tar.gz', w);
    const out = await extract(w, 'x.tar.gz');
    expect(await readFile(join(out, 'src', 'a.txt'), 'utf8')).toBe('version two, longer than the first\n');
    const ref = join(w, 'ref');
    await mkdir(ref);
    sh('tar --ignore-zeros -xzf x.tar.gz -C ref', w);
    expect(await snapshotTree(out)).toEqual(await snapshotTree(ref));
  });

  it('zip with duplicate names (Python zipfile): the entry later in the directory wins', async () => {
    const w = await v1();
    execFileSync(
      'python3',
      [
        '-W',
        'ignore',
        '-c',
        `import zipfile
with zipfile.ZipFile('x.zip', 'w') as z:
    z.writestr('src/a.txt', b'version one\\n')
    z.writestr('src/keep.txt', b'kept\\n')
    z.writestr('src/a.txt', b'version two\\n')`,
      ],
      { cwd: w },
    );
    const out = await extract(w, 'x.zip');
    expect(await readFile(join(out, 'src', 'a.txt'), 'utf8')).toBe('version two\n');
    expect(await readFile(join(out, 'src', 'keep.txt'), 'utf8')).toBe('kept\n');
  });

  it('changes of type: a file becomes a folder, a folder becomes a file, a link becomes a file', async () => {
    const w = join(dir.path, `types-${n++}`);
    await mkdir(w);
    execFileSync(
      'python3',
      [
        '-c',
        `import tarfile, io
def add(t, name, data=None, **kw):
    ti = tarfile.TarInfo(name)
    for k, v in kw.items(): setattr(ti, k, v)
    if data is not None: ti.size = len(data)
    t.addfile(ti, io.BytesIO(data) if data is not None else None)
with tarfile.open('x.tar', 'w') as t:
    add(t, 'x', b'was a file')
    add(t, 'd', type=tarfile.DIRTYPE)
    add(t, 'd/inner.txt', b'inside d')
    add(t, 'l', type=tarfile.SYMTYPE, linkname='x')
    add(t, 'x', type=tarfile.DIRTYPE)
    add(t, 'x/y.txt', b'now inside x')
    add(t, 'd', b'd is a file now')
    add(t, 'l', b'l is a file now')`,
      ],
      { cwd: w },
    );
    const out = await extract(w, 'x.tar');
    expect((await lstat(join(out, 'x'))).isDirectory()).toBe(true);
    expect(await readFile(join(out, 'x', 'y.txt'), 'utf8')).toBe('now inside x');
    expect(await readFile(join(out, 'd'), 'utf8')).toBe('d is a file now');
    expect((await lstat(join(out, 'l'))).isFile()).toBe(true);
    expect(await readFile(join(out, 'l'), 'utf8')).toBe('l is a file now');
  });

  it('a link replaced by a newer link points where the newer one does', async () => {
    const w = await v1();
    await symlink('a.txt', join(w, 'src', 'ln'));
    sh('tar -cf x.tar src', w);
    await rm(join(w, 'src', 'ln'));
    await symlink('keep.txt', join(w, 'src', 'ln'));
    sh('tar -rf x.tar src/ln', w);
    const out = await extract(w, 'x.tar');
    expect(await readlink(join(out, 'src', 'ln'))).toBe('keep.txt');
  });
});
