// The zip writer on its own, judged by unzip, Python's zipfile, 7-Zip and bsdtar: more entries
// than the classic end record can count (zip64 end records), data descriptors only where the CRC
// is unknown up front, parallel deflate blocks that decode as one stream, the packed central
// directory records, and entries added in two batches before the archive is finished.
import { createWriteStream, lstatSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactOutput } from '../../../../src-main/engine/steps/repository/artifact-output.js';
import { FileReader, type FileSource } from '../../../../src-main/engine/steps/repository/file-reader.js';
import { CentralLog } from '../../../../src-main/engine/steps/repository/zip-central.js';
import type { ZipEntryInfo } from '../../../../src-main/engine/steps/repository/zip-format.js';
import { ZipWriter } from '../../../../src-main/engine/steps/repository/zip-writer.js';
import { tempDir } from '../../../support/temp.js';
import { textContent } from '../../../support/trees/edge-tree.js';
import { artifactPath, extractWith, repoProfile, runRepo, tool } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('obm-zip-writer-');
});
afterAll(async () => dir.cleanup());

/** A file source over a buffer: what FileReader reads from. */
function bufferSource(data: Buffer): FileSource {
  return {
    read: (buf, offset, length, position) => {
      const n = Math.max(0, Math.min(length, data.length - position));
      data.copy(buf, offset, position, position + n);
      return Promise.resolve(n);
    },
    stat: () => Promise.reject(new Error('not a file')),
    close: () => Promise.resolve(),
  };
}

