import { describe, expect, it } from 'vitest';
import { TOOL_NAME, type Manifest } from '../../../src-main/contract/manifest.js';
import type { BackupKind } from '../../../src-main/contract/profile.js';
import { setNameFor } from '../../../src-main/engine/backup-set/set-layout.js';
import { planRetention, type RetentionCandidate } from '../../../src-main/engine/retention/plan-retention.js';

const NOW = new Date('2025-06-15T12:00:00Z');
let seq = 0;

function set(
  hoursOld: number,
  o: {
    kind?: BackupKind;
    complete?: boolean;
    pinned?: boolean;
    marker?: boolean;
    running?: boolean;
    noManifest?: boolean;
    tool?: string;
    profile?: string;
  } = {},
): RetentionCandidate {
  const started = new Date(NOW.getTime() - hoursOld * 3_600_000);
  const kind = o.kind ?? 'scheduled';
  const setName = setNameFor(started, kind, (++seq).toString(16).padStart(8, '0'));
  const complete = o.complete ?? true;
  const c: RetentionCandidate = {
    path: `/dest/${o.profile ?? 'nightly'}/${setName}`,
    setName,
    profile: o.profile ?? 'nightly',
    kind,
    pinned: o.pinned ?? kind === 'pre-upgrade',
    status: complete ? 'succeeded' : o.marker ? 'incomplete' : 'failed',
    complete,
    startedAt: started.toISOString(),
    bytes: 100,
    components: [],
  };
  if (!o.noManifest) c.manifest = { tool: { name: o.tool ?? TOOL_NAME, version: '1' } } as Manifest;
  if (o.marker) c.hasMarker = true;
  if (o.running) c.running = true;
  return c;
}

const byName = (d: ReturnType<typeof planRetention>): Record<string, string> =>
  Object.fromEntries(d.map((x) => [x.setName, `${x.action}:${x.code}`]));

describe('planRetention', () => {
  it('keepLast keeps the newest N complete sets and deletes the rest', () => {
    const sets = [1, 25, 49, 73, 97, 121].map((h) => set(h));
    const d = planRetention(sets, { keepLast: 3 }, NOW);
    expect(d.map((x) => `${x.action}:${x.code}`)).toEqual([
      'keep:newest-complete',
      'keep:keep-last',
      'keep:keep-last',
      'delete:expired',
      'delete:expired',
      'delete:expired',
    ]);
    expect(d[3]?.reason).toBe('Not among the newest 3 complete sets.');
  });

  it('keepDays keeps sets younger than D days', () => {
    const sets = [12, 36, 59, 61, 96].map((h) => set(h));
    const d = planRetention(sets, { keepDays: 2.5 }, NOW);
    expect(d.map((x) => x.action)).toEqual(['keep', 'keep', 'keep', 'delete', 'delete']);
    expect(d[3]?.reason).toMatch(/^Older than 2\.5 days \(2\.5 days\)/);
  });

  it('keepLast and keepDays together keep a set when either rule keeps it', () => {
    const sets = [1, 2, 30, 200, 300].map((h) => set(h));
    const d = planRetention(sets, { keepLast: 4, keepDays: 1 }, NOW);
    expect(d.map((x) => x.code)).toEqual([
      'newest-complete',
      'keep-last',
      'keep-last',
      'keep-last',
      'expired',
    ]);
    expect(d[4]?.reason).toMatch(/^Not among the newest 4 complete sets and older than 1 days/);
  });

  it('never deletes a pinned set, and pinned sets do not use up keepLast', () => {
    const pre = set(5000, { kind: 'pre-upgrade' });
    const pinnedManual = set(30, { kind: 'manual', pinned: true });
    const sets = [set(1), pinnedManual, set(48), set(72), pre];
    const d = byName(planRetention(sets, { keepLast: 2, keepDays: 0 }, NOW));
    expect(d[pre.setName]).toBe('keep:pinned');
    expect(d[pinnedManual.setName]).toBe('keep:pinned');
    expect(Object.values(d)).toEqual([
      'keep:newest-complete',
      'keep:pinned',
      'keep:keep-last',
      'delete:expired',
      'keep:pinned',
    ]);
  });

  it('never deletes the newest complete set, however old, and a newer failed set does not count as it', () => {
    const newestGood = set(500);
    const sets = [set(2, { complete: false }), newestGood, set(800)];
    const d = byName(planRetention(sets, { keepDays: 1 }, NOW));
    expect(d[newestGood.setName]).toBe('keep:newest-complete');
    expect(Object.values(d)).toEqual(['keep:incomplete-recent', 'keep:newest-complete', 'delete:expired']);
  });

  it('deletes incomplete sets older than a day, but never the one being written', () => {
    const old = set(30, { complete: false, marker: true });
    const running = set(50, { complete: false, marker: true, running: true });
    const recent = set(3, { complete: false, marker: true });
    const failed = set(26, { complete: false });
    const d = byName(planRetention([set(1), old, running, recent, failed], { keepLast: 10 }, NOW));
    expect(d[old.setName]).toBe('delete:incomplete-old');
    expect(d[running.setName]).toBe('keep:running');
    expect(d[recent.setName]).toBe('keep:incomplete-recent');
    expect(d[failed.setName]).toBe('delete:incomplete-old');
  });

  it('never touches folders that are not provably ours', () => {
    const bare = set(900, { noManifest: true, complete: false });
    const other = set(900, { tool: 'someone-else' });
    const withMarkerOnly = set(900, { noManifest: true, complete: false, marker: true });
    const d = byName(planRetention([set(1), bare, other, withMarkerOnly], { keepLast: 1 }, NOW));
    expect(d[bare.setName]).toBe('keep:not-ours');
    expect(d[other.setName]).toBe('keep:not-ours');
    // A folder with our marker is ours even before its manifest was written (crash at start).
    expect(d[withMarkerOnly.setName]).toBe('delete:incomplete-old');
    const renamed = { ...set(900), setName: 'old-copy-of-a-set' };
    expect(planRetention([renamed], { keepLast: 1 }, NOW)[0]?.code).toBe('not-ours');
  });

  it('keeps every complete set when no rule is set, but still clears out old incomplete ones', () => {
    const d = planRetention([set(1), set(500), set(40, { complete: false, marker: true })], undefined, NOW);
    expect(d.map((x) => `${x.action}:${x.code}`)).toEqual([
      'keep:newest-complete',
      'delete:incomplete-old',
      'keep:no-rule',
    ]);
  });

  it('decides per profile', () => {
    const a = [set(1, { profile: 'a' }), set(50, { profile: 'a' })];
    const b = [set(100, { profile: 'b' })];
    const d = byName(planRetention([...a, ...b], { keepLast: 1 }, NOW));
    expect(d[b[0]?.setName as string]).toBe('keep:newest-complete');
    expect(d[a[1]?.setName as string]).toBe('delete:expired');
  });
});
