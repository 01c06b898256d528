// A bracketed set restores to the repository as it was at the database's point: the archive holds
// the first pass and, appended after it, what changed before the point (a later entry of a path
// replaces the earlier), and keeps what disappeared. Written by the real runner and repository
// step (the database is a phased test step that changes the folder before it records its point),
// restored by the real restore, compared byte for byte; tar.gz and zip.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveFormat, Profile } from '../../../../src-main/contract/profile.js';
import { runBackup } from '../../../../src-main/engine/run-backup.js';
import { restoreRepository } from '../../../../src-main/engine/restore/repository/restore-repository.js';
import { createRepositoryStep } from '../../../../src-main/engine/steps/repository/index.js';
import type { BackupStep } from '../../../../src-main/engine/step.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('obm-restore-bracketed-');
});
afterAll(async () => dir.cleanup());

/** The database step: between the two passes it changes the folder as Octane would, then takes its point. */
function changingDatabase(repo: string): BackupStep {
  return {
    id: 'database',
    title: 'database (test step)',
    phased: true,
    async run(ctx) {
      await writeFile(join(repo, 'a', 'rewritten.txt'), 'version 2, longer than the first one\n');
      await writeFile(join(repo, 'a', 'added.txt'), 'added before the point\n');
      await rm(join(repo, 'b', 'deleted.txt'));
      await mkdir(join(repo, 'c', 'new-folder'), { recursive: true });
      await writeFile(join(repo, 'c', 'new-folder', 'x.bin'), Buffer.alloc(5000, 7));
      const now = new Date();
      ctx.clock.measure(now.toISOString(), now, now);
      ctx.record.consistencyPoint({ time: now.toISOString(), description: 'test point' });
    },
  };
}

describe.each(['tar.gz', 'zip'] as ArchiveFormat[])('restore of a bracketed %s set', (format) => {
  it('applies the appended entries over the first pass (the later entry wins) and keeps what disappeared', async () => {
    const base = join(dir.path, format);
    const repo = join(base, 'repo');
    await mkdir(join(repo, 'a'), { recursive: true });
    await mkdir(join(repo, 'b'), { recursive: true });
    await mkdir(join(repo, 'c'), { recursive: true });
    await writeFile(join(repo, 'a', 'rewritten.txt'), 'version 1\n');
    await writeFile(join(repo, 'a', 'same.txt'), 'never changes\n');
    await writeFile(join(repo, 'b', 'deleted.txt'), 'deleted before the point, kept in the set\n');
    const deletedBefore = await readFile(join(repo, 'b', 'deleted.txt'));
    const deletedTimes = await stat(join(repo, 'b', 'deleted.txt'));
    const profile: Profile = {
      profile: 'bracketed',
      destination: join(base, 'dest'),
      database: {
        engine: 'sqlserver',
        server: 'db',
        port: 1433,
        databases: ['octane_site'],
        serverBackupDir: 'D:\\b',
      },
      repository: { path: repo, format },
    };
    const r = await runBackup(profile, {
      steps: {
        database: () => changingDatabase(repo),
        elasticsearch: () => undefined,
        repository: () => createRepositoryStep(),
      },
    });
    const rec = r.manifest.components.find((c) => c.id === 'repository');
    expect(rec?.status).toBe('succeeded');
    expect(r.manifest.skew.captureMode).toBe('bracketed');
    const set = r.setPaths[0] as string;
    const archive = join(set, 'repository', `repository.${format}`);
    const fileList = join(set, 'repository', 'repository.files.jsonl');
    // The archive really holds two entries for the rewritten file, the second one appended.
    const names =
      format === 'zip'
        ? execFileSync(
            'python3',
            ['-c', 'import sys,zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', archive],
            { encoding: 'utf8' },
          )
        : execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    expect(names.split('\n').filter((n) => n === 'a/rewritten.txt')).toHaveLength(2);
    const lines = (await readFile(fileList, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; pass?: number });
    expect(lines.filter((l) => l.path === 'a/rewritten.txt').map((l) => l.pass)).toEqual([undefined, 2]);
    const bracket = JSON.parse(
      await readFile(join(set, 'repository', 'repository.bracket.json'), 'utf8'),
    ) as {
      disappeared: { path: string }[];
    };
    expect(bracket.disappeared.map((d) => d.path)).toEqual(['b/deleted.txt']);

    const target = join(base, 'restored');
    const restored = await restoreRepository({
      archive,
      fileList,
      target,
      signal: new AbortController().signal,
    });
    expect(restored.error).toBeUndefined();
    expect(restored.status).toBe('restored');
    expect(restored.extraction?.replaced).toBeGreaterThanOrEqual(1);
    expect(restored.comparison?.ok).toBe(true);
    // The folder as it was at the point, plus what disappeared before it (kept: Octane cleans orphans).
    await writeFile(join(repo, 'b', 'deleted.txt'), deletedBefore);
    await utimes(join(repo, 'b', 'deleted.txt'), deletedTimes.atime, deletedTimes.mtime);
    expect(await snapshotTree(target)).toEqual(await snapshotTree(repo));
    expect(await readFile(join(target, 'a', 'rewritten.txt'), 'utf8')).toBe(
      'version 2, longer than the first one\n',
    );
  });
});
