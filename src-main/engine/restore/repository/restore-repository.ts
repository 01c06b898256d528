// The repository-folder restore: move the current folder aside (a rename on its own volume; it is
// never deleted), extract the set's archive into the original path (hashing every file as it is
// written), then compare what is on disk with the set's file list. Whatever happens, the result
// says exactly what state the folder is in and how to go back.
import type { ErrorInfo } from '../../../contract/errors.js';
import { formatBytes } from '../../../contract/format.js';
import { isAbortError, throwIfAborted, toErrorInfo } from '../../errors.js';
import { detectArchiveFormat } from '../../archive/open-archive.js';
import { FileListCheck, type FileListReport } from '../file-list/file-list-check.js';
import { observeTree } from '../file-list/observe-tree.js';
import { applyListTimes } from '../file-list/apply-list-times.js';
import { Extraction, type ExtractProgress, type ExtractSummary, type RestoreWarning } from './extract.js';
import {
  asideName,
  checkSpace,
  createTarget,
  inspectTarget,
  mountPointError,
  moveAside,
  ownerFor,
  spaceError,
  type TargetFolder,
} from './target-folder.js';

export interface RepositoryRestoreOptions {
  /** The set's archive and file list (absolute paths). */
  archive: string;
  fileList: string;
  /** The repository folder to restore (the profile's repository.path). */
  target: string;
  signal: AbortSignal;
  /** Clock for the moved-aside folder's stamp (tests). */
  now?: Date;
  /** Refuse before changing anything when the volume lacks room for the listed files (default true). */
  checkSpace?: boolean;
  linksOutside?: 'create' | 'skip';
  onProgress?: (p: RepositoryRestoreProgress) => void;
  onWarning?: (w: RestoreWarning) => void;
}

export interface RepositoryRestoreProgress {
  phase: 'checking' | 'moving-aside' | 'extracting' | 'comparing';
  /** 0..1 within the restore (extraction is most of it). */
  fraction: number;
  /** What the file list says the restore writes (known once the list is read). */
  entriesTotal?: number;
  bytesTotal?: number;
  extract?: ExtractProgress;
  message: string;
}

export type TargetState = 'untouched' | 'moved-aside' | 'partial' | 'complete';

export interface RepositoryRestoreResult {
  status: 'restored' | 'restored-with-problems' | 'failed' | 'cancelled';
  /** The folder restored into (links followed). */
  target: string;
  /** Where the previous folder now is (kept; never deleted). */
  movedAside?: string;
  targetState: TargetState;
  /** The state in plain words, with the way back. */
  stateMessage: string;
  extraction?: ExtractSummary;
  /** The entry being written when the restore stopped. */
  stoppedAt?: string;
  comparison?: FileListReport;
  /** Why it failed (absent when it was cancelled). */
  error?: ErrorInfo;
  durationMs: number;
}

