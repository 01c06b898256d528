// Following a restore to its end. Elasticsearch restores shard by shard in the background; the
// cluster (and the restored indices) is red while primaries recover, which is expected. The restore
// is done when every restored index has all its primaries started (yellow or green) and no shard
// recovery from the snapshot is still running; it failed when a primary is unassigned because its
// restore failed; it stalls when nothing moves for `stallMs`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { StepCounters } from '../../../../contract/events.js';
import { abortError, ExpectedError } from '../../../errors.js';
import { EsResponseError } from '../http.js';
import type { EsRestoreApi } from './restore-api.js';

export interface FollowTiming {
  pollMs: number;
  /** No progress for this long (ms) fails the restore. */
  stallMs: number;
}

interface Tally {
  total: number;
  recovered: number;
  shards: number;
  shardsDone: number;
  /** Snapshot recoveries still running. */
  running: number;
}

function tally(rec: Awaited<ReturnType<EsRestoreApi['recovery']>>): Tally {
  const t: Tally = { total: 0, recovered: 0, shards: 0, shardsDone: 0, running: 0 };
  for (const i of Object.values(rec))
    for (const sh of i.shards ?? []) {
      if (sh.type !== 'SNAPSHOT') continue;
      t.shards++;
      t.total += sh.index?.size?.total_in_bytes ?? 0;
      t.recovered += sh.index?.size?.recovered_in_bytes ?? 0;
      if (sh.stage === 'DONE') t.shardsDone++;
      else t.running++;
    }
  return t;
}

export async function followRestore(
  r: EsRestoreApi,
  targets: string[],
  o: FollowTiming & { signal: AbortSignal; progress: (fraction: number, counters: StepCounters) => void },
): Promise<void> {
  let last = -1;
  let best = 0;
  let lastMove = Date.now();
  for (;;) {
    if (o.signal.aborted) throw abortError();
    let t: Tally;
    let shards: Awaited<ReturnType<EsRestoreApi['shards']>>;
    try {
      t = tally(await r.recovery(targets));
      shards = await r.shards(targets);
    } catch (err) {
      // The restored indices appear in the cluster state a moment after the restore is accepted.
      if (!(err instanceof EsResponseError && err.status === 404)) throw err;
      await sleep(o.pollMs, undefined, { signal: o.signal }).catch(() => undefined);
      continue;
    }
    const failed = shards.filter(
      (s) => s.prirep === 'p' && s.state === 'UNASSIGNED' && s['unassigned.reason'] === 'RESTORE_FAILED',
    );
    if (failed.length > 0)
      throw new ExpectedError(
        'ES_RESTORE_SHARD_FAILED',
        `Elasticsearch could not restore ${[...new Set(failed.map((s) => s.index))].join(', ')} (primary shard restore failed).`,
        {
          step: 'elasticsearch',
          details: { shards: failed },
          fix: 'GET _cluster/allocation/explain names the reason (often disk space, a missing or unreadable file in the repository, or a node that cannot read it); correct it and run the restore again.',
        },
      );
    const present = new Set(shards.map((s) => s.index));
    const primariesStarted =
      targets.every((n) => present.has(n)) &&
      shards.filter((s) => s.prirep === 'p').every((s) => s.state === 'STARTED');
    // Shards join the recovery list as they start, so the byte total grows: the bar never goes back.
    const fraction = t.total > 0 ? t.recovered / t.total : t.shards > 0 ? t.shardsDone / t.shards : 0;
    best = Math.max(best, Math.min(0.99, fraction));
    o.progress(primariesStarted && t.running === 0 ? 1 : best, {
      bytesDone: t.recovered,
      bytesTotal: t.total,
      itemsDone: t.shardsDone,
      itemsTotal: t.shards,
      message: `Restoring shards: ${t.shardsDone} of ${t.shards} done (the cluster is red while primaries recover)`,
      activity: `GET /<${targets.length} indices>/_recovery`,
    });
    if (primariesStarted && t.running === 0) return;
    const moved = t.recovered + t.shardsDone;
    if (moved !== last) {
      last = moved;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > o.stallMs)
      throw new ExpectedError(
        'ES_RESTORE_STALLED',
        `The restore made no progress for ${Math.round(o.stallMs / 1000)} s (${t.shardsDone} of ${t.shards} shards done).`,
        {
          step: 'elasticsearch',
          fix: 'Check GET _cat/recovery?active_only=true and GET _cluster/allocation/explain; a node may be down or unable to read the repository.',
        },
      );
    await sleep(o.pollMs, undefined, { signal: o.signal }).catch(() => undefined);
  }
}
