// The engine's answers as the contract's plain views (what crosses IPC to the renderer).
import type { OctaneImportView, RetentionPlanView, TaskStatusView } from '../contract/ui.js';
import type { PrunePlan } from '../engine/retention/prune.js';
import type { WindowsTaskStatus } from '../engine/schedule/schtasks.js';

export function taskView(t: WindowsTaskStatus): TaskStatusView {
  const v: TaskStatusView = { taskName: t.taskName, exists: t.exists, schedules: t.schedules };
  for (const k of [
    'status',
    'enabled',
    'nextRunTime',
    'lastRunTime',
    'lastResult',
    'lastResultText',
    'runAsUser',
    'error',
  ] as const)
    if (t[k] !== undefined) (v as unknown as Record<string, unknown>)[k] = t[k];
  return v;
}

export function planView(plan: PrunePlan): RetentionPlanView {
  return {
    profile: plan.profile,
    computedAt: plan.computedAt,
    entries: plan.entries.map((e) => {
      const v: RetentionPlanView['entries'][number] = {
        setName: e.setName,
        action: e.action,
        code: e.code,
        reason: e.reason,
        complete: e.complete,
        pinned: e.pinned,
        bytes: e.bytes,
        paths: e.copies.length > 0 ? e.copies.map((c) => c.path) : [e.path],
      };
      if (e.startedAt !== undefined) v.startedAt = e.startedAt;
      if (e.ageHours !== undefined) v.ageHours = e.ageHours;
      if (e.label !== undefined) v.label = e.label;
      return v;
    }),
    toDelete: plan.toDelete.map((e) => e.setName),
    bytesToFree: plan.bytesToFree,
    problems: plan.problems,
  };
}

/** Nested draft -> dotted keys with leaf values (lists stay whole). */
export function flatten(
  obj: object,
  prefix = '',
  out: OctaneImportView['draft'] = {},
): OctaneImportView['draft'] {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[key] = v.map(String);
    else if (typeof v === 'object') flatten(v as object, key, out);
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
  }
  return out;
}
