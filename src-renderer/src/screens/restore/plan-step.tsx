import { MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { RESTORE_STAGE_TITLES, type RestorePreparation, type RestoreStageId } from '@contract/restore-run.js';
import { CopyBlock } from '../operations/copy-block.js';

const useStyles = makeStyles({
  stage: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  action: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  reads: { color: tokens.colorNeutralForeground3 },
});

/** Step 3: every statement, API call, move and extraction in the order they run; each with Copy. */
export function PlanStep(props: { prep: RestorePreparation; selected: ReadonlySet<RestoreStageId> }) {
  const s = useStyles();
  let n = 1;
  return (
    <>
      {props.prep.plans
        .filter((p) => props.selected.has(p.component))
        .map((p) => (
          <section key={p.component} className={s.stage} data-testid="restore-plan" data-stage={p.component}>
            <Text size={400} weight="semibold">
              {RESTORE_STAGE_TITLES[p.component]}
            </Text>
            <Text>{p.summary}</Text>
            {p.actions.map((a) => {
              const title = `${n++}. ${a.title}${a.changes ? '' : ' (reads only)'}`;
              return (
                <div key={title} className={s.action} data-testid="plan-action">
                  {a.text ? <CopyBlock title={title} text={a.text} /> : <Text>{title}</Text>}
                </div>
              );
            })}
            {p.notes.map((x) => (
              <MessageBar key={x} intent="info">
                <MessageBarBody>{x}</MessageBarBody>
              </MessageBar>
            ))}
          </section>
        ))}
    </>
  );
}
