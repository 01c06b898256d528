// A set holds database dumps, the attachment repository and copies of Octane's config files:
// every folder the run creates is 0700 and every file 0600, whatever the umask of whoever
// started the run (the tests run with umask 000, the most permissive one).
import { lstat, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import type { BackupStep } from '../../../src-main/engine/step.js';
import { acquireProfileLock, profileLockPath } from '../../../src-main/engine/lock.js';
import { createConfigCopies } from '../../../src-main/engine/octane-config/config-copies.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { linuxScheduleFiles } from '../../../src-main/engine/schedule/linux-units.js';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let umask: number;
beforeEach(async () => {
  dir = await tempDir('obm-modes-');
  umask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(umask);
  await dir.cleanup();
});

const modeOf = async (p: string): Promise<string> => ((await lstat(p)).mode & 0o777).toString(8);

/** Every folder and file under `root` with its permission bits (octal text). */
async function modesUnder(root: string): Promise<{ path: string; dir: boolean; mode: string }[]> {
  const out: { path: string; dir: boolean; mode: string }[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    out.push({ path: p, dir: e.isDirectory(), mode: await modeOf(p) });
  }
  return out;
}

/** A step that writes each way the set writer offers, and notes the marker's and lock's modes. */
function writingStep(
  id: 'database' | 'elasticsearch' | 'repository',
  seen: Record<string, string>,
): BackupStep {
  return {
    id,
    title: id,
    async run(ctx) {
      if (id === 'database') {
        seen.marker = await modeOf(join(ctx.out.setRoot, 'BACKUP-IN-PROGRESS.txt'));
        seen.lock = await modeOf(profileLockPath(join(dir.path, 'dest', 'nightly')));
        ctx.clock.measure(new Date().toISOString(), new Date(), new Date());
      }
      const a = await ctx.out.createArtifact(`deep/folder/${id}.bin`);
      a.stream.write(Buffer.alloc(1000, 7));
      await a.commit();
      await ctx.out.writeFile(`${id}.txt`, 'small file');
      const src = join(dir.path, `${id}-source.bin`);
      await writeFile(src, 'copied file', { mode: 0o644 });
      await ctx.out.copyFile(src, `copies/${id}.bin`, { signal: ctx.signal });
    },
  };
}

describe('file modes of a backup set (umask 000)', () => {
  it('creates every folder 0700 and every file 0600: artifacts, copies, manifest, run.log, marker, lock', async () => {
    const conf = join(dir.path, 'conf');
    await mkdir(conf);
    await writeFile(join(conf, 'octane.conf'), 'password = "{ENC}abc"\n', { mode: 0o644 });
    const seen: Record<string, string> = {};
    const profile: Profile = {
      profile: 'nightly',
      destination: join(dir.path, 'dest'),
      repository: { path: join(dir.path, 'repo') },
      database: { engine: 'sqlserver', server: 'db', databases: ['octane_site'], serverBackupDir: 'D:\\b' },
      elasticsearch: { node: 'http://127.0.0.1:9', repository: 'r', location: '/x' },
      octaneConfigDir: conf,
    };
    const result = await runBackup(profile, {
      kind: 'pre-upgrade',
      steps: {
        database: () => writingStep('database', seen),
        elasticsearch: () => writingStep('elasticsearch', seen),
        repository: () => writingStep('repository', seen),
      },
      configCopies: createConfigCopies({ configDir: conf }),
    });
    expect(result.status).toMatch(/^succeeded/);
    expect(seen).toEqual({ marker: '600', lock: '600' });
    // The destination and profile folders the run created are private too.
    expect(await modeOf(join(dir.path, 'dest'))).toBe('700');
    expect(await modeOf(join(dir.path, 'dest', 'nightly'))).toBe('700');
    const root = result.setPaths[0] as string;
    expect(await modeOf(root)).toBe('700');
    const entries = await modesUnder(root);
    expect(entries.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        join(root, 'manifest.json'),
        join(root, 'run.log'),
        join(root, 'octane-config', 'octane.conf'),
        join(root, 'database', 'deep', 'folder', 'database.bin'),
        join(root, 'repository', 'copies', 'repository.bin'),
      ]),
    );
    expect(entries.filter((e) => e.dir && e.mode !== '700')).toEqual([]);
    expect(entries.filter((e) => !e.dir && e.mode !== '600')).toEqual([]);
  });

  it('creates the profile lock 0600 in a 0700 folder', async () => {
    const folder = join(dir.path, 'dest2', 'nightly');
    const lock = await acquireProfileLock(profileLockPath(folder), 'run-1', 'nightly');
    try {
      expect(await modeOf(profileLockPath(folder))).toBe('600');
      expect(await modeOf(folder)).toBe('700');
      expect(((await stat(join(dir.path, 'dest2'))).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await lock.release();
    }
  });

  it('gives the systemd service UMask=0077', () => {
    const p = proposeSchedule({ targetIntervalHours: 24 }, new Date('2025-03-10T12:00:00Z'), 'UTC');
    const files = linuxScheduleFiles(p, {
      profileName: 'nightly',
      command: { program: '/usr/bin/node', args: [] },
    });
    expect(files.service.split('\n')).toContain('UMask=0077');
  });
});