export async function restoreRepository(o: RepositoryRestoreOptions): Promise<RepositoryRestoreResult> {
  const started = performance.now();
  let totals: { entriesTotal: number; bytesTotal: number } | undefined;
  const progress = (
    phase: RepositoryRestoreProgress['phase'],
    fraction: number,
    message: string,
    extract?: ExtractProgress,
  ): void => o.onProgress?.({ phase, fraction, message, ...totals, ...(extract && { extract }) });
  let target: TargetFolder | undefined;
  let aside: string | undefined;
  let state: TargetState = 'untouched';
  let x: Extraction | undefined;
  try {
    progress('checking', 0, 'Checking the archive, the file list and the target folder');
    target = inspectTarget(o.target);
    const format = await detectArchiveFormat(o.archive);
    const check = await FileListCheck.load(o.fileList, o.signal);
    totals = { entriesTotal: check.totals.entries, bytesTotal: check.totals.bytes };
    if (target.exists && target.mountPoint) throw mountPointError(target);
    if (o.checkSpace !== false) {
      const space = checkSpace(target.real, check.totals.bytes);
      if (!space.enough) throw spaceError(space, target.real);
    }
    throwIfAborted(o.signal);
    const owner = ownerFor(target);
    if (target.exists) {
      aside = asideName(target.real, o.now ?? new Date());
      progress('moving-aside', 0, `Moving ${target.real} aside to ${aside}`);
      moveAside(target, aside);
      state = 'moved-aside';
    }
    createTarget(target, owner);
    state = 'moved-aside'; // (also when there was nothing to move: the folder now exists, empty)
    const t = target;
    x = new Extraction(o.archive, t.real, {
      signal: o.signal,
      hash: true,
      ...(owner && { owner }),
      ...(o.linksOutside && { linksOutside: o.linksOutside }),
      onEntry: (e) => check.observe('archive', e),
      onProgress: (p) => progress('extracting', 0.02 + 0.9 * p.fraction, `Extracting into ${t.real}`, p),
      ...(o.onWarning && { onWarning: o.onWarning }),
    });
    state = 'partial';
    await x.run();
    state = 'complete';
    // A zip's own times are DOS times (local time, 2-second steps): the list's are exact.
    if (format === 'zip') await applyListTimes(t.real, o.fileList, o.signal);
    progress('comparing', 0.92, `Comparing ${t.real} with the file list`);
    await observeTree(t.real, check, { signal: o.signal, hash: false });
    const comparison = await check.report(o.signal);
    progress('comparing', 1, 'Restore finished');
    return {
      status: comparison.ok ? 'restored' : 'restored-with-problems',
      target: t.real,
      ...(aside && { movedAside: aside }),
      targetState: 'complete',
      stateMessage: stateMessage('complete', t.real, aside, x, comparison),
      extraction: x.summary,
      comparison,
      durationMs: performance.now() - started,
    };
  } catch (err) {
    const real = target?.real ?? o.target;
    if (state === 'partial' && x && x.summary.entries === 0 && !x.current) state = 'moved-aside';
    const cancelled = isAbortError(err);
    return {
      status: cancelled ? 'cancelled' : 'failed',
      target: real,
      ...(aside && { movedAside: aside }),
      targetState: state,
      stateMessage: stateMessage(state, real, aside, x, undefined),
      ...(x && { extraction: x.summary }),
      ...(x?.current !== undefined && { stoppedAt: x.current }),
      ...(!cancelled && { error: toErrorInfo(err, { where: 'repository' }) }),
      durationMs: performance.now() - started,
    };
  }
}

function stateMessage(
  state: TargetState,
  real: string,
  aside: string | undefined,
  x: Extraction | undefined,
  comparison: FileListReport | undefined,
): string {
  const back = aside
    ? ` To go back: delete ${real} and rename ${aside} to ${real}.`
    : ` There was no folder before the restore; delete ${real} to go back.`;
  const kept = aside ? ` Your previous folder is intact at ${aside}.` : '';
  const s = x?.summary;
  switch (state) {
    case 'untouched':
      return `Nothing was changed: ${real} is as it was.`;
    case 'moved-aside':
      return `${real} was ${aside ? `moved aside to ${aside} and ` : ''}created empty; nothing was restored into it.${back}`;
    case 'partial':
      return (
        `${real} holds a PARTIAL restore: ${s?.entries ?? 0} entries (${formatBytes(s?.bytes ?? 0)}) were written` +
        `${x?.current ? `, the restore stopped at ${x.current}` : ''}.${kept}${back} Or start the restore again.`
      );
    case 'complete':
      return comparison?.ok
        ? `${real} holds the restored repository (${s?.entries ?? 0} entries, ${formatBytes(s?.bytes ?? 0)}), matching the file list.` +
            `${aside ? ` The previous folder is kept at ${aside}; delete it once Octane runs correctly.` : ''}`
        : `${real} holds the restored repository, but it does not match the file list (see the problems).${kept}${back}`;
  }
}

/**
 * The way back after a failed or unwanted restore: the restored (or partial) folder is moved to
 * `<target>.failed-restore-<stamp>` and the moved-aside folder takes its place again. Nothing is deleted.
 */
export function putBackMovedAside(
  target: string,
  movedAside: string,
  now = new Date(),
): { restoredFolderNowAt?: string } {
  const t = inspectTarget(target);
  let movedTo: string | undefined;
  if (t.exists) {
    movedTo = asideName(t.real, now, 'failed-restore');
    moveAside(t, movedTo);
  }
  moveAside({ ...inspectTarget(movedAside), real: movedAside }, t.real);
  return movedTo ? { restoredFolderNowAt: movedTo } : {};
}
