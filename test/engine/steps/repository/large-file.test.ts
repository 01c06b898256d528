// A sparse file just past 4 GiB: zip must switch to zip64 (sizes, and the offset of the entry
// after it, and the central directory's offset), tar must carry the size exactly.
// Content is compared by streaming the extracted entry into cmp against the source (no 4 GiB written twice).
// Slow by nature (4 GiB of zeros are read, written and read back), so one test per format.
import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSparseFile } from '../../../support/trees/edge-tree.js';
import { sha256sum } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import { artifactPath, readFileList, repoProfile, runRepo, tool } from './helpers.js';

const BIG = 4 * 2 ** 30 + 100 * 2 ** 20 + 7; // 4.1 GiB and an odd tail

let dir: Awaited<ReturnType<typeof tempDir>>;
let root: string;
let bigSha: string;
beforeAll(async () => {
  dir = await tempDir('obm-repo-large-');
  root = join(dir.path, 'repo');
  await mkdir(join(root, 'big'), { recursive: true });
  await makeSparseFile(join(root, 'big', 'sparse.bin'), BIG);
  await writeFile(join(root, 'after.txt'), 'written before the big file\n');
  await writeFile(join(root, 'z-after.txt'), 'written after the big file, past 4 GiB\n');
  bigSha = sha256sum(join(root, 'big', 'sparse.bin'));
}, 600_000);
afterAll(async () => dir.cleanup());

/** Streams an extracted entry into `cmp` against the source file; throws on any difference. */
const compareWithSource = (extractCmd: string): void => {
  execSync(`set -o pipefail; ${extractCmd} | cmp - '${join(root, 'big', 'sparse.bin')}'`, {
    shell: '/bin/bash',
  });
};

describe('repository step with a file larger than 4 GiB', () => {
  it('tar: GNU tar and bsdtar list its exact size and stream back the same bytes', async () => {
    const run = await runRepo(repoProfile(root, join(dir.path, 'dest-tar'), 'tar'));
    expect(run.repo.status).toBe('succeeded');
    const archive = artifactPath(run, 'repository.tar');
    expect(sha256sum(archive)).toBe(run.repo.artifacts.find((a) => a.path.endsWith('.tar'))?.sha256);
    expect(tool('tar', ['-tvf', archive])).toMatch(new RegExp(`\\s${BIG}\\s.*big/sparse\\.bin`));
    expect(tool('bsdtar', ['-tvf', archive])).toMatch(new RegExp(`\\s${BIG}\\s.*big/sparse\\.bin`));
    expect(() => compareWithSource(`tar -xOf '${archive}' big/sparse.bin`)).not.toThrow();
    expect(tool('bsdtar', ['-xOf', archive, 'z-after.txt'])).toBe('written after the big file, past 4 GiB\n');
    const list = await readFileList(run);
    expect(list.find((e) => e.path === 'big/sparse.bin')?.size).toBe(BIG);
    expect(list.find((e) => e.path === 'big/sparse.bin')?.sha256).toBe(bigSha);
  }, 900_000);

  it.each(['fast', 'none'] as const)(
    'zip %s: zip64 sizes, offsets and end records that unzip, Python zipfile and 7-Zip accept, and the same bytes back',
    async (compression) => {
      const run = await runRepo(
        repoProfile(root, join(dir.path, `dest-zip-${compression}`), 'zip', compression),
      );
      expect(run.repo.status).toBe('succeeded');
      const archive = artifactPath(run, 'repository.zip');
      expect(sha256sum(archive)).toBe(run.repo.artifacts.find((a) => a.path.endsWith('.zip'))?.sha256);
      expect(tool('unzip', ['-t', archive])).toContain('No errors detected');
      expect(tool('7z', ['t', archive])).toContain('Everything is Ok');
      const details = tool('unzip', ['-Z', '-v', archive]);
      expect(details).toContain('ID 0x0001 (PKWARE 64-bit sizes)');
      expect(details).toMatch(new RegExp(`uncompressed size:\\s+${BIG} bytes`));
      expect(details).toMatch(
        compression === 'none' ? /compression method:\s+none \(stored\)/ : /compression method:\s+deflated/,
      );
      // Stored, the entry after the big file and the central directory lie past 4 GiB (zip64 offset and
      // end records); deflated, 4 GiB of zeros shrink to a few MB and only the sizes need zip64.
      const py = JSON.parse(
        tool('python3', [
          '-c',
          `import zipfile,sys,json
z=zipfile.ZipFile(sys.argv[1])
bad=z.testzip()
i=z.getinfo('z-after.txt')
print(json.dumps({'bad': bad, 'offset': i.header_offset, 'text': z.read(i).decode(), 'big': z.getinfo('big/sparse.bin').file_size, 'cd': z.start_dir}))`,
          archive,
        ]),
      ) as { bad: string | null; offset: number; text: string; big: number; cd: number };
      expect(py.bad).toBeNull();
      if (compression === 'none') {
        expect(py.offset).toBeGreaterThan(2 ** 32);
        expect(py.cd).toBeGreaterThan(2 ** 32);
      } else expect(py.cd).toBeLessThan(2 ** 32);
      expect(py.big).toBe(BIG);
      expect(py.text).toBe('written after the big file, past 4 GiB\n');
      expect(tool('bsdtar', ['-tvf', archive])).toMatch(new RegExp(`\\s${BIG}\\s.*big/sparse\\.bin`));
      expect(() => compareWithSource(`unzip -p '${archive}' big/sparse.bin`)).not.toThrow();
      expect(tool('unzip', ['-p', archive, 'after.txt'])).toBe('written before the big file\n');
      expect((await readFileList(run)).find((e) => e.path === 'big/sparse.bin')?.sha256).toBe(bigSha);
    },
    900_000,
  );
});
