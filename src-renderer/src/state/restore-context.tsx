// The restore lives above the screens, so its progress survives a look at another screen (it can
// run for hours). One restore at a time, as main allows.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  type ReactNode,
} from 'react';
import type {
  RestoreDoneMessage,
  RestoreEventMessage,
  RestoreJob,
  RestoreStartRequest,
} from '@contract/restore-run.js';
import { call, useApi } from '../api/api-context.js';
import { applyRestoreDone, applyRestoreEvent, initialRestore, type RestoreView } from './restore-state.js';

type Action =
  | { type: 'job'; job: RestoreJob }
  | { type: 'event'; msg: RestoreEventMessage }
  | { type: 'done'; msg: RestoreDoneMessage }
  | { type: 'cancel-requested' }
  | { type: 'clear' };

function reducer(v: RestoreView | undefined, a: Action): RestoreView | undefined {
  const ensure = (jobId: string, profile?: string): RestoreView =>
    v && v.jobId === jobId ? v : initialRestore(jobId, profile);
  switch (a.type) {
    case 'job':
      return { ...ensure(a.job.jobId, a.job.profile), profile: a.job.profile, setPath: a.job.setPath };
    case 'event':
      return applyRestoreEvent(ensure(a.msg.jobId), a.msg.event);
    case 'done':
      // A restore that never started is answered to the wizard by restore:start itself.
      if (!a.msg.result.ok && v?.jobId !== a.msg.jobId) return v;
      return applyRestoreDone(ensure(a.msg.jobId, a.msg.profile), a.msg);
    case 'cancel-requested':
      return v && { ...v, cancelRequested: true };
    case 'clear':
      return v && !v.done ? v : undefined;
  }
}

interface RestoreApi {
  /** The restore running, or the last one finished in this session (until cleared). */
  current: RestoreView | undefined;
  start(req: RestoreStartRequest): Promise<RestoreJob>;
  cancel(): Promise<void>;
  /** Forgets a finished restore (back to History). */
  clear(): void;
}

const RestoreContext = createContext<RestoreApi | undefined>(undefined);

export function RestoreProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [current, dispatch] = useReducer(reducer, undefined);
  useEffect(() => {
    const offEvent = api.on('restore:event', (msg) => dispatch({ type: 'event', msg }));
    const offDone = api.on('restore:done', (msg) => dispatch({ type: 'done', msg }));
    return () => {
      offEvent();
      offDone();
    };
  }, [api]);
  const start = useCallback(
    async (req: RestoreStartRequest) => {
      const job = await call(api, 'restore:start', req);
      dispatch({ type: 'job', job });
      return job;
    },
    [api],
  );
  const jobId = current?.jobId;
  const cancel = useCallback(async () => {
    if (!jobId) return;
    dispatch({ type: 'cancel-requested' });
    await call(api, 'restore:cancel', jobId);
  }, [api, jobId]);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  const value = useMemo<RestoreApi>(
    () => ({ current, start, cancel, clear }),
    [current, start, cancel, clear],
  );
  return <RestoreContext.Provider value={value}>{children}</RestoreContext.Provider>;
}

export function useRestore(): RestoreApi {
  const r = useContext(RestoreContext);
  if (!r) throw new Error('useRestore outside RestoreProvider');
  return r;
}
