// What the repository step writes, the restore reads back: names that are not UTF-8 and paths
// longer than 4 KiB go through our writer (tar, tar.gz, zip), deep verify against the file list the
// backup wrote (with its own SHA-256 per file, no hashes added here), and a restore compared byte for
// byte with the source by an independent walker (Python with directory descriptors).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepVerifyArchive } from '../../../../src-main/engine/restore/repository/deep-verify.js';
import { restoreRepository } from '../../../../src-main/engine/restore/repository/restore-repository.js';
import { byteSnapshot, makeByteTree } from '../../../support/trees/byte-tree.js';
import { tempDir } from '../../../support/temp.js';
import { backupSet } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
beforeAll(async () => {
  dir = await tempDir('obm-writer-reader-');
  source = join(dir.path, 'source');
  makeByteTree(source);
});
afterAll(async () => dir.cleanup());

const signal = new AbortController().signal;

describe('the restore reads what the backup writes', () => {
  it.each(['tar', 'tar.gz', 'zip'] as const)(
    "%s: raw-byte names and paths over 4 KiB verify deep against the backup's own file list and restore byte for byte",
    async (format) => {
      const set = await backupSet(source, join(dir.path, `dest-${format}`), format);
      const report = await deepVerifyArchive(set.archive, set.fileList, { signal });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      const files = byteSnapshot(source).filter((e) => e.type === 'file').length;
      expect(report.hashed).toBe(files);

      const target = join(dir.path, `live-${format}`);
      makeByteTree(target, 2); // something to move aside
      const r = await restoreRepository({ archive: set.archive, fileList: set.fileList, target, signal });
      expect(r.error, r.stateMessage).toBe(undefined);
      expect(r.status).toBe('restored');
      const strip = (e: ReturnType<typeof byteSnapshot>[number]): unknown => ({ ...e, mtimeSec: undefined });
      expect(byteSnapshot(target).map(strip)).toEqual(byteSnapshot(source).map(strip));
    },
  );
});
