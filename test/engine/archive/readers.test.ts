// The readers against archives made by the real tools: GNU tar (gnu and pax formats), bsdtar,
// Info-ZIP zip (plain, forced zip64, streamed with data descriptors), bsdtar's zip, 7-Zip's zip and
// tar, and Python's zipfile. Each archive is extracted by the engine and by the tool's own
// extractor; the two trees must be the same byte for byte (content, links, empty folders, file
// times), and the same as the source.
import { execFileSync, execSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../../src-main/engine/archive/open-archive.js';
import { extractArchive } from '../../../src-main/engine/restore/repository/extract.js';
import { makeEdgeTree } from '../../support/trees/edge-tree.js';
import { snapshotTree, withoutTimes } from '../../support/trees/snapshot.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-readers-');
  await makeEdgeTree(join(dir.path, 'src'));
});
afterAll(async () => dir.cleanup());

const signal = new AbortController().signal;
const sh = (cmd: string): void => void execSync(cmd, { cwd: dir.path, shell: '/bin/bash', stdio: 'pipe' });

async function engineAndTool(
  archive: string,
  toolExtract: (a: string, into: string) => string,
  wholeSource = true,
  toolKeepsTimes = true,
): Promise<void> {
  const mine = join(dir.path, `mine-${n}`);
  const theirs = join(dir.path, `theirs-${n++}`);
  await mkdir(mine);
  await mkdir(theirs);
  await extractArchive(archive, mine, { signal });
  sh(toolExtract(archive, theirs));
  if (toolKeepsTimes) expect(await snapshotTree(mine)).toEqual(await snapshotTree(theirs));
  else expect(withoutTimes(await snapshotTree(mine))).toEqual(withoutTimes(await snapshotTree(theirs)));
  // And the tree is the source's (the tools agree with each other, and with the source).
  if (wholeSource)
    expect(await snapshotTree(join(mine, 'src'))).toEqual(await snapshotTree(join(dir.path, 'src')));
}

async function entryNames(archive: string): Promise<string[]> {
  const r = await openArchive(archive);
  const names: string[] = [];
  for await (const e of r.entries()) names.push(e.name.replace(/\/$/, ''));
  await r.close();
  return names.sort();
}

const tarX = (a: string, o: string): string => `tar -xf '${a}' -C '${o}'`;
const bsdX = (a: string, o: string): string => `bsdtar -xf '${a}' -C '${o}'`;
const unzipX = (a: string, o: string): string => `unzip -q '${a}' -d '${o}'`;

