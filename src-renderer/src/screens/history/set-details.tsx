import {
  Button,
  Card,
  CardHeader,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
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
import { formatBytes, formatDateTime, formatDuration, formatSkew, plural } from '@contract/format.js';
import { COMPONENT_TITLES } from '@contract/words.js';
import { DeleteRegular, FolderOpenRegular, HistoryRegular, ShieldCheckmarkRegular } from '../../icons.js';
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

/** A set that is no usable backup: History offers to delete it (the engine re-checks and refuses a usable one). */
export function isUnusableSet(set: SetSummary): boolean {
  return set.damaged === true || (set.status !== 'succeeded' && set.status !== 'succeeded-with-warnings');
}

/** "4 files, 5.2 MB, of which 2 unfinished (.partial) files, 4.9 MB": what an unfinished run left. */
export function leftText(left: NonNullable<SetSummary['left']>['total']): string {
  const base = `${plural(left.files, 'file')}, ${formatBytes(left.bytes)}`;
  return left.partialFiles > 0
    ? `${base}, of which ${plural(left.partialFiles, 'unfinished (.partial) file')}, ${formatBytes(left.partialBytes)}`
    : base;
}

export function SetDetails({
  set,
  onVerified,
  onRestore,
  onDeleted,
}: {
  set: SetSummary;
  onVerified?: () => void;
  onRestore: () => void;
  onDeleted?: () => void;
}) {
  const api = useApi();
  const s = useStyles();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<ReturnType<typeof errorInfo> | undefined>();
  const unusable = isUnusableSet(set);
  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    try {
      await call(api, 'sets:delete', { profile: set.profile, setName: set.setName });
      setDeleteError(undefined);
      onDeleted?.();
    } catch (err) {
      setDeleteError(errorInfo(err));
    }
  };
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
            {unusable ? (
              <Button icon={<DeleteRegular />} onClick={() => setConfirmDelete(true)}>
                Delete this set…
              </Button>
            ) : null}
          </div>
        }
      />
      {openError ? <ErrorBar error={openError} /> : null}
      {set.status !== 'unreadable' && !set.damaged && set.status !== 'incomplete' ? (
        <CopyToDrive setPath={set.path} />
      ) : null}
      {deleteError ? <ErrorBar error={deleteError} title="Not deleted" /> : null}
      <Dialog open={confirmDelete} modalType="alert" onOpenChange={(_e, d) => setConfirmDelete(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete {set.setName}?</DialogTitle>
            <DialogContent>
              This set is not a usable backup. Every copy of it is deleted
              {set.left ? ` (${leftText(set.left.total)})` : ''}. Usable sets are never deleted from here.
            </DialogContent>
            <DialogActions>
              {/* The safe choice has the focus. */}
              <Button autoFocus onClick={() => setConfirmDelete(false)}>
                Keep
              </Button>
              <Button appearance="primary" onClick={() => void remove()}>
                Delete this set
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
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
        {set.left ? (
          <>
            <Text weight="semibold">What the run left</Text>
            <Text data-testid="set-left">
              {leftText(set.left.total)}
              {set.left.truncated ? ' (at least: counting stopped early)' : ''}
              {Object.entries(set.left.components)
                .filter(([, c]) => c.files > 0)
                .map(
                  ([id, c]) =>
                    `; ${id in COMPONENT_TITLES ? COMPONENT_TITLES[id as keyof typeof COMPONENT_TITLES] : 'Octane configuration'}: ${leftText(c)}`,
                )
                .join('')}
            </Text>
          </>
        ) : null}
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
