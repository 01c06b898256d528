import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { PruneResultView, RetentionPlanView } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { formatBytes } from '@contract/format.js';
import { DeleteRegular } from '../../icons.js';
import { SectionCard, useFieldStyles } from '../profiles/section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { numberOrUndefined, str, type SectionProps } from '../profiles/section-props.js';
import { RetentionPlanTable } from './retention-plan-table.js';
import { differsFromSaved, storedName } from './saved-state.js';

export function RetentionSection(props: SectionProps) {
  const api = useApi();
  const f = useFieldStyles();
  const { state, set, problem } = props;
  const r = state.profile.retention;
  const name = storedName(state);
  const unsaved = differsFromSaved(state, 'retention');
  const [plan, setPlan] = useState<RetentionPlanView | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [confirm, setConfirm] = useState(false);
  const [result, setResult] = useState<PruneResultView | undefined>();

  const dryRun = async (): Promise<void> => {
    if (name === undefined) return;
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setPlan(await call(api, 'retention:plan', name));
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  const prune = async (): Promise<void> => {
    setConfirm(false);
    if (name === undefined || !plan) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await call(api, 'retention:prune', { profile: name, setNames: plan.toDelete }));
      setPlan(await call(api, 'retention:plan', name));
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: 'keepLast' | 'keepDays') => (
    <Field
      label={fieldLabel(`retention.${key}`)}
      hint={fieldHint(`retention.${key}`)}
      validationMessage={problem(`retention.${key}`)}
      validationState={problem(`retention.${key}`) ? 'error' : 'none'}
    >
      <Input
        name={`retention.${key}`}
        type="number"
        value={str(r?.[key])}
        onChange={(_e, d) => set(`retention.${key}`, numberOrUndefined(d.value))}
      />
    </Field>
  );

  return (
    <SectionCard
      testId="section-retention"
      icon={<DeleteRegular fontSize={24} />}
      title="Retention"
      description="Which old backups are deleted. Pinned (pre-upgrade) sets, the newest usable set, the set a run just wrote and folders that are not this profile's are never deleted; while the newest run failed nothing is deleted. A new profile proposes keeping the newest 7 sets and deleting older ones after each good run; without rules every set is kept."
    >
      {field('keepLast')}
      {field('keepDays')}
      <Checkbox
        className={f.wide}
        name="retention.pruneAfterRun"
        label={fieldLabel('retention.pruneAfterRun')}
        checked={r?.pruneAfterRun === true}
        onChange={(_e, d) => set('retention.pruneAfterRun', d.checked ? true : undefined)}
      />
      <div className={`${f.wide} ${f.row}`}>
        <Button disabled={busy || name === undefined} onClick={() => void dryRun()}>
          Dry run
        </Button>
        <Button
          icon={<DeleteRegular />}
          disabled={busy || !plan || plan.toDelete.length === 0 || unsaved}
          onClick={() => setConfirm(true)}
        >
          Prune now…
        </Button>
        <Text size={200}>
          {name === undefined
            ? 'Save the profile first.'
            : unsaved
              ? 'The dry run and the prune use the saved rules: save to apply these.'
              : 'Uses the saved rules, on every destination of the profile.'}
        </Text>
      </div>
      {error ? (
        <div className={f.wide}>
          <ErrorBar error={error} />
        </div>
      ) : null}
      {result ? (
        <MessageBar className={f.wide} intent={result.failed.length > 0 ? 'warning' : 'success'}>
          <MessageBarBody>
            Deleted {result.deleted.length} folder(s).
            {result.failed.map((x) => ` Could not delete ${x.path}: ${x.error}.`).join('')}
            {result.skipped.map((x) => ` Left ${x.path}: ${x.reason}.`).join('')}
            {result.notDeleted.length > 0 ? ` Kept after all: ${result.notDeleted.join(', ')}.` : ''}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {plan ? (
        <div className={f.wide}>
          <RetentionPlanTable plan={plan} />
        </div>
      ) : null}
      <Dialog open={confirm} onOpenChange={(_e, d) => setConfirm(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {plan?.toDelete.length ?? 0} backup set(s)?</DialogTitle>
            <DialogContent>
              <p>
                These sets are deleted on every destination ({formatBytes(plan?.bytesToFree)}). This cannot be
                undone:
              </p>
              <ul>
                {plan?.toDelete.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void prune()}>
                Delete
              </Button>
              <Button onClick={() => setConfirm(false)}>Keep them</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </SectionCard>
  );
}
