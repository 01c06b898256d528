import { describe, expect, it } from 'vitest';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { judgeOutcome, progressOf } from '../../../../src-main/engine/steps/elasticsearch/snapshot.js';
import { snapshotNameFor } from '../../../../src-main/engine/steps/elasticsearch/session.js';

const partial = {
  snapshot: 's1',
  state: 'PARTIAL',
  shards: { total: 4, failed: 1, successful: 3 },
  failures: [{ index: 'audit', shard_id: 2, reason: 'primary shard is not allocated' }],
};

describe('snapshot outcome and progress', () => {
  it('SUCCESS passes; PARTIAL fails naming index, shard and reason unless partial snapshots are allowed', () => {
    expect(judgeOutcome({ snapshot: 's', state: 'SUCCESS' }, false)).toEqual({});
    let err: unknown;
    try {
      judgeOutcome(partial, false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('ES_SNAPSHOT_PARTIAL');
    expect((err as ExpectedError).message).toContain('audit[2]: primary shard is not allocated');
    expect(judgeOutcome(partial, true).warning?.code).toBe('ES_SNAPSHOT_PARTIAL');
  });

  it("FAILED fails with Elasticsearch's own reason", () => {
    expect(() => judgeOutcome({ snapshot: 's', state: 'FAILED', reason: 'disk full' }, true)).toThrow(
      /ended FAILED: disk full/,
    );
  });

  it('reports bytes written of the bytes this snapshot must write, and shard counts', () => {
    const [f, c] = progressOf({
      snapshot: 's',
      repository: 'r',
      state: 'STARTED',
      shards_stats: { done: 1, total: 4 },
      stats: {
        incremental: { size_in_bytes: 1000 },
        processed: { size_in_bytes: 250 },
        total: { size_in_bytes: 5000 },
      },
    });
    expect(f).toBe(0.25);
    expect(c).toMatchObject({ bytesDone: 250, bytesTotal: 1000, itemsDone: 1, itemsTotal: 4 });
  });

  it('names the snapshot after the set, in lower case', () => {
    expect(snapshotNameFor('20261126T051034Z-manual-a1b2c3d4')).toBe('20261126t051034z-manual-a1b2c3d4');
    expect(snapshotNameFor('_Odd Name#1')).toBe('odd-name-1');
  });
});
