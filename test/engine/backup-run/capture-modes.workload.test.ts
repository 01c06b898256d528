// Every capture mode under the Octane-like workload (files added, deleted and rewritten during the
// whole run), with the SQL Server stand-in (TDS) as the database: the checker proves that no file
// the database could reference at its consistency point is missing from the set (bracketed: only
// files that lived between the two passes may be, and they are counted), and that the points come
// in order. Snapshot mode on a real btrfs file system is in snapshot-btrfs.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../support/temp.js';
import { summary } from '../../support/workload/checker.js';
import { runScenario, type ScenarioResult } from '../../support/workload/scenario.js';
import { makeTree } from '../../support/workload/workload.js';
import type { CaptureMode } from '../../../src-main/contract/profile.js';

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('obm-modes-');
});
afterAll(async () => dir.cleanup());

async function scenario(mode: CaptureMode, format?: 'zip' | 'tar.gz'): Promise<ScenarioResult> {
  const repo = join(dir.path, `${mode}-${format ?? 'tgz'}`, 'repo');
  const state = join(dir.path, `${mode}-${format ?? 'tgz'}`, 'state.json');
  makeTree(repo, state, { files: 300, sizes: [2_000, 40_000] });
  const r = await runScenario({
    mode,
    repo,
    state,
    destination: join(dir.path, `${mode}-${format ?? 'tgz'}`, 'dest'),
    // Two databases, each backup about a second: the workload keeps changing the folder meanwhile.
    databases: [
      { name: 'octane_site', usedBytes: 8 << 20, backup: { stepMs: 100 } },
      { name: 'octane_sp_1001', usedBytes: 8 << 20, backup: { stepMs: 100 } },
    ],
    // The stand-in's clock is 90 s ahead of ours in a +02:00 zone: points are compared on its clock.
    dbClock: { offsetMs: 90_000, tzMinutes: 120 },
    workload: { ratePerSecond: 60, mix: { add: 0.5, delete: 0.3 }, sizes: [1_000, 30_000], seed: 7 },
    ...(format && { profile: (p) => ({ ...p, repository: { ...p.repository!, format } }) }),
  });
  console.log(
    `[workload ${mode}${format ? ` ${format}` : ''}] ${summary(r.report)}; window ${r.result.manifest.skew.windowSeconds} s`,
  );
  return r;
}

function expectPointsInOrder(r: ScenarioResult): void {
  const m = r.result.manifest;
  const db = m.components.find((c) => c.id === 'database');
  expect(db?.status).toBe('succeeded');
  expect(r.repo.status).toMatch(/^succeeded/);
  const dbPoint = Date.parse(db?.consistencyPoint?.time ?? '');
  const repoPoint = Date.parse(r.repo.consistencyPoint?.time ?? '');
  expect(repoPoint).toBeGreaterThanOrEqual(dbPoint);
  // The repository's point is after the stand-in's own point on this machine's clock too.
  expect(Date.parse(r.repo.consistencyPoint?.localTime ?? '')).toBeGreaterThan(r.dbPointMs);
  expect(m.skew.points?.database).toBe(db?.consistencyPoint?.time);
  expect(m.skew.points?.repository).toBeDefined();
  expect(m.skew.windowSeconds).toBeCloseTo((Date.parse(m.skew.points?.repository ?? '') - dbPoint) / 1000, 2);
  // The SQL Server point: each database's own, in order, with their spread, on the stand-in's clock.
  const dbs = db?.consistencyPoint?.databases ?? [];
  expect(dbs.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001']);
  expect(dbs[1]?.time).toBe(db?.consistencyPoint?.time);
  expect(db?.consistencyPoint?.time).toBe(`${r.dbPointServerTime}+02:00`);
  expect(db?.consistencyPoint?.spreadSeconds).toBeCloseTo(
    (Date.parse(dbs[1]?.time ?? '') - Date.parse(dbs[0]?.time ?? '')) / 1000,
    3,
  );
  expect(db?.consistencyPoint?.spreadSeconds).toBeGreaterThan(0);
}

describe('capture modes under the Octane-like workload (TDS stand-in)', () => {
  it('bracketed (the default): the first pass before the database, the delta after its point; nothing the database references is missing', async () => {
    const r = await scenario('bracketed');
    expectPointsInOrder(r);
    expect(r.result.manifest.skew.captureMode).toBe('bracketed');
    const bracket = r.repo.details?.bracket as {
      firstPass: { finishedAt: string };
      secondPass: { startedAt: string; files: number };
      disappeared: number;
    };
    // The first pass ended before the stand-in's point, the second began after it.
    expect(Date.parse(bracket.firstPass.finishedAt)).toBeLessThan(r.dbPointMs);
    expect(Date.parse(bracket.secondPass.startedAt)).toBeGreaterThan(r.dbPointMs);
    // The workload really changed the folder in between: files were appended and some disappeared.
    expect(bracket.secondPass.files).toBeGreaterThan(0);
    expect(bracket.disappeared).toBeGreaterThan(0);
    expect(r.report.operations.create).toBeGreaterThan(20);
    expect(r.report.missing).toEqual([]);
    expect(r.report.stale).toEqual([]);
    expect(r.report.torn).toEqual([]);
    // Files that disappeared are kept: the set holds more than existed at the point.
    expect(r.report.orphans).toBeGreaterThan(0);
  });

  it('bracketed with a zip: the appended entries replace the earlier ones when Python zipfile extracts it', async () => {
    const r = await scenario('bracketed', 'zip');
    expectPointsInOrder(r);
    expect(r.report.missing).toEqual([]);
    expect(r.report.stale).toEqual([]);
    expect(r.report.torn).toEqual([]);
  });

  it('sequential: the whole archive after the database; missing only what was deleted after the point before the archive reached it (the gap the other modes close)', async () => {
    const r = await scenario('sequential');
    expectPointsInOrder(r);
    expect(r.result.manifest.skew.captureMode).toBe('sequential');
    expect(r.repo.details?.bracket).toBeUndefined();
    expect(r.report.missing).toEqual([]);
    expect(r.report.stale).toEqual([]);
    expect(r.report.torn).toEqual([]);
  });

  it('snapshot on a folder nothing can freeze (not btrfs): archived live after the point with a warning naming the fix; missing only what sequential misses', async () => {
    const r = await scenario('snapshot');
    expectPointsInOrder(r);
    const w = r.repo.warnings.find((x) => x.code === 'REPOSITORY_SNAPSHOT_UNAVAILABLE');
    expect(w?.message).toContain('SNAPSHOT_NOT_BTRFS');
    expect(w?.message).toContain('Fix: Use repository.capture "bracketed"');
    expect(r.result.status).toBe('succeeded-with-warnings');
    // Read live like sequential: only what was deleted after the point before the archive reached it.
    expect(r.report.missing).toEqual([]);
  });
});
