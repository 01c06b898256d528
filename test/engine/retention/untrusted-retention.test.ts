// Retention on real folders that someone tampered with (issue 11, item 4): links planted in or as
// set folders are never followed, a set is renamed aside before it is removed (all copies or none),
// an interrupted prune is finished by the next, and names that cannot be a folder of their own are
// refused.
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import { executePrune, planPrune } from '../../../src-main/engine/retention/prune.js';
import { applyRetention } from '../../../src-main/engine/use-cases/retention.js';
import { remountReadOnly, tmpfs, type Mounted } from '../../support/mounts.js';
import { tempDir } from '../../support/temp.js';
import { hoursAgo, writeSet } from './set-tree.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: Mounted[] = [];
beforeEach(async () => {
  dir = await tempDir('obm-retention-untrusted-');
});
afterEach(async () => {
  for (const m of mounts.splice(0)) await m.cleanup();
  await dir.cleanup();
});

const profile = (extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'A'),
  database: { engine: 'sqlserver', server: 'db1', databases: ['octane_site'], serverBackupDir: 'D:\\B' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
  retention: { keepLast: 1 },
  ...extra,
});

describe('links planted in a set folder', () => {
  it('never writes through a marker link, never follows a folder link: the set goes, the outside stays', async () => {
    const now = new Date();
    const p = profile();
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) });
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 72) });
    const outside = join(dir.path, 'outside');
    await mkdir(join(outside, 'precious'), { recursive: true });
    await writeFile(join(outside, 'victim.txt'), 'do not touch');
    await writeFile(join(outside, 'precious', 'data.txt'), 'keep me');
    const root = old.paths[0] as string;
    // The marker name as a link to a file outside the destination, and a folder link to another.
    await symlink(join(outside, 'victim.txt'), join(root, IN_PROGRESS_MARKER));
    await symlink(join(outside, 'precious'), join(root, 'extra'));
    const outcome = await applyRetention(p, { now });
    expect(outcome.deleted).toEqual([root]);
    expect(await readFile(join(outside, 'victim.txt'), 'utf8')).toBe('do not touch');
    expect(await readFile(join(outside, 'precious', 'data.txt'), 'utf8')).toBe('keep me');
    expect((await readdir(join(p.destination, 'nightly'))).some((n) => n.startsWith('.deleting-'))).toBe(
      false,
    );
  });

  it('leaves a set folder that was replaced by a link after the plan was made', async () => {
    const now = new Date();
    const p = profile();
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) });
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 72) });
    const plan = await planPrune(p, now);
    expect(plan.toDelete.map((e) => e.setName)).toEqual([old.name]);
    const root = old.paths[0] as string;
    const elsewhere = join(dir.path, 'elsewhere');
    await rename(root, elsewhere);
    await symlink(elsewhere, root);
    const outcome = await executePrune(p, plan);
    expect(outcome.deleted).toEqual([]);
    expect(outcome.skipped).toContainEqual({
      path: root,
      reason: 'no longer a folder (gone, or replaced by a link)',
    });
    expect((await readdir(elsewhere)).sort()).toContain('manifest.json');
  });
});

describe('every copy or none', () => {
  it('puts the renamed copies back when one copy cannot be renamed (a read-only drive), and says so', async () => {
    const now = new Date();
    const ro = await tmpfs();
    mounts.push(ro);
    const p = profile({ destinations: { database: ro.path } });
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) }, [ro.path]);
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 72) }, [ro.path]);
    remountReadOnly(ro.path);
    const outcome = await applyRetention(p, { now });
    expect(outcome.deleted).toEqual([]);
    expect(outcome.failed.map((f) => f.path)).toEqual([old.paths[1]]);
    // Both copies are whole and still named as a set: nothing half-deleted.
    for (const path of old.paths) expect(await readdir(path)).toContain('manifest.json');
  });

  it('finishes a prune that was interrupted after renaming a set aside', async () => {
    const now = new Date();
    const p = profile();
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) });
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 72) });
    const aside = join(p.destination, 'nightly', `.deleting-${old.name}-0badcafe`);
    await rename(old.paths[0] as string, aside);
    // Listing no longer sees it as a set; the next prune removes it.
    expect((await planPrune(p, now)).entries.map((e) => e.setName)).not.toContain(old.name);
    await applyRetention(p, { now });
    expect((await readdir(join(p.destination, 'nightly'))).filter((n) => n.startsWith('.deleting-'))).toEqual(
      [],
    );
  });
});

describe('names and profiles', () => {
  it('refuses a profile name Windows reserves, before deleting anything', async () => {
    for (const name of ['CON', 'nul', 'Com1', 'LPT3.old']) {
      await expect(planPrune(profile({ profile: name }))).rejects.toMatchObject({
        code: 'PROFILE_NAME_INVALID',
      });
    }
  });

  it('never deletes a set whose manifest names another profile, and refuses to prune where names differ only in case', async () => {
    const now = new Date();
    const p = profile();
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) });
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 72) });
    // A set of profile "Nightly" in the same folder (a case-insensitive drive makes them one).
    const twin = await writeSet(p.destination, 'nightly', {
      startedAt: hoursAgo(now, 96),
      manifestProfile: 'Nightly',
    });
    const plan = await planPrune(p, now);
    expect(plan.entries.find((e) => e.setName === twin.name)?.code).toBe('other-profile');
    expect(plan.toDelete).toEqual([]);
    expect(plan.problems.join('\n')).toMatch(/Sets of profile "Nightly" share the folder of "nightly"/);
    expect(plan.entries.map((e) => e.code)).toContain('name-clash');
  });

  it('deletes nothing on disk while the newest run failed', async () => {
    const now = new Date();
    const p = profile();
    const good = [48, 72, 96].map((h) => writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, h) }));
    await Promise.all(good);
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 2), complete: false });
    const outcome = await applyRetention(p, { now });
    expect(outcome.deleted).toEqual([]);
    expect((await readdir(join(p.destination, 'nightly'))).length).toBe(4);
  });
});
