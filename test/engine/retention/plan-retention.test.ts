import { describe, expect, it } from 'vitest';
import { TOOL_NAME, type Manifest } from '../../../src-main/contract/manifest.js';
import type { BackupKind } from '../../../src-main/contract/profile.js';
import { setNameFor } from '../../../src-main/engine/backup-set/set-layout.js';
import {
  planRetention as plan,
  type RetentionCandidate,
  type RetentionRules,
} from '../../../src-main/engine/retention/plan-retention.js';
import type { RetentionConfig } from '../../../src-main/contract/profile.js';

const NOW = new Date('2025-06-15T12:00:00Z');
let seq = 0;

/** The plan for profile "nightly" (the profile these sets belong to unless a test says otherwise). */
const planRetention = (
  sets: RetentionCandidate[],
  retention: RetentionConfig | undefined,
  now: Date,
  extra: Partial<RetentionRules> = {},
) => plan(sets, { retention, profile: 'nightly', ...extra }, now);

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
    /** Usable for the profile (default: complete and no marker). */
    usable?: boolean;
    damaged?: boolean;
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
    usable: o.usable ?? (complete && !o.marker && !o.damaged),
  };
  if (o.damaged) c.damaged = true;
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
      'keep:newest-usable',
      'keep:keep-last',
      'keep:keep-last',
      'delete:expired',
      'delete:expired',
      'delete:expired',
    ]);
    expect(d[3]?.reason).toBe('Not among the newest 3 usable sets.');
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
    expect(d.map((x) => x.code)).toEqual(['newest-usable', 'keep-last', 'keep-last', 'keep-last', 'expired']);
    expect(d[4]?.reason).toMatch(/^Not among the newest 4 usable sets and older than 1 days/);
  });

  it('never deletes a pinned set, and pinned sets do not use up keepLast', () => {
    const pre = set(5000, { kind: 'pre-upgrade' });
    const pinnedManual = set(30, { kind: 'manual', pinned: true });
    const sets = [set(1), pinnedManual, set(48), set(72), pre];
    const d = byName(planRetention(sets, { keepLast: 2, keepDays: 0 }, NOW));
    expect(d[pre.setName]).toBe('keep:pinned');
    expect(d[pinnedManual.setName]).toBe('keep:pinned');
    expect(Object.values(d)).toEqual([
      'keep:newest-usable',
      'keep:pinned',
      'keep:keep-last',
      'delete:expired',
      'keep:pinned',
    ]);
  });

  it('never deletes the newest usable set, however old, and a newer failed set does not count as it', () => {
    const newestGood = set(500);
    const sets = [set(30, { complete: false }), newestGood, set(800)];
    const d = byName(planRetention(sets, { keepDays: 1 }, NOW));
    expect(d[newestGood.setName]).toBe('keep:newest-usable');
    // The newest run failed: nothing at all is deleted until a run produces a usable set.
    expect(Object.values(d)).toEqual(['keep:not-usable-recent', 'keep:newest-usable', 'keep:newest-failed']);
    const after = byName(planRetention([set(1), ...sets], { keepDays: 1 }, NOW));
    expect(Object.values(after)).toEqual([
      'keep:newest-usable',
      'delete:superseded',
      'delete:expired',
      'delete:expired',
    ]);
  });

  it('deletes interrupted sets older than a day once a usable set is newer, but never the one being written', () => {
    const old = set(30, { complete: false, marker: true });
    const running = set(50, { complete: false, marker: true, running: true });
    const recent = set(3, { complete: false, marker: true });
    const failed = set(26, { complete: false });
    const d = byName(planRetention([set(1), old, running, recent, failed], { keepLast: 10 }, NOW));
    expect(d[old.setName]).toBe('delete:superseded');
    expect(d[running.setName]).toBe('keep:running');
    expect(d[recent.setName]).toBe('keep:not-usable-recent');
    // A finished but failed set (e.g. database + repository with Elasticsearch failed) stays until
    // as many usable sets as keepLast asks for are newer than it.
    expect(d[failed.setName]).toBe('keep:not-usable-recent');
  });

  it('never touches folders that are not provably ours', () => {
    const bare = set(900, { noManifest: true, complete: false });
    const other = set(900, { tool: 'someone-else' });
    const withMarkerOnly = set(900, { noManifest: true, complete: false, marker: true });
    const d = byName(planRetention([set(1), bare, other, withMarkerOnly], { keepLast: 1 }, NOW));
    expect(d[bare.setName]).toBe('keep:not-ours');
    expect(d[other.setName]).toBe('keep:not-ours');
    // A folder with our marker is ours even before its manifest was written (crash at start).
    expect(d[withMarkerOnly.setName]).toBe('delete:superseded');
    const renamed = { ...set(900), setName: 'old-copy-of-a-set' };
    expect(planRetention([renamed], { keepLast: 1 }, NOW)[0]?.code).toBe('not-ours');
  });

  it('keeps every complete set when no rule is set, but still clears out old incomplete ones', () => {
    const d = planRetention([set(1), set(500), set(40, { complete: false, marker: true })], undefined, NOW);
    expect(d.map((x) => `${x.action}:${x.code}`)).toEqual([
      'keep:newest-usable',
      'delete:superseded',
      'keep:no-rule',
    ]);
  });

  it('never touches a set whose manifest names another profile, and does not count it', () => {
    const mine = [set(1), set(50)];
    const other = [set(0.5, { profile: 'Nightly' }), set(100, { profile: 'weekly' })];
    const d = byName(planRetention([...mine, ...other], { keepLast: 1 }, NOW));
    expect(d[other[0]?.setName as string]).toBe('keep:other-profile');
    expect(d[other[1]?.setName as string]).toBe('keep:other-profile');
    expect(d[mine[0]?.setName as string]).toBe('keep:newest-usable');
    expect(d[mine[1]?.setName as string]).toBe('delete:expired');
  });
});

