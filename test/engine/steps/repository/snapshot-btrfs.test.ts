// Snapshot mode on a real btrfs file system (a loop device made here, as root): the repository is
// frozen with a read-only subvolume snapshot at its turn and archived from the frozen view while
// the Octane-like workload keeps changing the live folder. Nothing that existed at the database's
// point may be missing, except a file deleted in the instant between that point and the freeze
// (the window; counted by the checker), and nothing stays behind (no snapshot, empty journal).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp.js';
import { mountBtrfs, type MountedImage } from '../../../support/fs-images.js';
import { summary } from '../../../support/workload/checker.js';
import { runScenario } from '../../../support/workload/scenario.js';
import { makeTree } from '../../../support/workload/workload.js';
import { JOURNAL_FILE } from '../../../../src-main/engine/steps/repository/snapshot/journal.js';
import { repositoryPreflight } from '../../../../src-main/engine/steps/repository/index.js';

let dir: { path: string; cleanup: () => Promise<void> };
let fs: MountedImage;
beforeAll(async () => {
  dir = await tempDir('obm-btrfs-');
  fs = await mountBtrfs(dir.path, 512);
});
afterAll(async () => {
  await fs?.cleanup();
  await dir.cleanup();
});

const subvolumes = (): string =>
  execFileSync('btrfs', ['subvolume', 'list', fs.mountPoint], { encoding: 'utf8' });

describe('snapshot mode on a real btrfs file system', () => {
  it('freezes the repository at its turn and archives the frozen view: nothing the database references is missing but what was deleted between its point and the freeze, nothing torn, no snapshot left', async () => {
    execFileSync('btrfs', ['subvolume', 'create', join(fs.mountPoint, 'octane')]);
    const repo = join(fs.mountPoint, 'octane', 'repo');
    const state = join(dir.path, 'state.json');
    makeTree(repo, state, { files: 400, sizes: [2_000, 60_000] });
    const dest = join(dir.path, 'dest');
    const r = await runScenario({
      mode: 'snapshot',
      repo,
      state,
      destination: dest,
      databases: [{ name: 'octane_site', usedBytes: 8 << 20, backup: { stepMs: 150 } }],
      dbClock: { offsetMs: -30_000, tzMinutes: -300 },
      workload: { ratePerSecond: 80, mix: { add: 0.5, delete: 0.3 }, sizes: [1_000, 30_000], seed: 11 },
    });
    console.log(`[btrfs snapshot] ${summary(r.report)}; window ${r.result.manifest.skew.windowSeconds} s`);
    expect(r.repo.status).toBe('succeeded');
    const snap = r.repo.details?.snapshot as { method: string; subvolume: string; snapshot: string };
    expect(snap.method).toBe('btrfs');
    expect(snap.subvolume).toBe(join(fs.mountPoint, 'octane'));
    expect(snap.snapshot.startsWith(join(fs.mountPoint, '.octane-backup-snapshots'))).toBe(true);
    // The point is the freeze: after the stand-in's own point, before the frozen view was read.
    expect(Date.parse(r.repo.consistencyPoint?.localTime ?? '')).toBeGreaterThan(r.dbPointMs);
    expect(r.repo.consistencyPoint?.description).toContain('read-only btrfs snapshot');
    expect(r.repo.consistencyPoint?.time.endsWith('-05:00')).toBe(true);
    expect(r.result.manifest.skew.captureMode).toBe('snapshot');
    // The workload changed the live folder while the frozen view was read, and none of it leaked in.
    expect(r.report.operations.create + r.report.operations.delete).toBeGreaterThan(20);
    // Missing only what was deleted in the milliseconds between the DB point and the freeze (counted).
    expect(r.report.missing).toEqual([]);
    expect(r.report.missingExcused.length).toBeLessThanOrEqual(r.report.operations.delete);
    expect(r.report.stale).toEqual([]);
    expect(r.report.torn).toEqual([]);
    // Deleted afterwards, and out of the journal.
    expect(existsSync(snap.snapshot)).toBe(false);
    expect(subvolumes()).not.toContain('octane-backup-');
    const journal = JSON.parse(
      await readFile(join(dest, 'workload-snapshot', JOURNAL_FILE), 'utf8'),
    ) as unknown[];
    expect(journal).toEqual([]);
  });

  it('deletes the snapshot a crashed run left (named in the journal) at the start of the next run, and nothing else', async () => {
    const repo = join(fs.mountPoint, 'octane', 'repo');
    const dest = join(dir.path, 'dest');
    const snapDir = join(fs.mountPoint, '.octane-backup-snapshots');
    const leftover = join(snapDir, 'octane-backup-20260101T000000Z-manual-deadbeef');
    const foreign = join(snapDir, 'someone-elses-snapshot');
    execFileSync('btrfs', ['subvolume', 'snapshot', '-r', join(fs.mountPoint, 'octane'), leftover]);
    execFileSync('btrfs', ['subvolume', 'snapshot', '-r', join(fs.mountPoint, 'octane'), foreign]);
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(join(dest, 'workload-snapshot'), { recursive: true });
    await writeFile(
      join(dest, 'workload-snapshot', JOURNAL_FILE),
      JSON.stringify([
        {
          method: 'btrfs',
          id: 'octane-backup-20260101T000000Z-manual-deadbeef',
          path: leftover,
          setName: '20260101T000000Z-manual-deadbeef',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ]),
    );
    const state = join(dir.path, 'state.json');
    const r = await runScenario({
      mode: 'snapshot',
      repo,
      state,
      destination: dest,
      databases: [{ name: 'octane_site', usedBytes: 8 << 20, backup: { stepMs: 20 } }],
      workload: { ratePerSecond: 5, mix: { add: 0.5, delete: 0.3 }, sizes: [1_000, 3_000], seed: 3 },
    });
    expect(r.repo.status).toBe('succeeded');
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(foreign)).toBe(true);
    expect(subvolumes()).toContain('someone-elses-snapshot');
    execFileSync('btrfs', ['subvolume', 'delete', foreign]);
  });

  it('the preflight says the folder can be frozen on btrfs, and proposes bracketed where it cannot', async () => {
    const onBtrfs = await repositoryPreflight({
      profile: 'p',
      destination: join(dir.path, 'dest-preflight'),
      repository: { path: join(fs.mountPoint, 'octane', 'repo'), capture: 'snapshot' },
    });
    expect(onBtrfs.find((c) => c.id === 'repository:snapshot')).toMatchObject({ status: 'ok' });
    const elsewhere = await repositoryPreflight({
      profile: 'p',
      destination: join(dir.path, 'dest-preflight'),
      repository: { path: dir.path, capture: 'snapshot' },
    });
    const c = elsewhere.find((x) => x.id === 'repository:snapshot');
    expect(c?.status).toBe('warning');
    expect(c?.message).toContain('not btrfs');
    expect(c?.fix).toContain('"bracketed"');
  });
});
