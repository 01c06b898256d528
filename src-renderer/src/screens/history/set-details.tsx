import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { rehearsalWords, type SetSummary } from '@contract/sets.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ArtifactTable } from '../../components/artifact-table.js';
import { ErrorBar } from '../../components/error-bar.js';
import { StatusBadge, setBadgeStatus } from '../../components/status-badge.js';
import { formatDateTime, formatDuration, formatSkew } from '@contract/format.js';
import { FolderOpenRegular, HistoryRegular, ShieldCheckmarkRegular } from '../../icons.js';
import { RehearseAction } from './rehearse-action.js';
import { VerifyResult, type VerifyState } from './verify-result.js';
import { CopyToDrive } from './copy-to-drive.js';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    marginBottom: tokens.spacingVerticalM,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, whiteSpace: 'nowrap' },
});

export function SetDetails({
  set,
  onVerified,
  onRestore,
}: {
  set: SetSummary;
  onVerified?: () => void;
  onRestore: () => void;
}) {
  const api = useApi();
  const s = useStyles();
  const [verify, setVerify] = useState<VerifyState | undefined>();
  const [openError, setOpenError] = useState<ReturnType<typeof errorInfo> | undefined>();
  const busy = verify?.busy === true;
  // Progress messages and the answer travel separately: one arriving after the answer is dropped.
  const pending = useRef(false);
  useEffect(() => {
    if (!busy) return;
    return api.on('verify:progress', (p) => {
      if (pending.current && p.setPath === set.path) setVerify({ busy: true, progress: p });
    });
  }, [api, busy, set.path]);

  const runVerify = async (): Promise<void> => {
    pending.current = true;
    setVerify({ busy: true });
    let next: VerifyState;
    try {
      next = { busy: false, report: await call(api, 'sets:verify', set.path) };
    } catch (err) {
      next = { busy: false, error: errorInfo(err) };
    }
    pending.current = false;
    setVerify(next);
    // The verify left its record in the set: the list shows the set as it now is.
    onVerified?.();
  };
  const m = set.manifest;
  return (
    <Card data-testid="set-details">
      <CardHeader
        header={
          <Text size={500} weight="semibold">
            {set.setName} <StatusBadge status={setBadgeStatus(set)} />
          </Text>
        }
        description={
          set.status === 'unreadable'
            ? 'UNREADABLE: this set cannot be trusted.'
            : set.damaged
              ? 'DAMAGED: verify found this set damaged. It is not a usable backup.'
              : (m?.completenessNote ?? (set.complete ? 'A complete Octane backup.' : ''))
        }
        action={
          <div className={s.actions}>
            <Button
              appearance="primary"
              icon={<ShieldCheckmarkRegular />}
              disabled={busy}
              onClick={() => void runVerify()}
            >
              Verify
            </Button>
            <Button
              icon={<FolderOpenRegular />}
              onClick={() =>
                void call(api, 'shell:open-path', set.path).then(
                  () => setOpenError(undefined),
                  (err: unknown) => setOpenError(errorInfo(err)),
                )
              }
            >
              Open folder
            </Button>
            <Button icon={<HistoryRegular />} disabled={!set.manifest} onClick={onRestore}>
              Restore…
            </Button>
          </div>
        }
      />
      {openError ? <ErrorBar error={openError} /> : null}
      {set.status !== 'unreadable' && !set.damaged && set.status !== 'incomplete' ? (
        <CopyToDrive setPath={set.path} />
      ) : null}
      {set.status === 'unreadable' || set.damaged ? (
        <MessageBar intent="error" data-testid="set-untrusted">
          <MessageBarBody>
            <MessageBarTitle>
              {set.status === 'unreadable' ? 'Unreadable set' : 'Damaged set'}
            </MessageBarTitle>
            {set.status === 'unreadable'
              ? (set.problem ?? 'Its manifest cannot be read.')
              : (set.verification?.problems.join(' ') ?? 'Verify found it damaged.')}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={s.facts}>
        <Text weight="semibold">Folder</Text>
        <Text>{set.path}</Text>
        <Text weight="semibold">Kind</Text>
        <Text>
          {set.kind ?? '–'}
          {set.label ? ` — ${set.label}` : ''}
          {set.pinned ? ' (pinned: never pruned)' : ''}
        </Text>
        <Text weight="semibold">Last verified</Text>
        <Text data-testid="set-verified">
          {set.verification
            ? `${formatDateTime(set.verification.at)}: ${set.verification.damaged ? 'DAMAGED' : set.verification.verdict === 'damaged' ? 'not complete' : 'intact'} (copy checked: ${set.verification.checkedPath})`
            : 'never'}
        </Text>
        <Text weight="semibold">Last rehearsed</Text>
        <Text data-testid="set-rehearsed">
          {set.rehearsal
            ? `${rehearsalWords(set.rehearsal, (iso) => formatDateTime(iso), formatDuration)}${set.rehearsal.problems[0] ? ` — ${set.rehearsal.problems[0]}` : ''}`
            : 'never'}
        </Text>
        <Text weight="semibold">Started / finished</Text>
        <Text>
          {formatDateTime(set.startedAt)} / {formatDateTime(set.finishedAt)}
        </Text>
        {m ? (
          <>
            <Text weight="semibold">Consistency window</Text>
            <Text>
              {formatSkew(m.skew.windowSeconds, m.skew.toleranceSeconds)}
              {m.skew.captureMode ? ` (repository ${m.skew.captureMode})` : ''}
            </Text>
            <Text weight="semibold">Host / tool</Text>
            <Text>
              {m.host} / {m.tool.name} {m.tool.version}
            </Text>
          </>
        ) : null}
      </div>
      {verify ? <VerifyResult state={verify} /> : null}
      {set.status !== 'unreadable' ? <RehearseAction set={set} onDone={onVerified} /> : null}
      {m ? (
        <ArtifactTable manifest={m} />
      ) : (
        <Text>
          {set.status === 'unreadable'
            ? 'The manifest cannot be believed, so nothing of this set is shown.'
            : 'No readable manifest: this folder is an interrupted set.'}
        </Text>
      )}
    </Card>
  );
}
