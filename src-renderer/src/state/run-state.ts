// One run as the Run screen shows it, built from the engine's RunEvent stream. Pure: tested alone.
import type { ErrorInfo } from '@contract/errors.js';
import type { ComponentStatus, RunEvent, SkewInfo, StepCounters } from '@contract/events.js';
import { COMPONENT_IDS, type ComponentId } from '@contract/profile.js';
import type { Result } from '@contract/result.js';
import type { RunDoneMessage, RunJob, RunOutcome } from '@contract/ui.js';

export const LOG_LINES_KEPT = 500;

export interface StepView {
  id: ComponentId;
  title: string;
  enabled: boolean;
  status: ComponentStatus | 'pending';
  /** 0..1 within the step. */
  fraction: number;
  counters: StepCounters;
  /** ISO time of the step's last sign of life (start or progress). */
  lastActivityAt?: string;
  error?: ErrorInfo;
  artifacts?: number;
  bytes?: number;
  warnings: { code: string; message: string }[];
}

export interface LogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  step?: ComponentId;
  message: string;
}

export interface RunView {
  job: RunJob;
  setName?: string;
  setPaths: string[];
  steps: StepView[];
  /** 0..1 over the whole run (weighted by the engine). */
  overall: number;
  logs: LogLine[];
  finished?: {
    status: Extract<RunEvent, { type: 'run-finished' }>['status'];
    skew: SkewInfo;
    warnings: number;
    error?: ErrorInfo;
  };
  /** The final answer from main: the outcome with the manifest, or why the run never started. */
  outcome?: Result<RunOutcome>;
  cancelRequested: boolean;
}

const TITLES: Record<ComponentId, string> = {
  database: 'Database',
  elasticsearch: 'Elasticsearch',
  repository: 'Repository folder',
};

export function initialRun(job: RunJob): RunView {
  return {
    job,
    setPaths: [],
    steps: COMPONENT_IDS.map((id) => ({
      id,
      title: TITLES[id],
      enabled: true,
      status: 'pending',
      fraction: 0,
      counters: {},
      warnings: [],
    })),
    overall: 0,
    logs: [],
    cancelRequested: false,
  };
}

function updateStep(view: RunView, id: ComponentId, f: (s: StepView) => StepView): RunView {
  return { ...view, steps: view.steps.map((s) => (s.id === id ? f(s) : s)) };
}

export function applyRunEvent(view: RunView, e: RunEvent): RunView {
  switch (e.type) {
    case 'run-started':
      return {
        ...view,
        setName: e.setName,
        setPaths: e.setPaths,
        steps: COMPONENT_IDS.map((id) => {
          const plan = e.steps.find((p) => p.id === id);
          const old = view.steps.find((s) => s.id === id);
          return {
            ...(old ?? { id, fraction: 0, counters: {}, warnings: [] }),
            id,
            // The engine titles skipped steps in lower case; the timeline keeps its own names for them.
            title: plan?.enabled ? plan.title : TITLES[id],
            enabled: plan?.enabled ?? false,
            status: old?.status ?? 'pending',
          };
        }),
      };
    case 'step-started':
      return updateStep(view, e.step, (s) => ({
        ...s,
        title: e.title,
        status: 'running',
        lastActivityAt: e.at,
      }));
    case 'step-progress':
      return {
        ...updateStep(view, e.step, (s) => ({
          ...s,
          status: 'running',
          fraction: e.fraction,
          counters: e.counters,
          lastActivityAt: e.at,
        })),
        overall: Math.max(view.overall, e.overall),
      };
    case 'step-warning':
      return updateStep(view, e.step, (s) => ({
        ...s,
        warnings: [...s.warnings, { code: e.code, message: e.message }],
      }));
    case 'step-finished':
      return updateStep(view, e.step, (s) => {
        const next: StepView = {
          ...s,
          status: e.status,
          artifacts: e.artifacts,
          bytes: e.bytes,
          fraction: e.status === 'succeeded' || e.status === 'succeeded-with-warnings' ? 1 : s.fraction,
        };
        if (e.status === 'skipped') next.enabled = false;
        if (e.error) next.error = e.error;
        return next;
      });
    case 'log': {
      const line: LogLine = { at: e.at, level: e.level, message: e.message };
      if (e.step) line.step = e.step;
      const logs =
        view.logs.length >= LOG_LINES_KEPT
          ? [...view.logs.slice(view.logs.length - LOG_LINES_KEPT + 1), line]
          : [...view.logs, line];
      return { ...view, logs };
    }
    case 'run-finished': {
      const finished: NonNullable<RunView['finished']> = {
        status: e.status,
        skew: e.skew,
        warnings: e.warnings,
      };
      if (e.error) finished.error = e.error;
      return {
        ...view,
        setName: e.setName,
        setPaths: e.setPaths,
        finished,
        overall: e.status === 'cancelled' || e.status === 'failed' ? view.overall : 1,
      };
    }
  }
}

export function applyRunDone(view: RunView, msg: RunDoneMessage): RunView {
  return { ...view, outcome: msg.result };
}

export function isRunning(view: RunView): boolean {
  return view.outcome === undefined;
}
