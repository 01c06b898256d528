import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { ErrorInfo } from '@contract/errors.js';
import type { ConnectionTest } from '@contract/ui.js';
import { ErrorBar } from '../../components/error-bar.js';

export type TestState = { busy: true } | { busy: false; result?: ConnectionTest; error?: ErrorInfo };

export function ConnectionResult({ state, busyText }: { state: TestState; busyText: string }) {
  if (state.busy) return <Spinner size="tiny" label={busyText} labelPosition="after" />;
  if (state.error) return <ErrorBar error={state.error} />;
  if (!state.result) return null;
  const r = state.result;
  return (
    <MessageBar intent={r.ok ? 'success' : 'error'}>
      <MessageBarBody>
        {r.message}
        {r.serverVersion ? ` (${r.serverVersion})` : ''}
        {r.fix ? (
          <div>
            <strong>Fix: </strong>
            {r.fix}
          </div>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}