/** Writes entries through a ZipWriter into `path`; `add` gets a function per entry kind. */
async function writeZip(
  path: string,
  level: number,
  add: (w: {
    file: (name: string, data: Buffer) => Promise<void>;
    dir: (name: string) => Promise<void>;
  }) => Promise<void>,
): Promise<ZipWriter> {
  const stream = createWriteStream(path);
  const signal = new AbortController().signal;
  const writer = new ZipWriter(new ArtifactOutput(stream, path, signal), { level });
  const statsOf = join(dir.path, 'stats-of.txt');
  await writeFile(statsOf, '');
  const fileStats = lstatSync(statsOf);
  const dirStats = lstatSync(dir.path);
  await add({
    file: async (name, data) => {
      const reader = new FileReader(bufferSource(data), data.length, signal, { onBytes: () => undefined });
      await writer.file({ name: Buffer.from(name), stats: fileStats }, reader);
    },
    dir: (name) => writer.directory({ name: Buffer.from(name), stats: dirStats }),
  });
  await writer.finish();
  await new Promise<void>((resolve, reject) =>
    stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return writer;
}

const python = (code: string, ...args: string[]): string => tool('python3', ['-c', code, ...args]);

describe('zip writer', () => {
  it('writes 70 000 entries with zip64 end records that unzip, Python, 7-Zip and bsdtar all count', async () => {
    const path = join(dir.path, 'many.zip');
    const N = 70_000;
    await writeZip(path, 1, async (w) => {
      for (let d = 0; d < 70; d++) {
        await w.dir(`folder-${d}`);
        for (let i = 0; i < N / 70 - 1; i++)
          await w.file(`folder-${d}/file-${i}.txt`, Buffer.from(`file ${d}/${i}\n`));
      }
    });
    expect(tool('unzip', ['-tq', path])).toContain('No errors detected');
    expect(tool('7z', ['t', path])).toContain(`Files: ${N - 70}`);
    expect(tool('bsdtar', ['-tf', path]).split('\n').filter(Boolean)).toHaveLength(N);
    const info = JSON.parse(
      python(
        `import zipfile,sys,json,struct
z=zipfile.ZipFile(sys.argv[1])
data=open(sys.argv[1],'rb').read()
eocd=data[-22:]
print(json.dumps({'n': len(z.infolist()), 'bad': z.testzip(), 'eocdCount': struct.unpack('<H', eocd[10:12])[0],
  'zip64': data[-42:-38] == b'PK\\x06\\x07', 'last': z.read('folder-69/file-998.txt').decode()}))`,
        path,
      ),
    ) as { n: number; bad: string | null; eocdCount: number; zip64: boolean; last: string };
    expect(info).toEqual({ n: N, bad: null, eocdCount: 0xffff, zip64: true, last: 'file 69/998\n' });
  });

  it('uses a data descriptor only for entries streamed from large files; small ones carry CRC and sizes up front', async () => {
    const path = join(dir.path, 'descriptors.zip');
    await writeZip(path, 1, async (w) => {
      await w.file('small.txt', Buffer.from(textContent(1)));
      await w.file('empty.txt', Buffer.alloc(0));
      await w.file('random-small.bin', randomBytes(100_000));
      await w.file('large.txt', Buffer.from(textContent(2, 20_000)));
      await w.file('large-random.bin', randomBytes(600_000));
    });
    const rows = python(
      `import zipfile,sys
for i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, i.flag_bits & 8, i.compress_type, i.file_size)`,
      path,
    )
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(rows).toEqual([
      ['small.txt', '0', '8', String(textContent(1).length)],
      ['empty.txt', '0', '0', '0'],
      // Looks random: stored, not deflated.
      ['random-small.bin', '0', '0', '100000'],
      ['large.txt', '8', '8', String(textContent(2, 20_000).length)],
      ['large-random.bin', '8', '8', '600000'],
    ]);
    expect(tool('unzip', ['-t', path])).toContain('No errors detected');
    expect(tool('7z', ['t', path])).toContain('Everything is Ok');
  });

  it('compresses a large file in parallel blocks that decode as one stream, as small as one-stream deflate', async () => {
    const text = Buffer.from(textContent(7, 60_000));
    const data = Buffer.concat([text.subarray(0, 1 << 20), randomBytes(1 << 20), text.subarray(0, 3 << 20)]);
    const path = join(dir.path, 'blocks.zip');
    const writer = await writeZip(path, 1, (w) => w.file('mixed.bin', data));
    expect(writer.storedBlocks).toBe(1);
    const out = await extractWith('unzip', path, join(dir.path, 'x-blocks'));
    expect((await readFile(join(out, 'mixed.bin'))).equals(data)).toBe(true);
    const csize = Number(
      python(`import zipfile,sys\nprint(zipfile.ZipFile(sys.argv[1]).infolist()[0].compress_size)`, path),
    );
    // Each block is primed with the 32 KiB before it: the ratio of one stream, within 1 %.
    expect(csize / deflateRawSync(data, { level: 1 }).length).toBeLessThan(1.01);
  });

  it('takes a second batch of entries before finish(): both batches are in the archive', async () => {
    const path = join(dir.path, 'batches.zip');
    await writeZip(path, 1, async (w) => {
      await w.file('first/a.txt', Buffer.from('first batch\n'));
      await w.file('first/big.bin', randomBytes(400_000));
      // A second walk over other entries, same writer.
      await w.file('second/b.txt', Buffer.from('second batch\n'));
    });
    expect(tool('unzip', ['-Z1', path]).trim().split('\n')).toEqual([
      'first/a.txt',
      'first/big.bin',
      'second/b.txt',
    ]);
    expect(tool('unzip', ['-p', path, 'second/b.txt'])).toBe('second batch\n');
  });
});

describe('packed central directory records', () => {
  it('give back every field exactly, across chunk boundaries, past 2^32 and before 1970', () => {
    const log = new CentralLog();
    const entries: ZipEntryInfo[] = [];
    let offset = 0;
    for (let i = 0; i < 40_000; i++) {
      const name = Buffer.concat([
        Buffer.from(`sharedspace_1001/workspace_${i % 7}/${'x'.repeat(i % 50)}/attachment-${i}`),
        i % 3 === 0 ? Buffer.from([0xe9, 0xff]) : Buffer.alloc(0),
      ]);
      const big = i % 97 === 0;
      const e: ZipEntryInfo = {
        name,
        utf8: i % 2 === 0,
        method: i % 5 === 0 ? 0 : 8,
        crc: (i * 2654435761) >>> 0,
        usize: big ? 2 ** 33 + i : i * 13,
        csize: big ? 2 ** 32 + 5 : i * 7,
        mtime: i % 11 === 0 ? -86_400 * (i + 1) : 1_700_000_000 + i,
        mode: i % 4 === 0 ? 0o40755 : 0o100644,
        isDir: i % 4 === 0,
        offset,
        descriptor: i % 6 === 0,
        zip64: big,
      };
      offset += 30 + name.length + e.csize;
      entries.push(e);
      log.add(e);
    }
    expect(offset).toBeGreaterThan(2 ** 40);
    expect(log.count).toBe(entries.length);
    expect([...log.entries()]).toEqual(entries);
  });

  it('cost tens of bytes per entry for names in walk order', () => {
    const log = new CentralLog();
    let offset = 0;
    for (let i = 0; i < 100_000; i++) {
      const name = Buffer.from(
        `sharedspace_1001/workspace_${1002 + (i >> 14)}/${100000 + (i >> 3)}/attachment-${i}.pdf`,
      );
      log.add({
        name,
        utf8: false,
        method: 8,
        crc: i,
        usize: 3000 + i,
        csize: 2000 + i,
        mtime: 1_700_000_000 + i,
        mode: 0o100644,
        isDir: false,
        offset,
        descriptor: false,
        zip64: false,
      });
      offset += 2100 + i;
    }
    expect(log.bytes / log.count).toBeLessThan(40);
  });
});

describe('zip written through the step, small files in worker batches', () => {
  it('keeps 3 000 small files in archive order and byte for byte', async () => {
    const root = join(dir.path, 'small-tree');
    for (let d = 0; d < 30; d++) {
      await mkdir(join(root, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++)
        await writeFile(join(root, `d${d}`, `f${f}.txt`), textContent(d * 100 + f, 5 + (f % 40)));
    }
    const run = await runRepo(repoProfile(root, join(dir.path, 'd-small'), 'zip'), {
      internals: { zipWorkers: 2 },
    });
    expect(run.repo.status).toBe('succeeded');
    const archive = artifactPath(run, 'repository.zip');
    const names = tool('unzip', ['-Z1', archive]).trim().split('\n');
    expect(names).toHaveLength(3030);
    expect(names).toEqual([...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const out = await extractWith('unzip', archive, join(dir.path, 'x-small'));
    for (const [d, f] of [
      [0, 0],
      [17, 42],
      [29, 99],
    ] as const)
      expect(await readFile(join(out, `d${d}`, `f${f}.txt`), 'utf8')).toBe(
        textContent(d * 100 + f, 5 + (f % 40)),
      );
  });
});
