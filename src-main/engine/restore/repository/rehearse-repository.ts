// Restore rehearsal for the repository folder: extract the set's archive into a scratch folder
// this call creates, read every file back and check it against the file list (type, size and
// SHA-256 where listed), then remove the scratch folder — after success, failure and cancel alike.
// A scratch path that already exists is never used and never touched.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ErrorInfo } from '../../../contract/errors.js';
import { ExpectedError, isAbortError, toErrorInfo } from '../../errors.js';
import { FileListCheck, type FileListReport } from '../file-list/file-list-check.js';
import { observeTree } from '../file-list/observe-tree.js';
import { Extraction, type ExtractProgress, type ExtractSummary } from './extract.js';
import { checkSpace, spaceError } from './target-folder.js';
import { restoreTargetError } from './target-errors.js';

export interface RepositoryRehearsalOptions {
  archive: string;
  fileList: string;
  /** A path that does not exist yet; created, used and removed by the rehearsal. */
  scratch: string;
  signal: AbortSignal;
  checkSpace?: boolean;
  onProgress?: (p: { phase: 'extracting' | 'checking'; fraction: number; extract?: ExtractProgress }) => void;
}

export interface RepositoryRehearsalResult {
  status: 'passed' | 'failed' | 'cancelled';
  scratch: string;
  extraction?: ExtractSummary;
  comparison?: FileListReport;
  /** Files read back and hashed. */
  filesChecked: number;
  /** Whether the scratch folder is gone again (false: `scratchProblem` says why and it must be removed by hand). */
  scratchRemoved: boolean;
  scratchProblem?: string;
  error?: ErrorInfo;
  /** Measured time to restore (extract) and check, ms. */
  durationMs: number;
  extractMs?: number;
}

export async function rehearseRepositoryRestore(
  o: RepositoryRehearsalOptions,
): Promise<RepositoryRehearsalResult> {
  const started = performance.now();
  const scratch = resolve(o.scratch);
  let created = false;
  let x: Extraction | undefined;
  let extractMs: number | undefined;
  let filesChecked = 0;
  const result = (
    r: Partial<RepositoryRehearsalResult> & Pick<RepositoryRehearsalResult, 'status'>,
  ): RepositoryRehearsalResult => {
    const removal = created ? removeScratch(scratch) : { removed: true };
    return {
      scratch,
      filesChecked,
      ...(x && { extraction: x.summary }),
      scratchRemoved: removal.removed,
      ...(removal.problem && { scratchProblem: removal.problem }),
      durationMs: performance.now() - started,
      ...(extractMs !== undefined && { extractMs }),
      ...r,
    };
  };
  try {
    const check = await FileListCheck.load(o.fileList, o.signal);
    if (o.checkSpace !== false) {
      const space = checkSpace(scratch, check.totals.bytes);
      if (!space.enough) throw spaceError(space, scratch);
    }
    createScratch(scratch);
    created = true;
    x = new Extraction(o.archive, scratch, {
      signal: o.signal,
      onEntry: (e) => check.observe('archive', e),
      onProgress: (p) => o.onProgress?.({ phase: 'extracting', fraction: 0.7 * p.fraction, extract: p }),
    });
    await x.run();
    extractMs = performance.now() - started;
    const total = check.totals.files;
    const seen = await observeTree(scratch, check, {
      signal: o.signal,
      hash: true,
      onProgress: (t) =>
        o.onProgress?.({
          phase: 'checking',
          fraction: 0.7 + 0.3 * (total ? Math.min(1, t.files / total) : 1),
        }),
    });
    filesChecked = seen.files;
    const comparison = await check.report(o.signal);
    return result({ status: comparison.ok ? 'passed' : 'failed', comparison });
  } catch (err) {
    return result({
      status: isAbortError(err) ? 'cancelled' : 'failed',
      error: toErrorInfo(err, { where: 'rehearsal' }),
    });
  }
}

function createScratch(scratch: string): void {
  try {
    mkdirSync(dirname(scratch), { recursive: true });
    mkdirSync(scratch);
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST')
      throw new ExpectedError(
        'REHEARSAL_SCRATCH_EXISTS',
        `The scratch folder ${scratch} already exists; the rehearsal does not use (or touch) a folder it did not create.`,
        {
          step: 'rehearsal',
          fix: 'Choose another scratch folder, or remove that one by hand if you know it is a leftover.',
          details: { path: scratch },
        },
      );
    throw restoreTargetError(err, scratch, 'rehearsal');
  }
}

function removeScratch(scratch: string): { removed: boolean; problem?: string } {
  try {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    return { removed: true };
  } catch (err) {
    return {
      removed: false,
      problem: `The scratch folder ${scratch} could not be removed (${(err as Error).message}); remove it by hand.`,
    };
  }
}
