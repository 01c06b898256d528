// Trust is recorded and shown (issue 11, item 5): every verify leaves a record in the folders it
// checked; a set found damaged is shown damaged by list and History, never counts as the newest
// good backup for the age alert nor as usable for retention — until a later verify of the same copy
// finds it intact again.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERIFICATION_FILE } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import { isGoodSet } from '../../../src-main/contract/sets.js';
import { setStateWord } from '../../../src-main/contract/words.js';
import { checkBackupAge } from '../../../src-main/engine/alerts/backup-age.js';
import { listProfileSets, listSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { readVerifications } from '../../../src-main/engine/backup-set/verification-record.js';
import { planPrune } from '../../../src-main/engine/retention/prune.js';
import { runBackup, type RunResult } from '../../../src-main/engine/run-backup.js';
import { verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-record-');
});
afterEach(async () => dir.cleanup());

const profile = (extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'dest'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
  ...extra,
});

async function fullSet(p: Profile): Promise<RunResult> {
  const r = await runBackup(p, {
    steps: registry(
      { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
      [],
    ),
  });
  await new Promise((res) => setTimeout(res, 1050));
  return r;
}

describe('the verification record', () => {
  it('says when, which copy, what was read and the result; damage shows in list, History, the age check and retention', async () => {
    const p = profile({ destinations: { database: join(dir.path, 'db-drive') }, retention: { keepLast: 1 } });
    const older = await fullSet(p);
    const newer = await fullSet(p);
    const main = join(dir.path, 'dest', 'nightly', newer.setName);
    const dbCopy = join(dir.path, 'db-drive', 'nightly', newer.setName);
    expect((await listProfileSets(p)).map((s) => s.setName)).toEqual([newer.setName, older.setName]);

    // Damage the database copy on its own drive, and verify the main folder with the profile.
    const file = join(dbCopy, 'database', 'database.bin');
    const bytes = await readFile(file);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const at = new Date('2026-03-01T10:00:00Z');
    const report = await verifyBackupSet(main, { profile: p, now: () => at });
    expect(report.verdict).toBe('damaged');
    expect(report.record?.written.sort()).toEqual(
      [join(main, VERIFICATION_FILE), join(dbCopy, VERIFICATION_FILE)].sort(),
    );
    const [rec] = await readVerifications(main);
    expect(rec).toMatchObject({
      at: at.toISOString(),
      checkedPath: main,
      verdict: 'damaged',
      damaged: true,
      counts: { ok: 2, altered: 1 },
    });
    expect(rec?.readFrom).toContainEqual({ component: 'database', path: dbCopy, configuredElsewhere: true });
    expect(rec?.problems.join('\n')).toMatch(/ALTERED: database\/database\.bin/);
    expect(await readVerifications(dbCopy)).toEqual([rec]);

    // list (the CLI) and History (the app) show it damaged, and it is not a good backup.
    const cliView = (await listSets(join(dir.path, 'dest'))).find((s) => s.setName === newer.setName);
    expect(cliView?.damaged).toBe(true);
    expect(setStateWord(cliView as NonNullable<typeof cliView>)).toBe('DAMAGED (verify)');
    const history = await listProfileSets(p);
    expect(history[0]).toMatchObject({ setName: newer.setName, damaged: true, status: 'succeeded' });
    expect(isGoodSet(history[0] as (typeof history)[number])).toBe(false);
    expect(checkBackupAge(history, 24, new Date()).newestGood?.setName).toBe(older.setName);
    // Retention: the damaged set is not usable, so the older good set stays (keepLast 1).
    const plan = await planPrune(p);
    expect(plan.toDelete).toEqual([]);
    expect(plan.entries.find((e) => e.setName === older.setName)?.code).toBe('newest-usable');
    expect(plan.entries.find((e) => e.setName === newer.setName)?.code).toBe('not-usable-recent');

    // Repaired (the byte put back) and verified again: good again.
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    expect((await verifyBackupSet(main, { profile: p })).verdict).toBe('intact');
    expect((await listProfileSets(p))[0]?.damaged).toBe(false);
    expect(await readVerifications(main)).toHaveLength(2);
  });

  it('a planted record that is not valid is ignored, never trusted', async () => {
    const p = profile();
    const r = await fullSet(p);
    const root = r.setPaths[0] as string;
    await writeFile(
      join(root, VERIFICATION_FILE),
      JSON.stringify({ formatVersion: 1, records: [{ damaged: 'no' }] }),
    );
    const [s] = await listSets(join(dir.path, 'dest'));
    expect(s?.verification).toBeUndefined();
    expect(s?.damaged).toBeUndefined();
    // The next verify replaces it with a real one.
    await verifyBackupSet(root);
    expect((await readVerifications(root)).map((x) => x.verdict)).toEqual(['intact']);
  });
});
