// History → a set → "Rehearse restore": restores the set onto scratch targets in main (never the
// live installation), shows the store being rehearsed, and the record it wrote into the set.
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { formatDateTime, formatDuration } from '@contract/format.js';
import { rehearsalWords, type RehearsalRecord, type SetSummary } from '@contract/sets.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { PlayRegular } from '../../icons.js';

interface State {
  busy: boolean;
  jobId?: string;
  stage?: string;
  record?: RehearsalRecord;
  error?: ErrorInfo;
}

export function RehearseAction({ set, onDone }: { set: SetSummary; onDone?: () => void }) {
  const api = useApi();
  const [state, setState] = useState<State>({ busy: false });
  // The job's messages are matched by id; subscribed before the start so none is missed.
  const job = useRef<string | undefined>(undefined);
  useEffect(() => {
    const offEvent = api.on('rehearsal:event', (m) => {
      if (m.jobId === job.current && m.event.type === 'stage-started')
        setState((s) => ({ ...s, stage: m.event.type === 'stage-started' ? m.event.title : s.stage }));
    });
    const offDone = api.on('rehearsal:done', (m) => {
      if (m.jobId !== job.current) return;
      job.current = undefined;
      setState(
        m.result.ok ? { busy: false, record: m.result.value } : { busy: false, error: m.result.error },
      );
      onDone?.();
    });
    return () => {
      offEvent();
      offDone();
    };
  }, [api, onDone]);

  const start = async (): Promise<void> => {
    setState({ busy: true });
    try {
      const { jobId } = await call(api, 'rehearsal:start', { profile: set.profile, setPath: set.path });
      job.current = jobId;
      setState((s) => (s.busy ? { ...s, jobId } : s));
    } catch (err) {
      setState({ busy: false, error: errorInfo(err) });
    }
  };
  const r = state.record;
  return (
    <div data-testid="rehearse-action">
      <Button icon={<PlayRegular />} disabled={state.busy} onClick={() => void start()}>
        Rehearse restore
      </Button>
      {state.busy ? (
        <MessageBar intent="info" data-testid="rehearse-running">
          <MessageBarBody>
            <MessageBarTitle>Rehearsing on scratch targets</MessageBarTitle>
            {state.stage ? `${state.stage}…` : 'Verifying the set…'} The live installation is not touched.
          </MessageBarBody>
          {state.jobId ? (
            <Button size="small" onClick={() => void call(api, 'rehearsal:cancel', state.jobId ?? '')}>
              Cancel
            </Button>
          ) : null}
        </MessageBar>
      ) : null}
      {r ? (
        <MessageBar intent={r.result === 'passed' ? 'success' : 'error'} data-testid="rehearse-result">
          <MessageBarBody>
            <MessageBarTitle>
              {rehearsalWords(r, (iso) => formatDateTime(iso), formatDuration)}
            </MessageBarTitle>
            {r.stores.map((s) => (
              <Text block key={s.id}>
                {s.id}: {s.status}
                {s.durationMs !== undefined ? ` in ${formatDuration(s.durationMs / 1000)}` : ''}
                {s.problem ? ` — ${s.problem}` : ''}
              </Text>
            ))}
            {r.problems.length ? <Text block>{r.problems.join(' ')}</Text> : null}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {state.error ? <ErrorBar error={state.error} title="Not rehearsed" /> : null}
    </div>
  );
}
