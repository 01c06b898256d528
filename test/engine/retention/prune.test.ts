import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { executePrune, planPrune, pruneAfterRun } from '../../../src-main/engine/retention/prune.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';
import { hoursAgo, writeSet } from './set-tree.js';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-prune-');
});
afterEach(async () => dir.cleanup());

function profile(extra: Partial<Profile> = {}): Profile {
  return {
    profile: 'nightly',
    destination: join(dir.path, 'A'),
    database: {
      engine: 'sqlserver',
      server: 'db1',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\Backups',
    },
    elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
    repository: { path: join(dir.path, 'repo') },
    ...extra,
  };
}

// Test steps (real files through the real writer) for every component: a complete set.
const allOk = () =>
  registry({ database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } }, []);

describe('prune on real set folders', () => {
  it('deletes exactly what the dry run lists, and leaves pinned, newest, foreign and unrelated folders alone', async () => {
    const now = new Date();
    const p = profile({ retention: { keepLast: 3, keepDays: 5 } });
    const A = p.destination;
    // A real set from the real runner: the newest complete one.
    const real = await runBackup(p, { steps: allOk() });
    expect(real.manifest.complete).toBe(true);
    const daily = [];
    for (let d = 1; d <= 8; d++)
      daily.push(await writeSet(A, 'nightly', { startedAt: hoursAgo(now, d * 24 + 1) }));
    const preUpgrade = await writeSet(A, 'nightly', {
      startedAt: hoursAgo(now, 24 * 90),
      kind: 'pre-upgrade',
      label: 'before 25.1 upgrade',
    });
    const oldIncomplete = await writeSet(A, 'nightly', {
      startedAt: hoursAgo(now, 30),
      marker: true,
      noManifest: true,
    });
    const recentIncomplete = await writeSet(A, 'nightly', {
      startedAt: hoursAgo(now, 2),
      marker: true,
      complete: false,
      status: 'running',
    });
    const foreign = await writeSet(A, 'nightly', { startedAt: hoursAgo(now, 24 * 60), noManifest: true });
    await mkdir(join(A, 'nightly', 'my-notes'), { recursive: true });
    await writeFile(join(A, 'nightly', 'my-notes', 'keep.txt'), 'mine');

    const plan = await planPrune(p, now);
    const code = Object.fromEntries(plan.entries.map((e) => [e.setName, e.code]));
    expect(code[real.setName]).toBe('newest-usable');
    // keepLast 3 (the real set + 2 dailies) or younger than 5 days (dailies 1..4): 6..8 go.
    expect(daily.map((s) => code[s.name])).toEqual([
      'keep-last',
      'keep-last',
      'keep-days',
      'keep-days',
      'expired',
      'expired',
      'expired',
      'expired',
    ]);
    expect(code[preUpgrade.name]).toBe('pinned');
    expect(code[oldIncomplete.name]).toBe('superseded');
    expect(code[recentIncomplete.name]).toBe('not-usable-recent');
    expect(code[foreign.name]).toBe('not-ours');
    expect(plan.entries.some((e) => e.setName === 'my-notes')).toBe(false);
    const listed = plan.toDelete.flatMap((e) => e.copies.map((c) => c.path)).sort();
    expect(listed).toEqual([...daily.slice(4).flatMap((s) => s.paths), ...oldIncomplete.paths].sort());

    const before = (await readdir(join(A, 'nightly'))).sort();
    const outcome = await executePrune(p, plan);
    expect(outcome.failed).toEqual([]);
    expect(outcome.deleted.sort()).toEqual(listed);
    const after = (await readdir(join(A, 'nightly'))).sort();
    expect(after).toEqual(before.filter((n) => !listed.some((l) => l.endsWith(n))));
    expect(await exists(join(A, 'nightly', 'my-notes', 'keep.txt'))).toBe(true);
    expect(await exists(join(foreign.paths[0] as string, 'repository', 'repository.bin'))).toBe(true);
  });

  it('never removes the set a running backup is writing (lock held), even when it is old', async () => {
    const now = new Date();
    const p = profile({ retention: { keepLast: 1 } });
    await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) });
    const stuck = await writeSet(p.destination, 'nightly', {
      startedAt: hoursAgo(now, 50),
      marker: true,
      complete: false,
      status: 'running',
      id: 'abcdef12',
    });
    const dead = await writeSet(p.destination, 'nightly', {
      startedAt: hoursAgo(now, 60),
      marker: true,
      complete: false,
      status: 'running',
      id: '99999999',
    });
    const lock = join(p.destination, 'nightly', '.octane-backup.lock');
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now.toISOString(), runId: 'abcdef12' }),
    );
    const plan = await planPrune(p, now);
    const code = Object.fromEntries(plan.entries.map((e) => [e.setName, e.code]));
    expect(code[stuck.name]).toBe('running');
    expect(code[dead.name]).toBe('superseded');

    // The lock's process is gone: the interrupted set is an old incomplete set like any other.
    await writeFile(
      lock,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: hostname(),
        startedAt: now.toISOString(),
        runId: 'abcdef12',
      }),
    );
    const after = Object.fromEntries((await planPrune(p, now)).entries.map((e) => [e.setName, e.code]));
    expect(after[stuck.name]).toBe('superseded');
  });

  it('sees the real runner lock while a backup is running', async () => {
    const p = profile({ retention: { keepLast: 1 } });
    const ctl = new AbortController();
    let setName = '';
    const running = runBackup(p, {
      signal: ctl.signal,
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'wait-for-abort' } },
        [],
      ),
      onEvent: (e) => {
        if (e.type === 'run-started') setName = e.setName;
      },
    });
    try {
      for (let i = 0; i < 200 && setName === ''; i++) await new Promise((r) => setTimeout(r, 10));
      // Pretend a day has passed: only the lock now protects the set.
      const plan = await planPrune(p, new Date(Date.now() + 48 * 3_600_000));
      expect(plan.entries.find((e) => e.setName === setName)?.code).toBe('running');
    } finally {
      ctl.abort();
      await running;
    }
  });

  it('deletes every destination copy of a set, and an incomplete copy makes the whole set incomplete', async () => {
    const now = new Date();
    const B = join(dir.path, 'B');
    const p = profile({ destinations: { database: B }, retention: { keepLast: 1 } });
    const newest = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1) }, [B]);
    const older = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 30) }, [B]);
    const onlyOnB = await writeSet(B, 'nightly', { startedAt: hoursAgo(now, 40) });
    // Newer than `older`, complete on A, but its copy on B was interrupted.
    const split = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 20), id: '5e5e5e5e' });
    await writeSet(B, 'nightly', {
      startedAt: hoursAgo(now, 20),
      id: '5e5e5e5e',
      marker: true,
      complete: false,
      status: 'running',
    });
    const plan = await planPrune(p, now);
    const byName = Object.fromEntries(plan.entries.map((e) => [e.setName, e]));
    expect(byName[newest.name]?.code).toBe('newest-usable');
    expect(byName[older.name]?.copies.map((c) => c.destination).sort()).toEqual(
      [join(dir.path, 'A'), B].sort(),
    );
    expect(byName[split.name]?.complete).toBe(false);
    expect(byName[split.name]?.code).toBe('not-usable-recent');
    const outcome = await executePrune(p, plan);
    expect(outcome.deleted.sort()).toEqual([...older.paths, ...onlyOnB.paths].sort());
    expect(await exists(older.paths[1] as string)).toBe(false);
    expect(await exists(newest.paths[1] as string)).toBe(true);
  });

  it('prunes after a successful run when asked, and never after a failed one', async () => {
    const now = new Date();
    const p = profile({ retention: { keepLast: 1, pruneAfterRun: true } });
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 48) });
    const failed = await runBackup(p, {
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'fail', code: 'X' } },
        [],
      ),
    });
    const none = await pruneAfterRun(p, failed);
    expect(none).toEqual({
      pruned: false,
      reason: 'The run did not produce a usable set; older sets are kept.',
    });
    expect(await exists(old.paths[0] as string)).toBe(true);

    const ok = await runBackup(p, { steps: allOk() });
    const r = await pruneAfterRun(p, ok);
    expect(r.pruned).toBe(true);
    expect(r.outcome?.deleted).toContain(old.paths[0]);
    expect(await exists(old.paths[0] as string)).toBe(false);
    expect(await exists(ok.setPaths[0] as string)).toBe(true);

    const off = await pruneAfterRun(profile({ retention: { keepLast: 1 } }), ok);
    expect(off.pruned).toBe(false);
  });
});
