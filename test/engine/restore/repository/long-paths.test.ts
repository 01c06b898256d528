// Paths longer than PATH_MAX are written through descriptors of their ancestor folders, with every
// safety rule intact: a deep folder turned into a link by an earlier entry is never written
// through, and a deep folder that is replaced and made again is written into afresh (no
// descriptor of the removed folder is reused). Archives crafted with Python's tarfile (PAX names).
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { extractArchive } from '../../../../src-main/engine/restore/repository/extract.js';
import { byteSnapshot, hex } from '../../../support/trees/byte-tree.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let work: string;
let outside: string;
let target: string;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-long-paths-');
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
/** 22 folder levels of 194 bytes: about 4.3 KB, past PATH_MAX with the file below them. */
const LEVELS = Array.from({ length: 22 }, (_, i) => `d${String(i).padStart(2, '0')}-${'x'.repeat(190)}`);
const deep = (n: number): string => LEVELS.slice(0, n).join('/');

function tar(entries: string): string {
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
with tarfile.open('a.tar', 'w', format=tarfile.PAX_FORMAT) as t:
${entries}`,
    ],
    { cwd: work },
  );
  return join(work, 'a.tar');
}

describe('paths longer than PATH_MAX', () => {
  it('a deep folder replaced by a link to outside, then a file through it, is refused; outside is untouched', async () => {
    const archive = tar(
      `    add(t, '${deep(22)}/a.txt', b'first')\n` +
        `    add(t, '${deep(18)}', type=tarfile.SYMTYPE, linkname='${outside}')\n` +
        `    add(t, '${deep(18)}/sentinel', b'overwritten')\n`,
    );
    const before = await snapshotTree(outside);
    const err = await extractArchive(archive, target, { signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('ARCHIVE_ENTRY_UNSAFE');
    expect((err as ExpectedError).message).toMatch(/a link/);
    expect(await snapshotTree(outside)).toEqual(before);
    // The link itself is inside, as stored; nothing below it was written.
    const link = byteSnapshot(target).find((e) => e.pathHex === hex(deep(18)));
    expect(link?.type).toBe('symlink');
  });

  it('a deep folder replaced by a file and then made again receives what follows (no stale descriptor)', async () => {
    // The 15th level is where the extraction holds a descriptor for the levels below it.
    const archive = tar(
      `    add(t, '${deep(22)}/one.txt', b'one')\n` +
        `    add(t, '${deep(15)}', b'now a file')\n` +
        `    add(t, '${deep(15)}', type=tarfile.DIRTYPE)\n` +
        `    add(t, '${deep(22)}/two.txt', b'two')\n`,
    );
    const summary = await extractArchive(archive, target, { signal, hash: true });
    expect(summary.replaced).toBe(2);
    const files = byteSnapshot(target).filter((e) => e.type === 'file');
    expect(files.map((e) => Buffer.from(e.pathHex, 'hex').toString())).toEqual([`${deep(22)}/two.txt`]);
    expect(files[0]?.size).toBe(3);
  });

  it('hard links between two deep branches are made through their own descriptors', async () => {
    const other = ['other', ...LEVELS.slice(1)].join('/');
    const archive = tar(
      `    add(t, '${deep(22)}/src.bin', b'same bytes')\n` +
        `    add(t, '${other}/dst.bin', type=tarfile.LNKTYPE, linkname='${deep(22)}/src.bin')\n`,
    );
    const summary = await extractArchive(archive, target, { signal });
    expect(summary.hardlinks).toBe(1);
    const files = byteSnapshot(target).filter((e) => e.type === 'file');
    expect(files).toHaveLength(2);
    expect(new Set(files.map((f) => f.sha256)).size).toBe(1);
  });
});
