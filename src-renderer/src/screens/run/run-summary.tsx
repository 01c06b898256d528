import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { RunOutcome } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { ArtifactTable } from '../../components/artifact-table.js';
import { ErrorBar } from '../../components/error-bar.js';
import { StatusBadge } from '../../components/status-badge.js';
import { formatBytes, formatSkew } from '@contract/format.js';
import { FolderOpenRegular } from '../../icons.js';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    marginBottom: tokens.spacingVerticalM,
  },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    marginBottom: tokens.spacingVerticalM,
  },
});

export function RunSummary({ outcome }: { outcome: RunOutcome }) {
  const api = useApi();
  const s = useStyles();
  const m = outcome.manifest;
  const bytes = m.components.reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0);
  const skewBad = m.skew.withinTolerance === false;
  const files = m.components.reduce((a, c) => a + c.artifacts.length, 0);
  const heading = useRef<HTMLHeadingElement>(null);
  // When a run ends its outcome comes first: the summary is brought into view and takes the focus.
  useEffect(() => {
    heading.current?.scrollIntoView?.({ block: 'start' });
    heading.current?.focus();
  }, []);
  return (
    <Card data-testid="run-summary">
      <CardHeader
        header={
          <Text as="h2" ref={heading} tabIndex={-1} size={500} weight="semibold">
            Summary <StatusBadge status={outcome.status} size="large" />
          </Text>
        }
        description={
          m.completenessNote ??
          (m.complete ? 'A complete Octane backup: database, Elasticsearch and repository folder.' : '')
        }
        action={
          outcome.setPaths[0] ? (
            <Button
              icon={<FolderOpenRegular />}
              style={{ whiteSpace: 'nowrap' }}
              onClick={() =>
                void call(api, 'shell:open-path', outcome.setPaths[0] as string).catch(() => undefined)
              }
            >
              Open folder
            </Button>
          ) : undefined
        }
      />
      <div className={s.facts}>
        <Text weight="semibold">Set</Text>
        <Text data-testid="summary-set">{outcome.setName}</Text>
        <Text weight="semibold">Written to</Text>
        <Text>{outcome.setPaths.join(', ')}</Text>
        <Text weight="semibold">Size</Text>
        <Text>{formatBytes(bytes)}</Text>
        <Text weight="semibold">Consistency window</Text>
        <Text
          data-testid="summary-skew"
          style={skewBad ? { color: tokens.colorPaletteRedForeground1 } : undefined}
        >
          {formatSkew(m.skew.windowSeconds, m.skew.toleranceSeconds)}
          {m.skew.clock === 'local' ? ' (this PC’s clock' : ' (database clock'}
          {m.skew.captureMode ? `; repository ${m.skew.captureMode})` : ')'}
          {m.skew.note ? ` — ${m.skew.note}` : ''}
        </Text>
      </div>
      {m.error ? <ErrorBar error={m.error} title="Why the backup failed" /> : null}
      {m.warnings.length > 0 ? (
        <div className={s.list} data-testid="summary-warnings">
          {m.warnings.map((w, i) => (
            // The message says it in words; the code stays for support (data-code), never as a title.
            <MessageBar key={i} intent="warning" layout="multiline" data-code={w.code}>
              <MessageBarBody>
                {w.message}
                {w.subject ? ` (${w.subject})` : ''}
              </MessageBarBody>
            </MessageBar>
          ))}
        </div>
      ) : null}
      {/* The outcome is what the admin needs when a run ends; the files (a dozen internal ones for
          Elasticsearch alone) with their hashes are there for whoever wants them, folded. */}
      <details data-testid="summary-files">
        <summary>
          <Text weight="semibold">{`Files (${files})`}</Text>
        </summary>
        <ArtifactTable manifest={m} />
      </details>
    </Card>
  );
}
