// Snapshot retention inside the Elasticsearch repository: keep the newest N snapshots this tool
// made for this profile and delete older ones of ours. "Ours" is decided by the metadata the
// tool writes into every snapshot, never by the name: snapshots of SLM policies, of other
// tools or of an admin by hand look the same by name and must survive.
import type { EsApi, EsSnapshotInfo } from './api.js';

export const TAKEN_BY = 'octane-backup-manager';

export function snapshotMetadata(
  profile: string,
  setName: string,
  toolVersion: string,
): Record<string, unknown> {
  return { taken_by: TAKEN_BY, profile, set: setName, tool_version: toolVersion };
}

export function isOurs(s: EsSnapshotInfo, profile: string): boolean {
  const m = s.metadata;
  return !!m && m.taken_by === TAKEN_BY && m.profile === profile;
}

/**
 * Pre-upgrade sets are pinned on disk; their snapshot must outlive retention too, or a pinned
 * set without a repository copy could no longer be restored. Pinned ones do not count towards N.
 */
export function isPinned(s: EsSnapshotInfo): boolean {
  const set = s.metadata?.set;
  return typeof set === 'string' && /-pre-upgrade-[0-9a-f]+$/.test(set);
}

/** A snapshot that can be restored from counts towards the N kept. */
function usable(s: EsSnapshotInfo): boolean {
  return s.state === 'SUCCESS' || s.state === 'PARTIAL';
}

export interface RetentionPlan {
  keep: EsSnapshotInfo[];
  remove: EsSnapshotInfo[];
}

/**
 * Newest first by start time. The N newest usable snapshots of ours are kept, and so is anything
 * of ours newer than the oldest kept one (e.g. a running snapshot); older ones of ours are removed.
 * `current` (the snapshot just taken) is always kept.
 */
export function planRetention(
  all: EsSnapshotInfo[],
  profile: string,
  keepN: number,
  current: string,
): RetentionPlan {
  const ours = all
    .filter((s) => isOurs(s, profile))
    .sort((a, b) => (b.start_time_in_millis ?? 0) - (a.start_time_in_millis ?? 0));
  const keep: EsSnapshotInfo[] = [];
  const remove: EsSnapshotInfo[] = [];
  let kept = 0;
  for (const s of ours) {
    const isCurrent = s.snapshot === current;
    if (isPinned(s)) keep.push(s);
    else if (isCurrent || kept < keepN || s.state === 'IN_PROGRESS') {
      keep.push(s);
      if (usable(s)) kept++;
    } else remove.push(s);
  }
  return { keep, remove };
}

export interface RetentionResult {
  deleted: string[];
  kept: string[];
  failed: { snapshot: string; message: string }[];
}

export async function applyRetention(
  api: EsApi,
  repository: string,
  profile: string,
  keepN: number,
  current: string,
  signal: AbortSignal,
): Promise<RetentionResult> {
  const all = await api.listSnapshots(repository);
  const plan = planRetention(all, profile, keepN, current);
  const result: RetentionResult = { deleted: [], kept: plan.keep.map((s) => s.snapshot), failed: [] };
  for (const s of plan.remove) {
    if (signal.aborted) break;
    try {
      await api.deleteSnapshot(repository, s.snapshot, signal);
      result.deleted.push(s.snapshot);
    } catch (err) {
      result.failed.push({ snapshot: s.snapshot, message: (err as Error).message });
    }
  }
  return result;
}
