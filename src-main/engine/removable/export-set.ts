// Export: one good set copied to another place (a removable drive, a share) as one self-contained
// set folder <to>/<profile>/<set name>, checked before the first byte (free space, FAT32's file
// limit), written under the in-progress marker, re-read and hashed on the target, recorded there,
// and only then called good. A failure or Cancel removes the copy when it still can; a copy it
// cannot remove (the drive was pulled) keeps its marker, so it never looks like a set, and the
// next export of the same set replaces it.
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import type { ExportDrive, ExportEvent, ExportOutcome } from '../../contract/removable.js';
import type { VerifyReport } from '../../contract/sets.js';
import { syncDir } from '../backup-set/component-writer.js';
import { writeRecords } from '../backup-set/verify-report.js';
import {
  checkSetFolders,
  createSetFolders,
  removeSetFolders,
  type FolderIdentity,
} from '../backup-run/set-folders.js';
import { ExpectedError, isAbortError, toErrorInfo } from '../errors.js';
import { ProgressTracker } from '../progress.js';
import { readExportSource, type ExportSource } from './export-source.js';
import { copySetFiles, reReadCopy, type CopyProgress } from './export-copy.js';
import { existingCopy } from './existing-copy.js';
import { checkFits, defaultFileSystemOf, targetFacts, type FileSystemOf } from './target-space.js';
import type { ComponentId } from '../../contract/profile.js';
import { formatDateTime } from '../../contract/format.js';

export interface ExportSetRequest {
  setPath: string;
  /** The destination root that receives <profile>/<set name> (a drive's folder, a share). */
  to: string;
  /** Where the profile keeps components on other destinations (use-cases/verify-set configuredPlaces). */
  places?: Partial<Record<ComponentId, string>>;
  sealKeys?: readonly string[];
  signal?: AbortSignal;
  onEvent?: (e: ExportEvent) => void;
  /** The drive the target is on, for the outcome. */
  drive?: ExportDrive;
  fileSystemOf?: FileSystemOf;
  now?: () => Date;
}

interface Ctx {
  req: ExportSetRequest;
  exportId: string;
  signal: AbortSignal;
  now: () => Date;
  emit: (e: ExportEvent) => void;
}

export async function exportSet(req: ExportSetRequest): Promise<ExportOutcome> {
  const ctx: Ctx = {
    req,
    exportId: randomBytes(4).toString('hex'),
    signal: req.signal ?? new AbortController().signal,
    now: req.now ?? (() => new Date()),
    emit: (e) => req.onEvent?.(e),
  };
  const to = resolve(req.to);
  const outcome: ExportOutcome = {
    status: 'failed',
    profile: '',
    setName: '',
    target: to,
    files: 0,
    bytes: 0,
    notes: [],
  };
  if (req.drive) outcome.drive = req.drive;
  let made: FolderIdentity[] = [];
  try {
    const source = await readExportSource(req.setPath, req.places ?? {});
    Object.assign(outcome, { profile: source.profile, setName: source.setName, files: source.files.length });
    outcome.bytes = source.bytesTotal;
    const copyRoot = join(to, source.profile, source.setName);
    await checkTarget(source, to, copyRoot);
    const existing = await existingCopy(copyRoot, source);
    if (existing.kind === 'intact') {
      outcome.status = 'succeeded';
      outcome.alreadyThere = true;
      outcome.copyPath = copyRoot;
      outcome.verdict = existing.verdict;
      outcome.notes.push(
        `${copyRoot} already holds this set, verified ${formatDateTime(existing.at)}: nothing was copied.`,
      );
      return finish(ctx, outcome);
    }
    if (existing.kind === 'interrupted') {
      await rm(copyRoot, { recursive: true, force: true });
      outcome.notes.push(`An interrupted copy of this set at ${copyRoot} was removed and copied again.`);
    }
    const facts = await targetFacts(to, req.fileSystemOf ?? defaultFileSystemOf());
    checkFits(source, to, facts);
    if (facts.freeBytes === undefined)
      outcome.notes.push(
        `The file system of ${to} does not report its free space: it was not checked before copying.`,
      );
    started(ctx, source, copyRoot);
    made = await createSetFolders([copyRoot], ctx.exportId, ctx.now());
    const report = await copyAndVerify(ctx, source, copyRoot, made);
    made = [];
    outcome.status = 'succeeded';
    outcome.copyPath = copyRoot;
    outcome.verdict = report.verdict;
    outcome.notes.push(...report.notes.filter((n) => !/^The seal/.test(n) || report.seal !== 'unsealed'));
    if (report.record?.failed.length)
      outcome.notes.push(`The verification record could not be written in ${copyRoot}.`);
  } catch (err) {
    outcome.status = isAbortError(err) ? 'cancelled' : 'failed';
    if (outcome.status === 'failed') outcome.error = toErrorInfo(err, { where: 'export' });
    if (made.length > 0) await removeSetFolders(made);
  }
  return finish(ctx, outcome);
}

