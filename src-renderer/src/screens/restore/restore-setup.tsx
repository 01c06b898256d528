import {
  Button,
  Card,
  Field,
  ProgressBar,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { formatBytes } from '@contract/format.js';
import { readinessOf, RESTORE_STAGES, type RestoreStageId } from '@contract/restore-run.js';
import type { VerifyProgressMessage } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { useRestore } from '../../state/restore-context.js';
import { useAsync } from '../../state/use-async.js';
import { ChecksStep } from './checks-step.js';
import { ComponentsStep } from './components-step.js';
import { ConfirmStep } from './confirm-step.js';
import { PlanStep } from './plan-step.js';
import { StepHeader, type WizardStep } from './step-header.js';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

const SETUP: WizardStep[] = ['Components', 'Preconditions', 'Plan', 'Confirm'];

/** Steps 1–4: choose, check, read the plan, confirm. Nothing is changed before the last button. */
export function RestoreSetup(props: { profile: string; setPath: string; onClose: () => void }) {
  const api = useApi();
  const restore = useRestore();
  const s = useStyles();
  const [step, setStep] = useState<WizardStep>('Components');
  const prepared = useAsync(
    () => call(api, 'restore:prepare', { profile: props.profile, setPath: props.setPath }),
    `${props.profile}\u0000${props.setPath}`,
  );
  const prep = prepared.value;
  const busy = prepared.loading;
  const [progress, setProgress] = useState<VerifyProgressMessage | undefined>();
  const [startError, setStartError] = useState<ErrorInfo | undefined>();
  const error = startError ?? prepared.error;
  const [picked, setPicked] = useState<Set<RestoreStageId> | undefined>();
  const selected = picked ?? (prep && new Set(prep.stages.filter((x) => x.available).map((x) => x.id)));
  const [stopped, setStopped] = useState(false);
  const [typed, setTyped] = useState('');
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!busy) return;
    return api.on('verify:progress', (m) => {
      if (m.setPath === props.setPath) setProgress(m);
    });
  }, [api, busy, props.setPath]);

  const chosen = RESTORE_STAGES.filter((id) => selected?.has(id));
  const readiness = prep ? readinessOf(prep, chosen, stopped) : undefined;
  const at = SETUP.indexOf(step);
  const start = async (): Promise<void> => {
    setStarting(true);
    setStartError(undefined);
    try {
      await restore.start({
        profile: props.profile,
        setPath: props.setPath,
        only: chosen,
        confirmName: typed,
        octaneStopped: stopped,
      });
    } catch (err) {
      setStartError(errorInfo(err));
      setStarting(false);
    }
  };
  const canGoOn =
    !!prep &&
    !busy &&
    (step === 'Components' ? chosen.length > 0 : step === 'Preconditions' ? readiness?.ready === true : true);
  return (
    <Card data-testid="restore-wizard" data-step={step}>
      <div className={s.body}>
        <StepHeader current={step} />
        {busy ? (
          <Field
            label={
              progress
                ? `Verifying the set: ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`
                : 'Verifying the set and checking the targets…'
            }
          >
            {progress ? (
              <ProgressBar value={progress.bytesTotal ? progress.bytesDone / progress.bytesTotal : 0} />
            ) : (
              <Spinner size="small" />
            )}
          </Field>
        ) : null}
        {error ? <ErrorBar error={error} title="The restore cannot go on" /> : null}
        {prep && selected && readiness ? (
          <>
            {step === 'Components' ? (
              <ComponentsStep
                prep={prep}
                selected={selected}
                onToggle={(id, on) => {
                  const next = new Set(selected);
                  if (on) next.add(id);
                  else next.delete(id);
                  setPicked(next);
                }}
              />
            ) : null}
            {step === 'Preconditions' ? (
              <ChecksStep
                prep={prep}
                selected={selected}
                readiness={readiness}
                stopped={stopped}
                onStopped={setStopped}
                checking={busy}
                onCheckAgain={prepared.reload}
              />
            ) : null}
            {step === 'Plan' ? <PlanStep prep={prep} selected={selected} /> : null}
            {step === 'Confirm' ? (
              <ConfirmStep
                prep={prep}
                selected={chosen}
                readiness={readiness}
                typed={typed}
                onTyped={setTyped}
              />
            ) : null}
          </>
        ) : null}
        <div className={s.actions}>
          <Button onClick={props.onClose} disabled={starting}>
            Close
          </Button>
          <Button onClick={() => setStep(SETUP[at - 1] ?? step)} disabled={at === 0 || starting}>
            Back
          </Button>
          {step !== 'Confirm' ? (
            <Button appearance="primary" disabled={!canGoOn} onClick={() => setStep(SETUP[at + 1] ?? step)}>
              Next
            </Button>
          ) : (
            <Button
              appearance="primary"
              disabled={typed !== props.profile || !readiness?.ready || starting}
              onClick={() => void start()}
            >
              {starting ? 'Checking again and starting…' : 'Restore'}
            </Button>
          )}
        </div>
        {prep && step !== 'Confirm' && !busy ? (
          <Text size={200}>Nothing is changed before the last step.</Text>
        ) : null}
      </div>
    </Card>
  );
}
