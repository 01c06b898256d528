// A sparse file just past 4 GiB through backup and restore in each format: zip64 and PAX sizes
// read back exactly, the restored file has the same bytes (and SHA-256) as the source, and it is
// sparse again (runs of zeros are not written). Slow by nature: one restore per format.
import { execSync } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreRepository } from '../../../../src-main/engine/restore/repository/restore-repository.js';
import { makeSparseFile } from '../../../support/trees/edge-tree.js';
import { sha256sum } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import { addSha256, backupSet } from './helpers.js';

const BIG = 4 * 2 ** 30 + 100 * 2 ** 20 + 7; // 4.1 GiB and an odd tail

let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
let bigSha: string;
beforeAll(async () => {
  dir = await tempDir('obm-restore-large-');
  source = join(dir.path, 'repo');
  await mkdir(join(source, 'big'), { recursive: true });
  await makeSparseFile(join(source, 'big', 'sparse.bin'), BIG);
  // A little data in the middle and at the end, so "sparse" is not simply "all zeros".
  execSync(
    `printf 'middle' | dd of='${join(source, 'big', 'sparse.bin')}' bs=1 seek=${2 ** 31} conv=notrunc status=none`,
  );
  execSync(
    `printf 'tail!!!' | dd of='${join(source, 'big', 'sparse.bin')}' bs=1 seek=${BIG - 7} conv=notrunc status=none`,
  );
  await writeFile(join(source, 'after.txt'), 'written after the big file\n');
  await writeFile(join(source, 'empty.bin'), '');
  bigSha = sha256sum(join(source, 'big', 'sparse.bin'));
}, 600_000);
afterAll(async () => dir.cleanup());

describe('repository restore of a file larger than 4 GiB', () => {
  it.each(['tar', 'tar.gz', 'zip'] as const)(
    '%s: same bytes, same SHA-256, restored sparse',
    async (format) => {
      const set = await backupSet(source, join(dir.path, `dest-${format}`), format);
      await addSha256(set.fileList, source, { 'big/sparse.bin': bigSha });
      const target = join(dir.path, `restored-${format}`);
      const r = await restoreRepository({ ...set, target, signal: new AbortController().signal });
      expect(r.error).toBeUndefined();
      expect(r.status).toBe('restored');
      expect(r.comparison?.hashed).toBe(3);
      const restored = join(target, 'big', 'sparse.bin');
      const st = await stat(restored);
      expect(st.size).toBe(BIG);
      expect(st.blocks * 512).toBeLessThan(16 * 2 ** 20); // holes, not 4 GiB of written zeros
      expect(sha256sum(restored)).toBe(bigSha);
      execSync(`cmp '${restored}' '${join(source, 'big', 'sparse.bin')}'`);
      await rm(set.setPath, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    },
    900_000,
  );
});
