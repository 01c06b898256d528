import { Button, Card, Field, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { StatusBadge } from '../../components/status-badge.js';
import { StopRegular } from '../../icons.js';
import { useRestore } from '../../state/restore-context.js';
import { cancelText, type RestoreView } from '../../state/restore-state.js';
import { CancelRestoreDialog } from './cancel-restore-dialog.js';
import { ResultStep } from './result-step.js';
import { StageRow } from './stage-row.js';
import { StepHeader } from './step-header.js';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  head: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  grow: { flexGrow: 1 },
  divider: { borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  actions: { display: 'flex', justifyContent: 'flex-end' },
});

/** Steps 5–6: each store's progress like the Run screen, Cancel that says what it leaves, the result. */
export function RestoreRun({ view, onClose }: { view: RestoreView; onClose: () => void }) {
  const s = useStyles();
  const restore = useRestore();
  const [confirm, setConfirm] = useState(false);
  const status = view.report?.status;
  return (
    <Card data-testid="restore-run" data-done={view.done ? 'true' : 'false'}>
      <div className={s.body}>
        <StepHeader current={view.done ? 'Result' : 'Restore'} />
        <div className={s.head}>
          <Text size={500} weight="semibold" className={s.grow}>
            Restore of set {view.setName ?? ''} into “{view.profile}”
          </Text>
          {!view.done ? (
            <Button icon={<StopRegular />} onClick={() => setConfirm(true)} disabled={view.cancelRequested}>
              {view.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </Button>
          ) : status ? (
            <StatusBadge status={status} />
          ) : null}
        </div>
        <Field label={`Overall ${Math.round(view.overall * 100)} %`}>
          <ProgressBar value={view.overall} thickness="large" aria-label="Overall restore progress" />
        </Field>
        <div aria-label="Stores: database, Elasticsearch, config files, repository folder">
          {view.stages.map((st, i) => (
            <div key={st.id} className={i > 0 ? s.divider : undefined}>
              <StageRow stage={st} index={i} />
            </div>
          ))}
        </div>
        {view.done ? (
          <ResultStep
            {...(view.report && { report: view.report })}
            {...(view.error && { error: view.error })}
          />
        ) : null}
        {view.done ? (
          <div className={s.actions}>
            <Button appearance="primary" onClick={onClose}>
              Back to History
            </Button>
          </div>
        ) : null}
      </div>
      <CancelRestoreDialog
        open={confirm && !view.done}
        leaves={cancelText(view)}
        onClose={() => setConfirm(false)}
        onConfirm={() => {
          setConfirm(false);
          void restore.cancel().catch(() => undefined);
        }}
      />
    </Card>
  );
}