describe('planRetention: what counts as a backup (issue 11)', () => {
  it('keeps the newest N usable sets of a repository-only profile (usable: every component it takes succeeded)', () => {
    const sets = [1, 25, 49, 73, 97, 121].map((h) => set(h, { complete: false, usable: true }));
    const d = planRetention(sets, { keepLast: 2 }, NOW);
    expect(d.map((x) => `${x.action}:${x.code}`)).toEqual([
      'keep:newest-usable',
      'keep:keep-last',
      'delete:expired',
      'delete:expired',
      'delete:expired',
      'delete:expired',
    ]);
  });

  it('keeps every database + repository set whose Elasticsearch step failed while no usable set is newer', () => {
    const partial = [30, 54, 78, 102, 126, 150].map((h) => set(h, { complete: false }));
    const d = planRetention(partial, { keepLast: 2 }, NOW);
    expect(d.every((x) => x.action === 'keep')).toBe(true);
    // Two usable sets later (keepLast 2), the partial ones are superseded.
    const later = planRetention([set(1), set(5), ...partial], { keepLast: 2 }, NOW);
    expect(later.filter((x) => x.action === 'delete').map((x) => x.code)).toEqual(
      Array(6).fill('superseded'),
    );
  });

  it('deletes nothing while the newest run failed, so N bad nights never lose the good sets', () => {
    const good = [48, 72, 96].map((h) => set(h));
    for (const bad of [
      set(1, { complete: false }),
      set(2, { complete: false, marker: true }),
      set(3, { damaged: true }),
    ]) {
      const d = planRetention([bad, ...good], { keepLast: 1 }, NOW);
      expect(d.filter((x) => x.action === 'delete')).toEqual([]);
      expect(d.filter((x) => x.code === 'newest-failed')).toHaveLength(2);
    }
  });

  it('never counts a set verify found damaged as usable, and keeps it until newer usable sets exist', () => {
    const damaged = set(10, { damaged: true });
    const d = byName(planRetention([set(1), damaged, set(48), set(72)], { keepLast: 2 }, NOW));
    expect(d[damaged.setName]).toBe('keep:not-usable-recent');
    const ranks = planRetention([set(1), damaged, set(48), set(72)], { keepLast: 2 }, NOW).map((x) => x.code);
    expect(ranks).toEqual(['newest-usable', 'not-usable-recent', 'keep-last', 'expired']);
  });

  it('ignores and names a set dated in the future: it neither protects itself nor pushes real sets out', () => {
    const planted = set(-24 * 30);
    const real = [1, 25, 49].map((h) => set(h));
    const d = planRetention([planted, ...real], { keepLast: 2 }, NOW);
    expect(d.map((x) => `${x.action}:${x.code}`)).toEqual([
      'keep:future',
      'keep:newest-usable',
      'keep:keep-last',
      'delete:expired',
    ]);
    expect(d[0]?.reason).toMatch(/Dated in the future .*planted/);
  });

  it('never deletes the set its own run just wrote', () => {
    const mine = set(1);
    const d = planRetention([set(0.5), mine, set(30)], { keepLast: 1 }, NOW, { protect: mine.setName });
    expect(byName(d)[mine.setName]).toBe('keep:this-run');
  });

  it('never deletes a set whose manifest cannot be read', () => {
    const bad: RetentionCandidate = {
      ...set(500),
      status: 'unreadable',
      problem: 'not valid JSON',
      usable: false,
    };
    delete bad.manifest;
    bad.hasMarker = true;
    const d = byName(planRetention([set(1), set(2), bad], { keepLast: 1 }, NOW));
    expect(d[bad.setName]).toBe('keep:not-ours');
    const withManifest: RetentionCandidate = {
      ...set(500),
      status: 'unreadable',
      problem: 'x',
      usable: false,
    };
    expect(byName(planRetention([set(1), withManifest], { keepLast: 1 }, NOW))[withManifest.setName]).toBe(
      'keep:unreadable',
    );
  });
});