function finish(ctx: Ctx, outcome: ExportOutcome): ExportOutcome {
  ctx.emit({ exportId: ctx.exportId, at: ctx.now().toISOString(), type: 'export-finished', outcome });
  return outcome;
}

function started(ctx: Ctx, source: ExportSource, copyPath: string): void {
  ctx.emit({
    exportId: ctx.exportId,
    at: ctx.now().toISOString(),
    type: 'export-started',
    profile: source.profile,
    setName: source.setName,
    sources: source.sources,
    copyPath,
    files: source.files.length,
    bytesTotal: source.bytesTotal,
  });
}

/** The target must exist (a drive that is not connected is said) and must not be the set itself. */
async function checkTarget(source: ExportSource, to: string, copyRoot: string): Promise<void> {
  const s = await stat(to).catch(() => undefined);
  if (!s?.isDirectory())
    throw new ExpectedError(
      'EXPORT_TARGET_MISSING',
      s
        ? `${to} is a file, not a folder.`
        : `${to} does not exist: the drive is not connected, or the path is wrong.`,
      {
        step: 'export',
        fix: 'Connect the drive (or give an existing folder) and export again.',
        details: { path: to },
      },
    );
  for (const src of source.sources)
    if (within(copyRoot, src) || within(src, copyRoot))
      throw new ExpectedError(
        'EXPORT_TARGET_IS_SOURCE',
        `${to} is where the set already is (${src}): an export needs another place.`,
        { step: 'export', fix: 'Give another drive or folder with --to.', details: { path: to } },
      );
}

/** `inner` is `outer` or below it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function copyAndVerify(
  ctx: Ctx,
  source: ExportSource,
  copyRoot: string,
  made: FolderIdentity[],
): Promise<VerifyReport> {
  const total = source.bytesTotal;
  let phase: 'copy' | 'verify' = 'copy';
  let current = '';
  const tracker = new ProgressTracker((fraction, c) => {
    const e: ExportEvent = {
      exportId: ctx.exportId,
      at: ctx.now().toISOString(),
      type: 'export-progress',
      phase,
      fraction,
      bytesDone: c.bytesDone ?? 0,
      bytesTotal: total,
      current,
    };
    if (c.bytesPerSecond !== undefined) e.bytesPerSecond = c.bytesPerSecond;
    if (c.etaSeconds !== undefined) e.etaSeconds = c.etaSeconds;
    ctx.emit(e);
  });
  // The copy counts as 2/3 of the work, the re-read as 1/3 (each phase's bytes start from 0).
  const progress: CopyProgress = (p, done, file) => {
    if (p !== phase) tracker.flush();
    phase = p;
    current = file;
    const f = total === 0 ? 1 : p === 'copy' ? (2 * done) / (3 * total) : 2 / 3 + done / (3 * total);
    tracker.report(f, { bytesDone: done, bytesTotal: total });
  };
  let report: VerifyReport;
  try {
    await copySetFiles(source, copyRoot, ctx.signal, progress);
    await failIfMoved(made);
    report = await reReadCopy(copyRoot, {
      signal: ctx.signal,
      sealKeys: ctx.req.sealKeys ?? [],
      progress,
    }).catch(async (err: unknown) => {
      // A copy that reads back wrong because its drive went away: say the drive went away.
      throw (await checkSetFolders(made)) ?? err;
    });
  } finally {
    // No progress event may follow export-finished (the tracker's trailing timer).
    tracker.flush();
  }
  await failIfMoved(made);
  // Only now does the copy stop saying "in progress"; then its verification record is written.
  await rm(join(copyRoot, IN_PROGRESS_MARKER));
  await syncDir(copyRoot);
  await writeRecords(report, { now: ctx.now });
  return report;
}

async function failIfMoved(made: FolderIdentity[]): Promise<void> {
  const problem = await checkSetFolders(made);
  if (problem) throw problem;
}
