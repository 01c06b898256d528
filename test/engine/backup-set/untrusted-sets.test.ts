// Set contents are untrusted input (issue 11, item 3): crafted sets — forged completeness, paths out
// of the set, a manifest location elsewhere, FIFOs and devices where files should be, JSON of the
// wrong shape, hashes edited to match a tampered file — and what list, verify, retention and the
// age check make of them. Where a reader would hang on a FIFO, the test itself would hang: it runs
// to its end only because nothing opens one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import { checkBackupAge } from '../../../src-main/engine/alerts/backup-age.js';
import { listProfileSets, listSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { verifySet } from '../../../src-main/engine/backup-set/verify.js';
import { planPrune } from '../../../src-main/engine/retention/prune.js';
import { runBackup, type RunResult } from '../../../src-main/engine/run-backup.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-untrusted-');
});
afterEach(async () => dir.cleanup());

const KEY = 'k'.repeat(8) + '-seal-key-for-tests-0123456789';

const profile = (extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'dest'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
  ...extra,
});

const allOk = () =>
  registry({ database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } }, []);

async function fullSet(p: Profile = profile(), sealKey?: string): Promise<RunResult> {
  const r = await runBackup(p, { steps: allOk(), ...(sealKey ? { secrets: { sealKey } } : {}) });
  expect(r.manifest.complete).toBe(true);
  // Set names carry seconds: the next set must not share this one's second.
  await new Promise((res) => setTimeout(res, 1050));
  return r;
}

