import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { CopyRegular } from '../icons.js';

const useStyles = makeStyles({
  // A message with a fix is read in full: it wraps (long paths break anywhere), never clipped.
  body: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
});

/** The raw detail an admin pastes into a ticket: code, message, fix and details (already secret-free). */
export function errorDetailText(error: ErrorInfo): string {
  const lines = [`${error.code}: ${error.message}`];
  if (error.fix) lines.push(`Fix: ${error.fix}`);
  if (error.step) lines.push(`Step: ${error.step}`);
  if (error.details && Object.keys(error.details).length > 0)
    lines.push(`Details: ${JSON.stringify(error.details, null, 2)}`);
  return lines.join('\n');
}

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
  const s = useStyles();
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    void navigator.clipboard
      ?.writeText(errorDetailText(error))
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <MessageBar intent={intent ?? 'error'} layout="multiline" data-code={error.code}>
      <MessageBarBody className={s.body}>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {error.message}
        {error.fix ? (
          <div>
            <strong>Fix: </strong>
            {error.fix}
          </div>
        ) : null}
      </MessageBarBody>
      <MessageBarActions>
        <Button
          size="small"
          icon={<CopyRegular />}
          onClick={copy}
          aria-label={`${copied ? 'Copied' : 'Copy details'}: ${title ?? error.message}`}
        >
          {copied ? 'Copied' : 'Copy details'}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
