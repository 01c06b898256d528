import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { ScheduledTaskInfo, TaskStatusView } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { useAsync } from '../../state/use-async.js';
import { ErrorBar } from '../../components/error-bar.js';
import type { EditorState } from '../profiles/editor-model.js';
import { useFieldStyles } from '../profiles/section-card.js';
import { CopyBlock } from './copy-block.js';
import { differsFromSaved, storedName } from './saved-state.js';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL },
  muted: { color: tokens.colorNeutralForeground3 },
});

function TaskFacts({ task }: { task: TaskStatusView }) {
  const s = useStyles();
  if (!task.exists)
    return <Text data-testid="task-state">No scheduled task is installed for this profile.</Text>;
  const rows: [string, string | undefined][] = [
    ['State', task.enabled === false ? 'disabled' : task.status],
    ['Next run', task.nextRunTime],
    ['Last run', task.lastRunTime],
    [
      'Last result',
      task.lastResultText ?? (task.lastResult !== undefined ? String(task.lastResult) : undefined),
    ],
    ['Runs as', task.runAsUser],
    ['Triggers', task.schedules.join('; ') || undefined],
  ];
  return (
    <div className={s.facts} data-testid="task-state">
      {rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => (
          <Text key={k}>
            <Text weight="semibold">{k}: </Text>
            {v}
          </Text>
        ))}
    </div>
  );
}

/** The stored profile's scheduled task: Task Scheduler on Windows, timer files on Linux. */
export function ScheduledTask({ state }: { state: EditorState }) {
  const api = useApi();
  const s = useStyles();
  const f = useFieldStyles();
  const name = storedName(state);
  const savedAt = state.original?.updatedAt;
  const key = name === undefined ? undefined : `${name}\u0000${savedAt ?? ''}`;
  const status = useAsync(() => call(api, 'schedule:status', name as string), key);
  // What Install / Remove answered, for the task as saved now; otherwise the status as loaded.
  const [acted, setActed] = useState<{ key: string; info?: ScheduledTaskInfo; error?: ErrorInfo }>();
  const [busy, setBusy] = useState(false);
  const mine = acted !== undefined && acted.key === key ? acted : undefined;
  const info = mine?.info ?? status.value;
  const error = mine ? mine.error : status.error;

  const act = useCallback(
    async (channel: 'schedule:status' | 'schedule:install' | 'schedule:remove', who: string) => {
      if (key === undefined) return;
      setBusy(true);
      setActed({ key });
      try {
        setActed({ key, info: await call(api, channel, who) });
      } catch (err) {
        setActed({ key, error: errorInfo(err) });
      } finally {
        setBusy(false);
      }
    },
    [api, key],
  );

  if (name === undefined)
    return <Text className={`${f.wide} ${s.muted}`}>Save the profile to install its scheduled task.</Text>;
  const unsaved = differsFromSaved(state, 'schedule');
  return (
    <div className={`${f.wide} ${s.box}`} data-testid="scheduled-task">
      <Text weight="semibold">Scheduled task</Text>
      {info ? (
        <Text size={200}>
          Runs <code>{info.command}</code> — the app without a window, whether or not the app is open.
        </Text>
      ) : null}
      {unsaved ? (
        <Text className={s.muted}>Save the profile first: the task uses the saved schedule.</Text>
      ) : null}
      {error ? <ErrorBar error={error} /> : null}
      {info?.message ? <Text>{info.message}</Text> : null}
      {!info && !error ? <Spinner size="tiny" label="Asking the scheduler…" /> : null}
      {info?.windows ? (
        <>
          <TaskFacts task={info.windows} />
          <div className={f.row}>
            <Button
              appearance="primary"
              disabled={busy || unsaved || info.noSchedule === true}
              onClick={() => void act('schedule:install', name)}
            >
              {info.windows.exists ? 'Update scheduled task' : 'Install scheduled task'}
            </Button>
            <Button disabled={busy || !info.windows.exists} onClick={() => void act('schedule:remove', name)}>
              Remove
            </Button>
            <Button appearance="subtle" disabled={busy} onClick={() => void act('schedule:status', name)}>
              Refresh
            </Button>
          </div>
        </>
      ) : null}
      {info?.linux ? (
        <>
          <Text>
            Install the systemd timer (catches up runs missed while the machine was off) as root, or use the
            cron line.
          </Text>
          <CopyBlock title={info.linux.timerFile} text={info.linux.timer} />
          <CopyBlock title={info.linux.serviceFile} text={info.linux.service} />
          <CopyBlock title="Install" text={info.linux.installSteps.join('\n')} />
          <CopyBlock title="cron line (instead of systemd)" text={info.linux.cronLine} />
        </>
      ) : null}
      {info && !info.windows && !info.linux ? (
        <Text className={s.muted}>
          {info.noSchedule
            ? 'Save a schedule to see the task.'
            : 'This system has no scheduler the app knows.'}
        </Text>
      ) : null}
    </div>
  );
}