const manifestOf = async (root: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as Manifest;
const writeManifest = (root: string, m: unknown): Promise<void> =>
  writeFile(join(root, 'manifest.json'), JSON.stringify(m, null, 2));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const mkfifo = (path: string): void => {
  const r = spawnSync('mkfifo', [path]);
  expect(r.status).toBe(0);
};

describe('a manifest that claims more than its files', () => {
  it('a forged complete:true with no artifacts is neither complete in list nor intact in verify', async () => {
    const r = await fullSet();
    const root = r.setPaths[0] as string;
    const m = await manifestOf(root);
    for (const c of m.components) c.artifacts = [];
    await writeManifest(root, m);
    const [listed] = await listSets(join(dir.path, 'dest'));
    expect(listed).toMatchObject({ status: 'succeeded', complete: false });
    const report = await verifySet(root);
    expect(report.verdict).toBe('damaged');
    expect(report.problems.join('\n')).toMatch(
      /NOT COMPLETE: the manifest says complete, but its database component lists no files/,
    );
    expect(report.problems.join('\n')).toMatch(
      /EMPTY: the repository component says succeeded but lists no files/,
    );
  });

  it('complete:true with a component missing from the list, or failed, is not believed', async () => {
    const r = await fullSet();
    const root = r.setPaths[0] as string;
    const m = await manifestOf(root);
    m.components = m.components.filter((c) => c.id !== 'elasticsearch');
    await writeManifest(root, m);
    expect((await listSets(join(dir.path, 'dest')))[0]?.complete).toBe(false);
    expect((await verifySet(root)).problems.join('\n')).toMatch(/does not list the elasticsearch component/);
  });
});

describe('artifact paths and locations that lead out of the set', () => {
  it('refuses "..", absolute and backslash paths without opening them (a FIFO there would hang the reader)', async () => {
    const r = await fullSet();
    const root = r.setPaths[0] as string;
    const trap = join(dir.path, 'trap');
    mkfifo(trap);
    const m = await manifestOf(root);
    const db = m.components.find((c) => c.id === 'database') as Manifest['components'][number];
    const rec = (path: string) => ({ path, bytes: 0, sha256: sha(Buffer.alloc(0)) });
    db.artifacts.push(
      rec('database/../../../../trap'),
      rec(trap),
      rec('database\\..\\..\\trap'),
      rec('repository/repository.bin'),
    );
    await writeManifest(root, m);
    const report = await verifySet(root);
    const refused = report.checks.filter((c) => c.status === 'refused').map((c) => [c.artifact.path, c.note]);
    expect(refused).toEqual([
      ['database/../../../../trap', 'not read: it has an empty, "." or ".." segment'],
      [trap, 'not read: it is an absolute path'],
      ['database\\..\\..\\trap', 'not read: it contains a backslash'],
      // Another component's file is not this component's, even inside the set.
      ['repository/repository.bin', 'not read: it is not inside the "database" folder of the set'],
    ]);
    expect(report.verdict).toBe('damaged');
  });

  it('never reads a component at the location the manifest names, however real it looks', async () => {
    const p = profile({ destinations: { database: join(dir.path, 'db-drive') } });
    const r = await fullSet(p);
    const main = join(dir.path, 'dest', 'nightly', r.setName);
    // A copy of the main folder (manifest + run.log, no database folder) on a USB drive.
    const usb = join(dir.path, 'usb', 'nightly', r.setName);
    await cp(main, usb, { recursive: true });
    const onUsb = await verifyBackupSet(usb, { profile: p });
    expect(onUsb.checks.find((c) => c.component === 'database')?.status).toBe('missing');
    expect(onUsb.readFrom.every((x) => !x.configuredElsewhere)).toBe(true);
    // The manifest's location pointed at a UNC host: never contacted, only named.
    const m = await manifestOf(main);
    (m.components.find((c) => c.id === 'database') as { location: string }).location =
      '//attacker-host/share/x';
    await writeManifest(main, m);
    const alone = await verifySet(main);
    const db = alone.checks.find((c) => c.component === 'database');
    expect(db?.status).toBe('missing');
    expect(db?.location).toBe(join(main, 'database', 'database.bin'));
  });

  it('refuses a component folder or a file that is a link out of the set', async () => {
    const r = await fullSet();
    const root = r.setPaths[0] as string;
    // Outside: a folder holding a file that matches the manifest byte for byte.
    const outside = join(dir.path, 'outside');
    await cp(join(root, 'repository'), outside, { recursive: true });
    await rm(join(root, 'repository'), { recursive: true });
    await symlink(outside, join(root, 'repository'));
    await rm(join(root, 'database', 'database.bin'));
    await symlink('/dev/zero', join(root, 'database', 'database.bin'));
    const report = await verifySet(root);
    const by = Object.fromEntries(report.checks.map((c) => [c.component, [c.status, c.note]]));
    expect(by.repository?.[0]).toBe('refused');
    expect(by.repository?.[1]).toMatch(/leads outside the set/);
    expect(by.database).toEqual(['refused', 'not read: it is a symbolic link, not a regular file']);
  });

  it('refuses a FIFO or a device where an artifact should be, and checks the size before hashing', async () => {
    const r = await fullSet();
    const root = r.setPaths[0] as string;
    await rm(join(root, 'database', 'database.bin'));
    mkfifo(join(root, 'database', 'database.bin'));
    await rm(join(root, 'elasticsearch', 'elasticsearch.bin'));
    // As root: a real character device node (1,5 is /dev/zero) inside the set.
    expect(spawnSync('mknod', [join(root, 'elasticsearch', 'elasticsearch.bin'), 'c', '1', '5']).status).toBe(
      0,
    );
    // A manifest that claims 10 GB for a 1000-byte file: not hashed at all.
    const m = await manifestOf(root);
    const repo = m.components.find((c) => c.id === 'repository') as Manifest['components'][number];
    (repo.artifacts[0] as { bytes: number }).bytes = 10_000_000_000;
    await writeManifest(root, m);
    const report = await verifySet(root);
    const by = Object.fromEntries(report.checks.map((c) => [c.component, c]));
    expect(by.database?.note).toBe('not read: it is a named pipe (FIFO), not a regular file');
    expect(by.elasticsearch?.note).toBe('not read: it is a device, not a regular file');
    expect(by.repository).toMatchObject({ status: 'size-mismatch', actualBytes: 1000 });
    expect(by.repository?.actualSha256).toBeUndefined();
  });
});

describe('manifests that cannot be believed', () => {
  async function threeSets(): Promise<{ good: RunResult; bad: string[] }> {
    const good = await fullSet();
    const a = await fullSet();
    const b = await fullSet();
    const c = await fullSet();
    const d = await fullSet();
    const bad = [a, b, c, d].map((x) => x.setPaths[0] as string);
    // Valid JSON of the wrong shape.
    await writeManifest(bad[0] as string, { formatVersion: 1, tool: 'x', components: 'none' });
    // A FIFO where the manifest should be.
    await rm(join(bad[1] as string, 'manifest.json'));
    mkfifo(join(bad[1] as string, 'manifest.json'));
    // A link to /dev/zero.
    await rm(join(bad[2] as string, 'manifest.json'));
    await symlink('/dev/zero', join(bad[2] as string, 'manifest.json'));
    // The manifest of another set, copied over.
    await cp(join(good.setPaths[0] as string, 'manifest.json'), join(bad[3] as string, 'manifest.json'));
    return { good, bad };
  }

  it('each makes its own set "unreadable"; list, History, retention and the age check still work for the others', async () => {
    const { good, bad } = await threeSets();
    const listed = await listSets(join(dir.path, 'dest'));
    const by = Object.fromEntries(listed.map((s) => [s.path, s]));
    expect(by[good.setPaths[0] as string]).toMatchObject({ status: 'succeeded', complete: true });
    expect(bad.map((b) => by[b]?.status)).toEqual(['unreadable', 'unreadable', 'unreadable', 'unreadable']);
    expect(by[bad[0] as string]?.problem).toMatch(
      /is not a manifest this tool wrote: tool: .*expected object.*and \d+ more/,
    );
    expect(by[bad[1] as string]?.problem).toMatch(/it is a named pipe \(FIFO\), not a regular file/);
    expect(by[bad[2] as string]?.problem).toMatch(/it is a symbolic link, not a regular file/);
    expect(by[bad[3] as string]?.problem).toMatch(/describes the set ".*", not this folder/);
    const p = profile({ retention: { keepLast: 1 } });
    const history = await listProfileSets(p);
    expect(history).toHaveLength(5);
    // The overdue alert is not switched off: the good set is found and aged.
    const age = checkBackupAge(history, 24, new Date());
    expect(age.newestGood?.path).toBe(good.setPaths[0]);
    // Retention never deletes what it cannot read.
    const plan = await planPrune(p);
    for (const b of bad) expect(plan.entries.find((e) => e.path === b)?.code).toMatch(/unreadable|not-ours/);
    expect(plan.toDelete.map((e) => e.path)).toEqual([]);
    const report = await verifySet(bad[1] as string);
    expect(report.verdict).toBe('damaged');
    expect(report.problems[0]).toMatch(/^UNREADABLE: .*named pipe/);
  });
});

describe('the keyed seal (HMAC-SHA256 over the manifest)', () => {
  it('detects an artifact and its SHA-256 edited together, where the key is; says the seal was not checked where it is not', async () => {
    const r = await fullSet(profile(), KEY);
    const root = r.setPaths[0] as string;
    expect((await manifestOf(root)).seal).toMatchObject({ algorithm: 'HMAC-SHA256' });
    expect((await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: KEY } })).seal).toBe('valid');
    // Tamper with the archive, then fix its size and hash in the manifest to match.
    const file = join(root, 'repository', 'repository.bin');
    const data = Buffer.from('tampered!'.repeat(100));
    await writeFile(file, data);
    const m = await manifestOf(root);
    const a = (m.components.find((c) => c.id === 'repository') as Manifest['components'][number])
      .artifacts[0] as {
      bytes: number;
      sha256: string;
    };
    a.bytes = data.length;
    a.sha256 = sha(data);
    await writeManifest(root, m);
    const withKey = await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: KEY } });
    expect(withKey.seal).toBe('invalid');
    expect(withKey.verdict).toBe('damaged');
    expect(withKey.problems.join('\n')).toMatch(/TAMPERED: the seal does not match/);
    const noKey = await verifyBackupSet(root, { env: {} });
    expect(noKey.seal).toBe('not-checked');
    expect(noKey.checks.every((c) => c.status === 'ok')).toBe(true);
    expect(noKey.notes.join('\n')).toMatch(/The seal was NOT checked: no seal key is configured here/);
  });

  it('a forged complete:true is TAMPERED where the key is; an older key still checks older sets', async () => {
    const old = 'old-seal-key-0123456789abcdef';
    const r = await runBackup(profile(), {
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'fail', code: 'X' }, repository: { kind: 'ok' } },
        [],
      ),
      secrets: { sealKey: old },
    });
    const root = r.setPaths[0] as string;
    expect((await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: `${KEY},${old}` } })).seal).toBe(
      'valid',
    );
    const m = await manifestOf(root);
    m.complete = true;
    m.status = 'succeeded';
    await writeManifest(root, m);
    const report = await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: `${KEY} ${old}` } });
    expect(report.seal).toBe('invalid');
    expect(report.verdict).toBe('damaged');
  });

  it('refuses a seal key too short to be secret', async () => {
    await expect(
      verifyBackupSet(dir.path, { env: { OCTANE_BACKUP_SEAL_KEY: 'short' } }),
    ).rejects.toMatchObject({
      code: 'SEAL_KEY_TOO_SHORT',
    });
    await expect(
      runBackup(profile(), { steps: allOk(), secrets: { sealKey: 'short' } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('never writes the key into the manifest, the run log or the verification record', async () => {
    const r = await fullSet(profile(), KEY);
    const root = r.setPaths[0] as string;
    await verifyBackupSet(root, { env: { OCTANE_BACKUP_SEAL_KEY: KEY } });
    for (const f of ['manifest.json', 'run.log', 'verification.json'])
      expect(await readFile(join(root, f), 'utf8')).not.toContain(KEY);
  });
});

describe('a set dated in the future', () => {
  it('is listed as it is, and retention ignores it for its rules', async () => {
    const r = await fullSet(profile({ retention: { keepLast: 1 } }));
    const future = join(dir.path, 'dest', 'nightly', '20991231T235959Z-scheduled-deadbeef');
    await cp(r.setPaths[0] as string, future, { recursive: true });
    const m = await manifestOf(future);
    m.setName = '20991231T235959Z-scheduled-deadbeef';
    m.startedAt = '2099-12-31T23:59:59.000Z';
    await writeManifest(future, m);
    const plan = await planPrune(profile({ retention: { keepLast: 1 } }));
    expect(plan.entries.find((e) => e.path === future)?.code).toBe('future');
    expect(plan.problems.join('\n')).toMatch(
      /20991231T235959Z-scheduled-deadbeef is dated in the future .*retention ignores it/,
    );
    expect(plan.entries.find((e) => e.path === r.setPaths[0])?.code).toBe('newest-usable');
  });
});
