import {
  Checkbox,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { formatBytes, formatDateTime } from '@contract/format.js';
import type { RestorePreparation, RestoreStageId } from '@contract/restore-run.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  reason: { color: tokens.colorNeutralForeground3, marginLeft: '32px' },
});

const VERDICT = {
  intact: { intent: 'success', title: 'The set verified intact' },
  'intact-partial': { intent: 'warning', title: 'Intact, but not a full Octane backup' },
  damaged: { intent: 'error', title: 'The set is damaged or incomplete' },
} as const;

/** Step 1: what the set holds, verified, and what to restore (in the order it runs). */
export function ComponentsStep(props: {
  prep: RestorePreparation;
  selected: ReadonlySet<RestoreStageId>;
  onToggle: (id: RestoreStageId, on: boolean) => void;
}) {
  const s = useStyles();
  const p = props.prep;
  const v = VERDICT[p.verify.verdict];
  return (
    <>
      <MessageBar intent={v.intent} data-testid="restore-verdict" data-verdict={p.verify.verdict}>
        <MessageBarBody>
          <MessageBarTitle>{v.title}</MessageBarTitle>
          Set {p.setName}, taken {formatDateTime(p.takenAt)} by profile “{p.setProfile}”, restored into the
          installation of “{p.profile}”.
          {p.verify.problems.length ? <div>{p.verify.problems.slice(0, 4).join(' ')}</div> : null}
          {p.verify.verdict !== 'intact' ? (
            <div>
              Only the components that verified intact can be chosen; the others stay as they are now.
            </div>
          ) : null}
        </MessageBarBody>
      </MessageBar>
      <Text weight="semibold">Restore, in this order:</Text>
      <div className={s.list}>
        {p.stages.map((st) => (
          <div
            key={st.id}
            data-testid="restore-stage-choice"
            data-stage={st.id}
            data-available={st.available}
          >
            <Checkbox
              label={`${st.title}${st.available ? ` — ${formatBytes(st.bytes)}` : ''}`}
              checked={props.selected.has(st.id)}
              disabled={!st.available}
              onChange={(_e, d) => props.onToggle(st.id, d.checked === true)}
            />
            {!st.available ? (
              <Text block className={s.reason}>
                Not restorable: {st.reason}
              </Text>
            ) : null}
          </div>
        ))}
      </div>
    </>
  );
}
