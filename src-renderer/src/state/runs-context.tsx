// Runs live above the screens so a run keeps its progress while the admin looks elsewhere.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  type ReactNode,
} from 'react';
import type { RunEvent } from '@contract/events.js';
import type { RunDoneMessage, RunJob, RunRequest } from '@contract/ui.js';
import { call, useApi } from '../api/api-context.js';
import { applyRunDone, applyRunEvent, initialRun, type RunView } from './run-state.js';

type Action =
  | { type: 'job'; job: RunJob }
  | { type: 'event'; jobId: string; event: RunEvent }
  | { type: 'done'; msg: RunDoneMessage }
  | { type: 'cancel-requested'; jobId: string };

interface State {
  byId: Record<string, RunView>;
  /** Newest first. */
  order: string[];
}

function placeholderJob(jobId: string, e?: RunEvent, profile?: string): RunJob {
  return {
    jobId,
    profile: e?.type === 'run-started' ? e.profile : (profile ?? ''),
    kind: e?.type === 'run-started' ? e.kind : 'manual',
    startedAt: e?.at ?? new Date().toISOString(),
  };
}

function reducer(state: State, a: Action): State {
  const ensure = (jobId: string, job: RunJob): State =>
    state.byId[jobId]
      ? state
      : { byId: { ...state.byId, [jobId]: initialRun(job) }, order: [jobId, ...state.order] };
  switch (a.type) {
    case 'job': {
      const s = ensure(a.job.jobId, a.job);
      const v = s.byId[a.job.jobId] as RunView;
      // Events may arrive before the start call returns: keep them, take the job's own facts.
      return { ...s, byId: { ...s.byId, [a.job.jobId]: { ...v, job: a.job } } };
    }
    case 'event': {
      const s = ensure(a.jobId, placeholderJob(a.jobId, a.event));
      const v = s.byId[a.jobId] as RunView;
      let next = applyRunEvent(v, a.event);
      if (a.event.type === 'run-started' && !next.job.profile)
        next = { ...next, job: { ...next.job, profile: a.event.profile, kind: a.event.kind } };
      return { ...s, byId: { ...s.byId, [a.jobId]: next } };
    }
    case 'done': {
      const s = ensure(a.msg.jobId, placeholderJob(a.msg.jobId, undefined, a.msg.profile));
      return {
        ...s,
        byId: { ...s.byId, [a.msg.jobId]: applyRunDone(s.byId[a.msg.jobId] as RunView, a.msg) },
      };
    }
    case 'cancel-requested': {
      const v = state.byId[a.jobId];
      return v ? { ...state, byId: { ...state.byId, [a.jobId]: { ...v, cancelRequested: true } } } : state;
    }
  }
}

interface RunsApi {
  runs: RunView[];
  get(jobId: string): RunView | undefined;
  /** The newest run of a profile (running or finished in this session). */
  latestFor(profile: string): RunView | undefined;
  start(req: RunRequest): Promise<RunJob>;
  cancel(jobId: string): Promise<void>;
}

const RunsContext = createContext<RunsApi | undefined>(undefined);

export function RunsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [state, dispatch] = useReducer(reducer, { byId: {}, order: [] });

  useEffect(() => {
    const offEvent = api.on('run:event', (m) => dispatch({ type: 'event', jobId: m.jobId, event: m.event }));
    const offDone = api.on('run:done', (msg) => dispatch({ type: 'done', msg }));
    call(api, 'runs:active').then(
      (jobs) => jobs.forEach((job) => dispatch({ type: 'job', job })),
      () => undefined,
    );
    return () => {
      offEvent();
      offDone();
    };
  }, [api]);

  const start = useCallback(
    async (req: RunRequest) => {
      const job = await call(api, 'runs:start', req);
      dispatch({ type: 'job', job });
      return job;
    },
    [api],
  );
  const cancel = useCallback(
    async (jobId: string) => {
      dispatch({ type: 'cancel-requested', jobId });
      await call(api, 'runs:cancel', jobId);
    },
    [api],
  );

  const value = useMemo<RunsApi>(() => {
    const runs = state.order.map((id) => state.byId[id] as RunView);
    return {
      runs,
      get: (id) => state.byId[id],
      latestFor: (profile) => runs.find((r) => r.job.profile === profile),
      start,
      cancel,
    };
  }, [state, start, cancel]);
  return <RunsContext.Provider value={value}>{children}</RunsContext.Provider>;
}

export function useRuns(): RunsApi {
  const r = useContext(RunsContext);
  if (!r) throw new Error('useRuns outside RunsProvider');
  return r;
}
