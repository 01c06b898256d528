import { describe, expect, it } from 'vitest';
import type { EsSnapshotInfo } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import {
  planRetention,
  snapshotMetadata,
} from '../../../../src-main/engine/steps/elasticsearch/retention.js';

const ours = (name: string, t: number, state = 'SUCCESS', profile = 'p'): EsSnapshotInfo => ({
  snapshot: name,
  state,
  start_time_in_millis: t,
  metadata: snapshotMetadata(profile, name, '0.1.0'),
});

describe('snapshot retention plan', () => {
  it("keeps the newest N of this profile's usable snapshots and removes older ones of ours only", () => {
    const all = [
      ours('a', 1),
      ours('b', 2),
      ours('c', 3, 'FAILED'),
      ours('d', 4),
      ours('e', 5),
      { snapshot: 'foreign', state: 'SUCCESS', start_time_in_millis: 0 },
      { snapshot: 'slm-daily', state: 'SUCCESS', start_time_in_millis: 0, metadata: { taken_by: 'slm' } },
      ours('other-profile', 0, 'SUCCESS', 'q'),
    ];
    const plan = planRetention(all, 'p', 2, 'e');
    expect(plan.keep.map((s) => s.snapshot)).toEqual(['e', 'd']);
    expect(plan.remove.map((s) => s.snapshot)).toEqual(['c', 'b', 'a']);
  });

  it('a failed snapshot does not count towards N, and the current snapshot is always kept', () => {
    const plan = planRetention([ours('new', 3, 'FAILED'), ours('mid', 2), ours('old', 1)], 'p', 1, 'new');
    expect(plan.keep.map((s) => s.snapshot)).toEqual(['new', 'mid']);
    expect(plan.remove.map((s) => s.snapshot)).toEqual(['old']);
  });

  it('never removes the snapshot of a pinned pre-upgrade set, and it does not count towards N', () => {
    const pinned: EsSnapshotInfo = {
      snapshot: 'pu',
      state: 'SUCCESS',
      start_time_in_millis: 0,
      metadata: snapshotMetadata('p', '20260101T000000Z-pre-upgrade-abcdef12', '0.1.0'),
    };
    const plan = planRetention([ours('new', 3), ours('mid', 2), pinned], 'p', 1, 'new');
    expect(plan.keep.map((s) => s.snapshot)).toEqual(['new', 'pu']);
    expect(plan.remove.map((s) => s.snapshot)).toEqual(['mid']);
  });
});