describe('archive readers on archives made by the real tools', () => {
  it.each([
    ['GNU tar, gnu format (long names as L records)', 'tar --format=gnu -cf gnu.tar src', 'gnu.tar', tarX],
    ['GNU tar, pax format', 'tar --format=pax -cf pax.tar src', 'pax.tar', tarX],
    ['bsdtar, pax format', 'bsdtar --format pax -cf bsd.tar src', 'bsd.tar', bsdX],
    ['GNU tar + gzip', 'tar -czf one.tar.gz src', 'one.tar.gz', tarX],
    [
      'a tar cut into pieces, each gzipped: many gzip members',
      'tar -cf - src | split -b 40k - piece. && for p in piece.*; do gzip -c "$p"; done > multi.tar.gz && rm piece.*',
      'multi.tar.gz',
      tarX,
    ],
    ['Info-ZIP zip', 'zip -qry plain.zip src', 'plain.zip', unzipX],
    ['Info-ZIP zip with zip64 records forced', 'zip -qry -fz z64.zip src', 'z64.zip', unzipX],
    // Info-ZIP cannot stream links (it writes a broken archive), so the links are left out here.
    [
      'Info-ZIP zip streamed (data descriptors)',
      "zip -qr - src -x 'src/links/*' | cat > streamed.zip",
      'streamed.zip',
      unzipX,
    ],
    ['bsdtar zip', 'bsdtar --format zip -cf bsd.zip src', 'bsd.zip', bsdX],
    ['7-Zip zip (NTFS time extras)', '7z a -tzip -snl 7z.zip src', '7z.zip', unzipX],
    ['7-Zip tar', '7z a -ttar -snl 7z.tar src', '7z.tar', tarX],
  ])('%s', async (_label, make, file, extract) => {
    sh(make);
    const archive = join(dir.path, file);
    // unzip takes 7-Zip's DOS time (rounded up to 2 s); the engine its exact NTFS time (checked against the source).
    await engineAndTool(archive, extract, !file.startsWith('streamed'), file !== '7z.zip');
    if (file.startsWith('streamed'))
      expect(execFileSync('zipinfo', ['-v', archive], { encoding: 'utf8' })).toMatch(
        /extended local header:\s+yes/,
      );
    const listed = execFileSync('bsdtar', ['-tf', archive], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/\/$/, ''))
      .sort();
    expect(await entryNames(archive)).toEqual(listed);
  });

  it('zips written by Python (UTF-8 flag, stored and deflated entries)', async () => {
    const src = join(dir.path, 'py-src');
    await mkdir(join(src, 'Ünï'), { recursive: true });
    await writeFile(join(src, 'Ünï', '日本.txt'), 'x'.repeat(5000));
    await writeFile(
      join(src, 'random.bin'),
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
    );
    await writeFile(join(src, 'empty'), '');
    sh(`cd py-src && python3 -m zipfile -c ../py.zip . && cd ..`);
    const out = join(dir.path, 'py-out');
    await mkdir(out);
    await extractArchive(join(dir.path, 'py.zip'), out, { signal });
    const ref = join(dir.path, 'py-ref');
    sh(unzipX(join(dir.path, 'py.zip'), ref));
    expect(await snapshotTree(out)).toEqual(await snapshotTree(ref));
    expect(await readFile(join(out, 'Ünï', '日本.txt'), 'utf8')).toBe('x'.repeat(5000));
  });

  it('names that are not UTF-8 (tar hdrcharset=BINARY, GNU raw names, Info-ZIP raw bytes) come back as the same bytes', async () => {
    const raw = Buffer.from('caf\xe9 \xff.txt', 'latin1');
    const src = join(dir.path, 'raw-src');
    await mkdir(src);
    await writeFile(Buffer.concat([Buffer.from(`${src}/`), raw]), 'latin-1 name\n');
    sh('bsdtar --format pax -cf raw-bsd.tar raw-src 2>/dev/null || true');
    sh('tar --format=pax -cf raw-pax.tar raw-src');
    sh('tar --format=gnu -cf raw-gnu.tar raw-src');
    sh('zip -qr raw.zip raw-src');
    expect((await readFile(join(dir.path, 'raw-bsd.tar'))).includes('hdrcharset=BINARY')).toBe(true);
    for (const a of ['raw-bsd.tar', 'raw-pax.tar', 'raw-gnu.tar', 'raw.zip']) {
      const out = join(dir.path, `raw-out-${a}`);
      await mkdir(out);
      await extractArchive(join(dir.path, a), out, { signal });
      const names = await readdir(join(out, 'raw-src'), { encoding: 'buffer' });
      expect(names.map((b) => b.toString('hex'))).toEqual([raw.toString('hex')]);
      expect(await readFile(Buffer.concat([Buffer.from(`${out}/raw-src/`), raw]), 'utf8')).toBe(
        'latin-1 name\n',
      );
    }
  });

  it('a DOS zip without the UTF-8 flag has CP437 names', async () => {
    // Python writes ASCII names without the flag; the name is then patched to CP437 bytes (0x82 = é)
    // and the archive marked as made on MS-DOS, as old Windows tools write it.
    execFileSync(
      'python3',
      [
        '-c',
        `import zipfile
zi = zipfile.ZipInfo('caf?.txt'); zi.create_system = 0
with zipfile.ZipFile('dos.zip', 'w') as z: z.writestr(zi, b'dos\\n')
b = bytearray(open('dos.zip', 'rb').read())
open('dos.zip', 'wb').write(bytes(b).replace(b'caf?.txt', b'caf\\x82.txt'))`,
      ],
      { cwd: dir.path },
    );
    const r = await openArchive(join(dir.path, 'dos.zip'));
    const names: string[] = [];
    for await (const e of r.entries()) names.push(e.name);
    await r.close();
    expect(names).toEqual(['café.txt']);
  });
});
