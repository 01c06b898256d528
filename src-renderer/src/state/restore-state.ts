// One restore as the wizard shows it, built from the engine's RestoreEvent stream. Pure: tested alone.
import type { ErrorInfo } from '@contract/errors.js';
import type { StepCounters } from '@contract/events.js';
import {
  cancelLeaves,
  RESTORE_STAGES,
  RESTORE_STAGE_TITLES,
  type RestoreDoneMessage,
  type RestoreEvent,
  type RestoreReport,
  type RestoreStageId,
  type RestoreStageStatus,
} from '@contract/restore-run.js';

export const RESTORE_LOG_LINES_KEPT = 300;

export interface RestoreStageView {
  id: RestoreStageId;
  title: string;
  selected: boolean;
  status: RestoreStageStatus | 'pending';
  /** 0..1 within the stage. */
  fraction: number;
  counters: StepCounters;
  /** What a Cancel now leaves of this stage (from the engine). */
  leaves?: string;
  lastActivityAt?: string;
  durationMs?: number;
  /** The state the stage left its store in. */
  state?: string;
  error?: ErrorInfo;
  warnings: { code: string; message: string }[];
}

export interface RestoreView {
  jobId: string;
  profile: string;
  setPath?: string;
  setName?: string;
  stages: RestoreStageView[];
  /** 0..1 over the whole restore. */
  overall: number;
  logs: { at: string; level: 'info' | 'warn' | 'error'; message: string }[];
  report?: RestoreReport;
  /** Why it did not start, or failed outside any stage. */
  error?: ErrorInfo;
  done: boolean;
  cancelRequested: boolean;
}

export function initialRestore(jobId: string, profile = ''): RestoreView {
  return {
    jobId,
    profile,
    stages: RESTORE_STAGES.map((id) => ({
      id,
      title: RESTORE_STAGE_TITLES[id],
      selected: false,
      status: 'pending',
      fraction: 0,
      counters: {},
      warnings: [],
    })),
    overall: 0,
    logs: [],
    done: false,
    cancelRequested: false,
  };
}

function update(
  v: RestoreView,
  id: RestoreStageId,
  f: (s: RestoreStageView) => RestoreStageView,
): RestoreView {
  return { ...v, stages: v.stages.map((s) => (s.id === id ? f(s) : s)) };
}

export function applyRestoreEvent(v: RestoreView, e: RestoreEvent): RestoreView {
  switch (e.type) {
    case 'restore-started':
      return {
        ...v,
        profile: e.profile,
        setPath: e.setPath,
        setName: e.setName,
        stages: v.stages.map((s) => {
          const p = e.stages.find((x) => x.id === s.id);
          return p ? { ...s, title: p.title, selected: p.selected } : s;
        }),
      };
    case 'stage-started':
      return update(v, e.stage, (s) => ({ ...s, title: e.title, status: 'running', lastActivityAt: e.at }));
    case 'stage-progress':
      return {
        ...update(v, e.stage, (s) => ({
          ...s,
          status: 'running',
          fraction: e.fraction,
          counters: e.counters,
          lastActivityAt: e.at,
          ...(e.leaves !== undefined && { leaves: e.leaves }),
        })),
        overall: Math.max(v.overall, e.overall),
      };
    case 'stage-warning':
      return update(v, e.stage, (s) => ({
        ...s,
        warnings: [...s.warnings, { code: e.code, message: e.message }],
      }));
    case 'stage-finished':
      return update(v, e.stage, (s) => ({
        ...s,
        status: e.status,
        state: e.state,
        ...(e.durationMs !== undefined && { durationMs: e.durationMs }),
        ...(e.error && { error: e.error }),
        fraction: e.status === 'succeeded' || e.status === 'succeeded-with-warnings' ? 1 : s.fraction,
      }));
    case 'log': {
      const line = { at: e.at, level: e.level, message: e.message };
      const logs =
        v.logs.length >= RESTORE_LOG_LINES_KEPT
          ? [...v.logs.slice(1 - RESTORE_LOG_LINES_KEPT), line]
          : [...v.logs, line];
      return { ...v, logs };
    }
    case 'restore-finished':
      return {
        ...v,
        report: e.report,
        overall: e.status === 'succeeded' || e.status === 'succeeded-with-warnings' ? 1 : v.overall,
        stages: v.stages.map((s) => {
          const r = e.report.stages.find((x) => x.id === s.id);
          return r && s.status === 'pending' ? { ...s, status: r.status, state: r.state } : s;
        }),
      };
  }
}

export function applyRestoreDone(v: RestoreView, msg: RestoreDoneMessage): RestoreView {
  return msg.result.ok
    ? { ...v, done: true, report: msg.result.value }
    : { ...v, done: true, error: msg.result.error };
}

/** What a Cancel would leave right now, in words for the confirmation dialog. */
export function cancelText(v: RestoreView): string {
  const running = v.stages.find((s) => s.status === 'running');
  return cancelLeaves(
    v.stages.map((s) => ({ id: s.id, status: s.status, selected: s.selected })),
    running && { id: running.id, ...(running.leaves !== undefined && { leaves: running.leaves }) },
  );
}
