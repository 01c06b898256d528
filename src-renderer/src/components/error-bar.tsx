import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ErrorInfo } from '@contract/errors.js';

/** An error as the admin needs it: what happened, and what to do about it. */
export function ErrorBar({
  error,
  title,
  intent,
}: {
  error: ErrorInfo;
  title?: string;
  intent?: 'error' | 'warning';
}) {
  return (
    <MessageBar intent={intent ?? 'error'} data-code={error.code}>
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {error.message}
        {error.fix ? (
          <div>
            <strong>Fix: </strong>
            {error.fix}
          </div>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}
