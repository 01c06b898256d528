import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER, type Manifest } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import { listSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { verifySet } from '../../../src-main/engine/backup-set/verify.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

const profile = (): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'dest'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
});

async function completeSet(p: Profile = profile()) {
  return runBackup(p, {
    steps: registry(
      { database: { kind: 'ok', bytes: 5000 }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      [],
    ),
  });
}

describe('verifySet', () => {
  it('passes a finished set whose artifacts are all intact', async () => {
    const r = await completeSet();
    const report = await verifySet(r.setPaths[0] as string);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('names an artifact with one flipped byte', async () => {
    const r = await completeSet();
    const root = r.setPaths[0] as string;
    const file = join(root, 'database', 'database.bin');
    const data = await readFile(file);
    data[1234] = (data[1234] as number) ^ 0xff;
    await writeFile(file, data);
    const report = await verifySet(root);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.artifact.path === 'database/database.bin')?.status).toBe('altered');
    expect(report.problems.join('\n')).toMatch(/ALTERED: database\/database\.bin has SHA-256/);
  });

  it('names a deleted artifact and one that grew', async () => {
    const r = await completeSet();
    const root = r.setPaths[0] as string;
    await rm(join(root, 'elasticsearch', 'elasticsearch.bin'));
    await appendFile(join(root, 'repository', 'repository.bin'), 'x');
    const report = await verifySet(root);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain(
      `MISSING: elasticsearch/elasticsearch.bin (expected at ${join(root, 'elasticsearch', 'elasticsearch.bin')}).`,
    );
    expect(report.problems.join('\n')).toMatch(
      /ALTERED: repository\/repository\.bin has 1001 bytes, the manifest says 1000/,
    );
  });

  it('checks a component kept on another destination there only when the profile configures it, and says so', async () => {
    const p = { ...profile(), destinations: { database: join(dir.path, 'other') } };
    const r = await completeSet(p);
    const main = join(dir.path, 'dest', 'nightly', r.setName);
    const elsewhere = join(dir.path, 'other', 'nightly', r.setName);
    const report = await verifyBackupSet(main, { profile: p });
    expect(report.ok).toBe(true);
    const db = report.checks.find((c) => c.component === 'database');
    expect(db?.location).toBe(join(elsewhere, 'database', 'database.bin'));
    expect(report.readFrom).toContainEqual({
      component: 'database',
      path: elsewhere,
      configuredElsewhere: true,
    });
    expect(report.notes.join('\n')).toContain(`The database files were read at ${elsewhere}`);
    // Without the profile, the main folder alone is judged: its database folder is not there.
    const alone = await verifySet(main);
    expect(alone.verdict).toBe('damaged');
    expect(alone.checks.find((c) => c.component === 'database')?.status).toBe('missing');
    expect(alone.problems.join('\n')).toMatch(
      /MISSING: database\/database\.bin .*the run wrote the database files to/,
    );
  });

  it('never calls a set complete while the in-progress marker is there, even with intact files', async () => {
    const r = await completeSet();
    const root = r.setPaths[0] as string;
    await writeFile(join(root, IN_PROGRESS_MARKER), 'x');
    const report = await verifySet(root);
    expect(report.ok).toBe(false);
    expect(report.incomplete).toBe(true);
    expect(report.checks.every((c) => c.status === 'ok')).toBe(true);
  });

  it('says plainly when the folder is not a backup set', async () => {
    const report = await verifySet(dir.path);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/No manifest\.json/);
  });
});

describe('listSets', () => {
  it('lists sets newest first with status, kind and size, and marks interrupted ones incomplete', async () => {
    const a = await completeSet();
    await new Promise((res) => setTimeout(res, 1100));
    const b = await runBackup(profile(), {
      kind: 'pre-upgrade',
      label: 'before 25.1',
      steps: registry({ database: { kind: 'fail', code: 'X' } }, []),
    });
    await new Promise((res) => setTimeout(res, 1100));
    const c = await completeSet();
    // Simulate a crash of the newest run: marker back, manifest says running.
    const cRoot = c.setPaths[0] as string;
    const m = JSON.parse(await readFile(join(cRoot, 'manifest.json'), 'utf8')) as Manifest;
    m.status = 'running';
    await writeFile(join(cRoot, 'manifest.json'), JSON.stringify(m));
    await writeFile(join(cRoot, IN_PROGRESS_MARKER), 'x');

    const sets = await listSets(join(dir.path, 'dest'));
    expect(sets.map((s) => s.setName)).toEqual([c.setName, b.setName, a.setName]);
    expect(sets[0]).toMatchObject({ status: 'incomplete', complete: false });
    expect(sets[1]).toMatchObject({
      status: 'failed',
      complete: false,
      kind: 'pre-upgrade',
      pinned: true,
      label: 'before 25.1',
    });
    expect(sets[2]).toMatchObject({ status: 'succeeded', complete: true, kind: 'manual', bytes: 7000 });
  });

  it('ignores folders that are not sets', async () => {
    await completeSet();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir.path, 'dest', 'nightly', 'my-notes'), { recursive: true });
    await mkdir(join(dir.path, 'dest', 'unrelated', 'stuff'), { recursive: true });
    const sets = await listSets(join(dir.path, 'dest'));
    expect(sets).toHaveLength(1);
  });
});

describe('verifySet on a copy of a set with per-component destinations', () => {
  it('judges a copied set by its own files, never by the original it was copied from', async () => {
    const { cp } = await import('node:fs/promises');
    const r = await completeSet();
    const original = r.setPaths[0] as string;
    const copy = join(dir.path, 'usb', 'nightly', r.setName);
    await cp(original, copy, { recursive: true });
    await rm(join(copy, 'database', 'database.bin'));
    const report = await verifySet(copy);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.component === 'database')?.status).toBe('missing');
  });

  it('does not pass a set whose other destination cannot be reached', async () => {
    const p = { ...profile(), destinations: { database: join(dir.path, 'other') } };
    const r = await completeSet(p);
    await rm(join(dir.path, 'other'), { recursive: true });
    const report = await verifyBackupSet(join(dir.path, 'dest', 'nightly', r.setName), { profile: p });
    expect(report.checks.find((c) => c.component === 'database')?.status).toBe('elsewhere');
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/NOT CHECKED: database\/database\.bin/);
  });
});
