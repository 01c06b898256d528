import {
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { Readiness, RestorePreparation, RestoreStageId } from '@contract/restore-run.js';
import { ArrowSyncRegular } from '../../icons.js';
import { CheckRow } from './check-row.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
});

/** Step 2: Octane stopped, the set, each target: every check with its fix. */
export function ChecksStep(props: {
  prep: RestorePreparation;
  selected: ReadonlySet<RestoreStageId>;
  readiness: Readiness;
  stopped: boolean;
  onStopped: (on: boolean) => void;
  checking: boolean;
  onCheckAgain: () => void;
}) {
  const s = useStyles();
  const scopes = new Set<string>(['octane', 'set', ...props.selected]);
  const checks = props.prep.checks.filter((c) => scopes.has(c.scope));
  const order = (c: (typeof checks)[number]): number =>
    c.scope === 'octane' ? 0 : c.scope === 'set' ? 1 : 2;
  return (
    <>
      <div className={s.bar}>
        <Button icon={<ArrowSyncRegular />} onClick={props.onCheckAgain} disabled={props.checking}>
          Check again
        </Button>
        {props.checking ? <Spinner size="tiny" label="Verifying the set and checking the targets…" /> : null}
      </div>
      <div className={s.list}>
        {[...checks]
          .sort((a, b) => order(a) - order(b))
          .map((c) => (
            <CheckRow key={`${c.scope}:${c.id}:${c.message}`} check={c} />
          ))}
      </div>
      {props.prep.confirmStopped ? (
        <Checkbox
          data-testid="octane-stopped"
          checked={props.stopped}
          onChange={(_e, d) => props.onStopped(d.checked === true)}
          label="Octane is stopped on every node (and the Synchronizer): nothing can write to the database, the indices or the repository folder."
        />
      ) : null}
      {props.readiness.ready ? (
        <MessageBar intent="success">
          <MessageBarBody>Every precondition holds.</MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="error" data-testid="restore-problems">
          <MessageBarBody>
            <MessageBarTitle>The restore cannot start yet</MessageBarTitle>
            {props.readiness.problems.map((x) => (
              <div key={x}>{x}</div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
