import {
  Button,
  Card,
  Dropdown,
  Field,
  Option,
  ProgressBar,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { BackupKind } from '@contract/profile.js';
import type { ProfileRecord } from '@contract/ui.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { StatusBadge } from '../../components/status-badge.js';
import { formatDateTime } from '@contract/format.js';
import { STATUS_LABELS } from '@contract/words.js';
import { PlayRegular, ShieldCheckmarkRegular, StopRegular } from '../../icons.js';
import { isRunning, type RunView } from '../../state/run-state.js';
import { useRuns } from '../../state/runs-context.js';
import { useNow } from '../../state/use-now.js';
import { LogTail } from './log-tail.js';
import { CancelDialog, PreUpgradeDialog } from './run-dialogs.js';
import { RunSummary } from './run-summary.js';
import { StepRow } from './step-row.js';

const useStyles = makeStyles({
  // Read by screen readers, not shown.
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  title: { margin: 0 },
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  head: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  grow: { flexGrow: 1 },
  timeline: { display: 'flex', flexDirection: 'column' },
  divider: { borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
});

const KIND_TEXT: Record<BackupKind, string> = {
  manual: 'Manual backup',
  scheduled: 'Scheduled backup',
  'pre-upgrade': 'Pre-upgrade dump',
};

function RunPanel({ run }: { run: RunView }) {
  const s = useStyles();
  const runs = useRuns();
  const now = useNow(1000);
  const [confirm, setConfirm] = useState(false);
  const running = isRunning(run);
  const outcome = run.outcome;
  const heading = useRef<HTMLHeadingElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // A run shown (after Back up now, or when the admin comes back to it) takes the focus on purpose.
  useEffect(() => heading.current?.focus(), []);
  // Announced politely, once per step and at the end, never every percent.
  const current = run.steps.find((st) => st.status === 'running');
  const announcement = outcome
    ? outcome.ok
      ? `Backup finished: ${STATUS_LABELS[outcome.value.status]}. The summary follows.`
      : 'The backup did not run.'
    : current
      ? `Now backing up: ${current.title}.`
      : '';
  return (
    <>
      <Card data-testid="run-panel" data-running={running ? 'true' : 'false'}>
        <Text role="status" aria-live="polite" className={s.visuallyHidden} data-testid="run-announcement">
          {announcement}
        </Text>
        <div className={s.head}>
          <Text as="h2" ref={heading} tabIndex={-1} size={500} weight="semibold" className={s.grow}>
            {KIND_TEXT[run.job.kind]} of “{run.job.profile}”{run.job.label ? ` — ${run.job.label}` : ''}
          </Text>
          <Text>started {formatDateTime(run.job.startedAt)}</Text>
          {running ? (
            <Button
              ref={cancelButton}
              icon={<StopRegular />}
              onClick={() => setConfirm(true)}
              disabled={run.cancelRequested}
            >
              {run.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : outcome?.ok ? (
            <StatusBadge status={outcome.value.status} />
          ) : null}
        </div>
        <Field
          label={`Overall ${Math.round(run.overall * 100)} %${run.setName ? ` — set ${run.setName}` : ''}`}
        >
          <ProgressBar value={run.overall} thickness="large" aria-label="Overall progress" />
        </Field>
        <div className={s.timeline} aria-label="Steps: database, then Elasticsearch, then repository folder">
          {run.steps.map((st, i) => (
            <div key={st.id} className={i > 0 ? s.divider : undefined}>
              <StepRow step={st} now={now} index={i} />
            </div>
          ))}
        </div>
        <LogTail lines={run.logs} />
      </Card>
      {outcome && !outcome.ok ? <ErrorBar error={outcome.error} title="The backup did not run" /> : null}
      {outcome?.ok ? <RunSummary outcome={outcome.value} /> : null}
      <CancelDialog
        open={confirm}
        profile={run.job.profile}
        onClose={() => {
          setConfirm(false);
          // Esc or "Keep running": the focus goes back where it was, not to the top of the page.
          cancelButton.current?.focus();
        }}
        onConfirm={() => {
          setConfirm(false);
          void runs.cancel(run.job.jobId).catch(() => undefined);
        }}
      />
    </>
  );
}

export function RunScreen(props: {
  profiles: ProfileRecord[];
  selected?: string;
  onSelect: (name: string) => void;
}) {
  const s = useStyles();
  const runs = useRuns();
  const [startError, setStartError] = useState<ErrorInfo | undefined>();
  const [preUpgrade, setPreUpgrade] = useState(false);
  const [starting, setStarting] = useState(false);
  const name = props.selected ?? props.profiles[0]?.profile.profile;
  const run = name !== undefined ? runs.latestFor(name) : undefined;
  const busy = starting || (run !== undefined && isRunning(run));

  const start = async (kind: BackupKind, label?: string): Promise<void> => {
    if (name === undefined) return;
    setStartError(undefined);
    setStarting(true);
    try {
      await runs.start(label ? { profile: name, kind, label } : { profile: name, kind });
    } catch (err) {
      setStartError(errorInfo(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <div className={s.root}>
      <Title2 as="h1" className={s.title}>
        Run
      </Title2>
      <div className={s.bar}>
        <Field label="Profile">
          <Dropdown
            aria-label="Profile to back up"
            value={name ?? ''}
            selectedOptions={name ? [name] : []}
            placeholder="No profiles yet"
            onOptionSelect={(_e, d) => d.optionValue && props.onSelect(d.optionValue)}
          >
            {props.profiles.map((p) => (
              <Option key={p.profile.profile} value={p.profile.profile}>
                {p.profile.profile}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button
          appearance="primary"
          icon={<PlayRegular />}
          disabled={name === undefined || busy}
          onClick={() => void start('manual')}
        >
          Back up now
        </Button>
        <Button
          icon={<ShieldCheckmarkRegular />}
          disabled={name === undefined || busy}
          onClick={() => setPreUpgrade(true)}
        >
          Pre-upgrade dump…
        </Button>
      </div>
      {startError ? <ErrorBar error={startError} title="The backup did not start" /> : null}
      {run ? (
        <RunPanel key={run.job.jobId} run={run} />
      ) : (
        <Text>
          {name === undefined
            ? 'There is no profile yet: set one up from the Overview or under Profiles, then back it up here.'
            : `No backup of “${name}” has run since the app started. Past backups are in History.`}
        </Text>
      )}
      {name !== undefined ? (
        <PreUpgradeDialog
          key={String(preUpgrade)}
          open={preUpgrade}
          profile={name}
          onClose={() => setPreUpgrade(false)}
          onStart={(label) => {
            setPreUpgrade(false);
            void start('pre-upgrade', label);
          }}
        />
      ) : null}
    </div>
  );
}
