import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src-main/contract/manifest.js';
import type { SetSummary } from '../../../src-main/contract/sets.js';
import { checkBackupAge } from '../../../src-main/engine/alerts/backup-age.js';

const NOW = new Date('2025-06-15T12:00:00Z');
const ago = (h: number): string => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function s(name: string, hours: number, complete = true, dbPointHours?: number): SetSummary {
  const sum: SetSummary = {
    path: `/d/p/${name}`,
    setName: name,
    profile: 'p',
    pinned: false,
    status: complete ? 'succeeded' : 'failed',
    complete,
    startedAt: ago(hours),
    bytes: 1,
    components: [],
  };
  if (dbPointHours !== undefined)
    sum.manifest = {
      components: [{ id: 'database', consistencyPoint: { time: ago(dbPointHours), description: 'x' } }],
    } as unknown as Manifest;
  return sum;
}

describe('checkBackupAge', () => {
  it('is fine while the newest complete set is younger than the target', () => {
    const r = checkBackupAge([s('a', 30), s('b', 10), s('c', 2, false)], 12, NOW);
    expect(r.ok).toBe(true);
    expect(r.newestGood?.setName).toBe('b');
    expect(r.ageHours).toBeCloseTo(10, 6);
  });

  it('alerts when the newest complete set is older than the target, ignoring newer failed sets', () => {
    const r = checkBackupAge([s('old', 13), s('failed', 1, false)], 12, NOW);
    expect(r.ok).toBe(false);
    expect(r.newestGood?.setName).toBe('old');
    expect(r.message).toMatch(/^No good backup for 13\.0 h: longer than the 12\.0 h of data loss you accept/);
  });

  it('measures from the database consistency point when the set records it', () => {
    const r = checkBackupAge([s('a', 11, true, 12.5)], 12, NOW);
    expect(r.ageHours).toBeCloseTo(12.5, 6);
    expect(r.ok).toBe(false);
  });

  it('alerts when there is no complete set at all', () => {
    const r = checkBackupAge([s('x', 1, false)], 24, NOW);
    expect(r).toMatchObject({ ok: false, targetIntervalHours: 24 });
    expect(r.newestGood).toBeUndefined();
    expect(r.message).toMatch(/no complete backup at all/);
  });
});
