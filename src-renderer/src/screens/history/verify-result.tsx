import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { ArtifactCheckStatus, VerifyReport } from '@contract/sets.js';
import type { VerifyProgressMessage } from '@contract/ui.js';
import { ErrorBar } from '../../components/error-bar.js';
import { formatBytes } from '@contract/format.js';

const useStyles = makeStyles({
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  ok: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  bad: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

const STATUS_TEXT: Record<ArtifactCheckStatus, string> = {
  ok: 'intact',
  missing: 'MISSING',
  altered: 'ALTERED',
  'size-mismatch': 'ALTERED (size)',
  elsewhere: 'not reachable',
  refused: 'REFUSED',
};

const SEAL_TEXT: Record<VerifyReport['seal'], string> = {
  valid: 'Seal valid: the manifest is the one the run wrote.',
  invalid: 'Seal does NOT match: the manifest was changed after the run.',
  unsealed: 'Not sealed (the run had no seal key).',
  'not-checked': 'Seal not checked: no seal key is configured.',
};

export type VerifyState =
  | { busy: true; progress?: VerifyProgressMessage }
  | { busy: false; report?: VerifyReport; error?: ErrorInfo };

export function VerifyResult({ state }: { state: VerifyState }) {
  const s = useStyles();
  const box = useRef<HTMLDivElement>(null);
  // The answer takes the focus when it arrives: the Verify button is disabled meanwhile, so the
  // focus would otherwise be lost.
  const answer = state.busy ? undefined : (state.report ?? state.error);
  useEffect(() => {
    if (answer) box.current?.focus();
  }, [answer]);
  if (state.busy) {
    const p = state.progress;
    return (
      <div data-testid="verify-progress">
        <Text>
          Verifying{p ? ` ${p.current}: ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : '…'}
        </Text>
        <ProgressBar value={p && p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : undefined} />
      </div>
    );
  }
  if (state.error)
    return (
      <div ref={box} tabIndex={-1}>
        <ErrorBar error={state.error} title="Verify could not run" />
      </div>
    );
  const r = state.report;
  if (!r) return null;
  const damaged = r.damaged;
  // A set a killed run left lists no artifact: "every one of 0 matches" would sound like good news.
  const intact =
    r.checks.length === 0
      ? 'The manifest lists no finished artifact, so there was nothing to check: the run that wrote this set did not finish.'
      : `Every one of the ${r.checks.length} artifact(s) matches its SHA-256 in the manifest.`;
  return (
    <div
      ref={box}
      tabIndex={-1}
      data-testid="verify-result"
      data-ok={r.ok ? 'true' : 'false'}
      data-intact={damaged ? 'false' : 'true'}
      data-seal={r.seal}
    >
      <MessageBar intent={r.ok ? 'success' : damaged ? 'error' : 'warning'}>
        <MessageBarBody>
          <MessageBarTitle>
            {r.ok
              ? 'Verified'
              : damaged
                ? 'Damaged'
                : r.checks.length === 0
                  ? 'Nothing to verify: not a backup'
                  : 'Intact, but not a complete backup'}
          </MessageBarTitle>
          {r.ok ? intact : damaged ? r.problems.join(' ') : `${intact} ${r.problems.join(' ')}`}
        </MessageBarBody>
      </MessageBar>
      <Text block data-testid="verify-seal">
        {SEAL_TEXT[r.seal]}
      </Text>
      {r.notes
        .filter((n) => !n.startsWith('The seal') && !n.startsWith('The manifest carries no seal'))
        .map((n) => (
          <Text block key={n} data-testid="verify-note">
            {n}
          </Text>
        ))}
      <Table size="small" aria-label="Verify results">
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '16%' }}>Component</TableHeaderCell>
            <TableHeaderCell>Artifact</TableHeaderCell>
            <TableHeaderCell style={{ width: '12%' }}>Size</TableHeaderCell>
            <TableHeaderCell style={{ width: '16%' }}>Result</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {r.checks.map((c) => (
            <TableRow
              key={`${c.component}/${c.artifact.path}`}
              data-testid="verify-check"
              data-status={c.status}
            >
              <TableCell>{c.component}</TableCell>
              <TableCell>
                <Text className={s.mono}>{c.artifact.path}</Text>
              </TableCell>
              <TableCell>{formatBytes(c.artifact.bytes)}</TableCell>
              <TableCell>
                <Text className={c.status === 'ok' ? s.ok : s.bad}>{STATUS_TEXT[c.status]}</Text>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
