// "Copy to drive…" in History (issue 18): choose a connected drive, copy the set there (checked
// before the first byte, re-read after), follow the progress, cancel, and read the outcome: where
// the verified copy is, and whether the drive can be unplugged.
import {
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { formatBytes } from '@contract/format.js';
import type { ExportEvent, ExportOutcome } from '@contract/removable.js';
import type { DriveInfo, ExportJob } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  box: { display: 'grid', rowGap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalS },
});

type Phase =
  | { kind: 'closed' }
  | { kind: 'choosing'; drives: DriveInfo[]; root: string; eject: boolean }
  | { kind: 'copying'; job: ExportJob; progress?: Extract<ExportEvent, { type: 'export-progress' }> }
  | { kind: 'done'; outcome: ExportOutcome }
  | { kind: 'error'; error: ErrorInfo };

const driveText = (d: DriveInfo): string =>
  `${d.root}${d.label ? ` (${d.label})` : ''} — ${formatBytes(d.freeBytes)} free${d.fileSystem ? `, ${d.fileSystem}` : ''}`;

export function CopyToDrive({ setPath }: { setPath: string }) {
  const api = useApi();
  const s = useStyles();
  const [phase, setPhase] = useState<Phase>({ kind: 'closed' });
  const jobId = phase.kind === 'copying' ? phase.job.jobId : undefined;
  useEffect(() => {
    if (jobId === undefined) return;
    const offEvent = api.on('export:event', (m) => {
      if (m.jobId !== jobId || m.event.type !== 'export-progress') return;
      const progress = m.event;
      setPhase((p) => (p.kind === 'copying' ? { ...p, progress } : p));
    });
    const offDone = api.on('export:done', (m) => {
      if (m.jobId !== jobId) return;
      setPhase(
        m.result.ok ? { kind: 'done', outcome: m.result.value } : { kind: 'error', error: m.result.error },
      );
    });
    return () => {
      offEvent();
      offDone();
    };
  }, [api, jobId]);

  const open = async (): Promise<void> => {
    try {
      const drives = (await call(api, 'drives:list')).filter((d) => d.removable);
      setPhase({ kind: 'choosing', drives, root: drives[0]?.root ?? '', eject: true });
    } catch (err) {
      setPhase({ kind: 'error', error: errorInfo(err) });
    }
  };
  const start = async (root: string, eject: boolean): Promise<void> => {
    try {
      const job = await call(api, 'sets:export', { setPath, to: { kind: 'drive', root }, eject });
      setPhase({ kind: 'copying', job });
    } catch (err) {
      setPhase({ kind: 'error', error: errorInfo(err) });
    }
  };

  return (
    <div data-testid="copy-to-drive">
      {phase.kind === 'closed' || phase.kind === 'done' || phase.kind === 'error' ? (
        <Button onClick={() => void open()}>Copy to drive…</Button>
      ) : null}
      {phase.kind === 'choosing' ? (
        <div className={s.box}>
          {phase.drives.length === 0 ? (
            <Text>No removable drive is connected. Connect one and try again.</Text>
          ) : (
            <div className={s.row}>
              <Select
                aria-label="Drive"
                value={phase.root}
                onChange={(_e, d) => setPhase({ ...phase, root: d.value })}
              >
                {phase.drives.map((d) => (
                  <option key={d.root} value={d.root}>
                    {driveText(d)}
                  </option>
                ))}
              </Select>
              <Checkbox
                label="Eject the drive when the copy is verified"
                checked={phase.eject}
                onChange={(_e, d) => setPhase({ ...phase, eject: d.checked === true })}
              />
              <Button appearance="primary" onClick={() => void start(phase.root, phase.eject)}>
                Copy
              </Button>
            </div>
          )}
          <Button onClick={() => setPhase({ kind: 'closed' })}>Close</Button>
        </div>
      ) : null}
      {phase.kind === 'copying' ? (
        <div className={s.box}>
          <Text>
            {phase.progress?.phase === 'verify' ? 'Re-reading the copy on' : 'Copying to'} {phase.job.target}
            {phase.progress
              ? ` — ${formatBytes(phase.progress.bytesDone)} of ${formatBytes(phase.progress.bytesTotal)}`
              : ''}
          </Text>
          <ProgressBar value={phase.progress?.fraction ?? 0} />
          <Button onClick={() => void call(api, 'exports:cancel', phase.job.jobId)}>Cancel</Button>
        </div>
      ) : null}
      {phase.kind === 'done' ? <Outcome outcome={phase.outcome} /> : null}
      {phase.kind === 'error' ? <ErrorBar error={phase.error} title="The copy did not start" /> : null}
    </div>
  );
}

function Outcome({ outcome: o }: { outcome: ExportOutcome }) {
  if (o.status !== 'succeeded')
    return o.error ? (
      <ErrorBar error={o.error} title="Copy failed: no copy that looks like a set was left" />
    ) : (
      <MessageBar intent="warning">
        <MessageBarBody>Copy cancelled: no copy that looks like a set was left.</MessageBarBody>
      </MessageBar>
    );
  return (
    <MessageBar intent={o.eject && !o.eject.ejected ? 'warning' : 'success'} data-testid="copy-outcome">
      <MessageBarBody>
        <MessageBarTitle>Copy verified</MessageBarTitle>
        {o.alreadyThere
          ? `${o.copyPath ?? ''} already held a verified copy.`
          : `${o.copyPath ?? ''}: every file re-read and intact.`}
        {o.eject ? <div>{o.eject.message}</div> : null}
      </MessageBarBody>
    </MessageBar>
  );
}
