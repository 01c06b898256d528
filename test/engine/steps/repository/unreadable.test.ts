// Files and folders the backup account may not read. Tests run as root, and root ignores
// chmod 000, so this file drops its effective uid to "nobody" (process.seteuid: glibc applies it
// to every thread, the libuv pool included) for the run itself: the EACCES is the kernel's own.
// vitest runs each test file in its own process; the uid is restored in a finally block anyway.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { artifactPath, extractWith, readFileList, repoProfile, runRepo, type RepoRun } from './helpers.js';

const NOBODY = 65534;
let dir: Awaited<ReturnType<typeof tempDir>>;
let root: string;
beforeAll(async () => {
  dir = await tempDir('obm-repo-unreadable-');
  await chmod(dir.path, 0o777);
  root = join(dir.path, 'repo');
  await mkdir(join(root, 'locked-folder'), { recursive: true });
  await mkdir(join(root, 'open-folder'), { recursive: true });
  await writeFile(join(root, 'open-folder', 'ok.txt'), 'readable\n');
  await writeFile(join(root, 'locked-folder', 'hidden.txt'), 'not listable\n');
  await writeFile(join(root, 'secret.txt'), 'not readable\n');
  await writeFile(join(root, 'z-last.txt'), 'after the problems\n');
  await chmod(join(root, 'secret.txt'), 0o000);
  await chmod(join(root, 'locked-folder'), 0o000);
});
afterAll(async () => {
  await chmod(join(root, 'locked-folder'), 0o755);
  await dir.cleanup();
});

async function asNobody<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.geteuid?.() ?? 0;
  process.seteuid?.(NOBODY);
  try {
    return await fn();
  } finally {
    process.seteuid?.(before);
  }
}

describe.each(['tar', 'zip'] as const)('repository step with unreadable entries (%s)', (format) => {
  let run: RepoRun;
  beforeAll(async () => {
    expect(process.geteuid?.()).toBe(0);
    run = await asNobody(() => runRepo(repoProfile(root, join(dir.path, `dest-${format}`), format)));
  });

  it('names the unreadable file FILE_UNREADABLE and the unlistable folder FOLDER_UNREADABLE, and fails the step with both counts', () => {
    expect(run.repo.status).toBe('failed');
    expect(run.result.manifest.complete).toBe(false);
    expect(run.repo.error?.code).toBe('REPOSITORY_FOLDERS_UNREADABLE');
    expect(run.repo.error?.details).toMatchObject({ FOLDER_UNREADABLE: 1, FILE_UNREADABLE: 1 });
    expect(run.repo.error?.message).toContain('1 entry could not be listed (FOLDER_UNREADABLE)');
    expect(run.repo.error?.message).toContain('1 entry could not be read (FILE_UNREADABLE)');
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['FOLDER_UNREADABLE', 'locked-folder'],
      ['FILE_UNREADABLE', 'secret.txt'],
    ]);
    for (const w of run.repo.warnings) expect(w.message).toContain('EACCES');
  });

  it('still commits the archive of everything else, byte for byte', async () => {
    const out = await extractWith(
      format === 'zip' ? 'unzip' : 'gnu-tar',
      artifactPath(run, `repository.${format}`),
      join(dir.path, `x-${format}`),
    );
    const got = await snapshotTree(out);
    // The folder itself is kept (empty): it existed, its contents could not be listed.
    expect(Object.keys(got)).toEqual(['locked-folder', 'open-folder', 'open-folder/ok.txt', 'z-last.txt']);
    expect(await readFile(join(out, 'z-last.txt'), 'utf8')).toBe('after the problems\n');
    expect((await readFileList(run)).map((e) => e.path)).toEqual([
      'locked-folder',
      'open-folder',
      'open-folder/ok.txt',
      'z-last.txt',
    ]);
  });
});
