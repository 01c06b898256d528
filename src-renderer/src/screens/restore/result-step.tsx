import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ErrorInfo } from '@contract/errors.js';
import type { RestoreReport } from '@contract/restore-run.js';
import { STATUS_WORDS } from '@contract/words.js';
import { ErrorBar } from '../../components/error-bar.js';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXXL },
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
});

const INTENT = {
  succeeded: 'success',
  'succeeded-with-warnings': 'warning',
  failed: 'error',
  cancelled: 'warning',
} as const;

/** Step 6: what came back, what did not, and what to do next (start Octane, what to check first). */
export function ResultStep({ report, error }: { report?: RestoreReport; error?: ErrorInfo }) {
  const s = useStyles();
  if (!report) return error ? <ErrorBar error={error} title="The restore did not run" /> : null;
  return (
    <div data-testid="restore-result" data-status={report.status}>
      <MessageBar intent={INTENT[report.status]}>
        <MessageBarBody>
          <MessageBarTitle>
            The restore of set {report.setName} {STATUS_WORDS[report.status]}
          </MessageBarTitle>
          {report.restored.length ? (
            <div>
              <strong>Restored: </strong>
              {report.restored.join(' ')}
            </div>
          ) : null}
          {report.notRestored.length ? (
            <div>
              <strong>Not restored: </strong>
              {report.notRestored.join(' ')}
            </div>
          ) : null}
        </MessageBarBody>
      </MessageBar>
      {report.notes.map((x) => (
        <Text key={x} block>
          {x}
        </Text>
      ))}
      <Text block weight="semibold" size={400}>
        Next steps
      </Text>
      <ol className={s.list} data-testid="next-steps">
        {report.nextSteps.map((x) => (
          <li key={x}>
            <Text>{x}</Text>
          </li>
        ))}
      </ol>
      {report.reportPath ? (
        <Text block>
          Report (with each store’s recovery time): <span className={s.mono}>{report.reportPath}</span>
        </Text>
      ) : null}
    </div>
  );
}
