// The repository-folder step: Octane's attachments folder into one archive (zip, tar or tar.gz)
// plus a file list, both hashed while written. Runs last (see run-backup.ts for why).
import { STEP_TITLES } from '../../../contract/words.js';
import { relative, sep } from 'node:path';
import type { BackupStep, StepContext } from '../../step.js';
import { ExpectedError } from '../../errors.js';
import { ArtifactOutput } from './artifact-output.js';
import {
  archiveTree,
  type ArchiveCounts,
  type ArchiveHooks,
  type RepositoryWarningCode,
} from './archive-tree.js';
import { ArchiveProgress } from './archive-progress.js';
import { formatBytes } from '../../../contract/format.js';
import { repositorySettings, setsInsideSource, type RepositorySettings } from './config.js';
import type { OpenFile } from './file-reader.js';
import { FileListWriter } from './file-list.js';
import { defaultFsTypeProbe, FAT32_MAX_FILE, type FsTypeProbe } from './fs-type.js';
import { fatLimitProblem, repositoryPreflight } from './preflight.js';
import { Scanner } from './scanner.js';
import {
  captureError,
  compareWithPrevious,
  notMountedError,
  previousCapture,
  rootChange,
  rootIdentity,
  sourceMount,
  type MountTables,
} from './source-policy.js';
import { openSourceRoot } from './source-root.js';
import { TarWriter } from './tar-writer.js';
import { emptyTotals, type TreeTotals, type WalkEntry } from './walk.js';
import { ZipWriter } from './zip-writer.js';
import type { EntryWriter } from './entry-writer.js';

export { repositoryPreflight } from './preflight.js';

/** Internal knobs: tests and benchmarks only; the registry calls createRepositoryStep() without them. */
export interface RepositoryStepInternals {
  fsType?: FsTypeProbe;
  open?: OpenFile;
  hooks?: ArchiveHooks;
  /** Mount tables read instead of /proc/mounts and /etc/fstab. */
  mountTables?: MountTables;
  /** Bytes per tar block / gzip member (default 1 MiB). */
  blockSize?: number;
  /** gzip members, or zip blocks of one large file, compressed at once (default 3). */
  gzipParallel?: number;
  /** Store data that looks incompressible instead of deflating it (default true). */
  storeIncompressible?: boolean;
  /** Worker threads compressing small zip entries (default: cores - 1). */
  zipWorkers?: number;
}

/** Individual warnings per code kept in the manifest; the rest go to the run log and one summary. */
const WARNINGS_PER_CODE = 200;

export function createRepositoryStep(internals: RepositoryStepInternals = {}): BackupStep {
  const fsType = internals.fsType ?? defaultFsTypeProbe();
  return {
    id: 'repository',
    title: STEP_TITLES.repository,
    preflight: (ctx) =>
      repositoryPreflight(ctx.profile, {
        signal: ctx.signal,
        fsType,
        ...(internals.mountTables && { mountTables: internals.mountTables }),
      }),
    run: (ctx) => runRepositoryStep(ctx, internals, fsType),
  };
}

async function runRepositoryStep(
  ctx: StepContext,
  internals: RepositoryStepInternals,
  fsType: FsTypeProbe,
): Promise<void> {
  const s = repositorySettings(ctx.profile);
  const root = await openSourceRoot(s.path);
  const notMounted = await notMountedError(root, s.path, internals.mountTables);
  if (notMounted) throw notMounted;
  const identity = await rootIdentity(root);
  const mount = await sourceMount(root, internals.mountTables);
  const previous = await previousCapture(s.profileFolder);
  const warn = warningSink(ctx);
  const inside = await setsInsideSource(root, s);
  const exclude = new Set(inside === undefined ? [] : [inside]);
  if (inside !== undefined)
    warn.add(
      'DESTINATION_INSIDE_SOURCE',
      `The backup sets are written inside the repository folder (${inside}); that folder is left out of the archive. Choose a destination outside ${root}.`,
      relative(root, inside).split(sep).join('/'),
    );
  const limit = fatGuard(ctx, s, await fsType(s.destination).catch(() => undefined));
  const scanner = new Scanner(root, {
    signal: ctx.signal,
    exclude,
    rootDev: identity.dev,
    onEntry: limit.onScanned,
    ...(internals.hooks?.scanned && { pace: internals.hooks.scanned }),
  });
  scanner.start();
  try {
    const counts = await writeArchive(ctx, internals, s, {
      root,
      exclude,
      rootDev: identity.dev,
      scanner,
      warn: warn.add,
      check: (e) => {
        scanner.check();
        limit.check(e);
      },
    });
    warn.summarize();
    ctx.record.detail('sourceMount', mount);
    const comparison = compareWithPrevious(previous, {
      files: counts.files,
      bytes: counts.bytes,
      source: root,
      mount,
    });
    if (comparison.shrank) warn.add('REPOSITORY_SHRANK', comparison.shrank, '');
    if (comparison.mountChanged) warn.add('REPOSITORY_MOUNT_CHANGED', comparison.mountChanged, '');
    const failure = captureError({
      files: counts.files,
      allowEmpty: s.allowEmpty,
      configured: s.path,
      rootChanged: await rootChange(s.path, identity),
      comparison,
      warned: warn.count,
    });
    if (failure) throw failure;
  } finally {
    await scanner.stop();
    warn.summarize();
  }
}

interface ArchiveInput {
  root: string;
  exclude: ReadonlySet<string>;
  rootDev: number;
  scanner: Scanner;
  warn: (code: RepositoryWarningCode, message: string, subject: string) => void;
  check: (e: WalkEntry) => void;
}

/** Writes and commits the archive and the file list; records what was captured. */
async function writeArchive(
  ctx: StepContext,
  internals: RepositoryStepInternals,
  s: RepositorySettings,
  a: ArchiveInput,
): Promise<ArchiveCounts> {
  const archive = await ctx.out.createArtifact(s.archiveName);
  let list: Awaited<ReturnType<typeof ctx.out.createArtifact>> | undefined;
  let writer: EntryWriter | undefined;
  try {
    list = await ctx.out.createArtifact(s.listName);
    const out = new ArtifactOutput(archive.stream, ctx.out.absPath(s.archiveName), ctx.signal);
    const listOut = new ArtifactOutput(list.stream, ctx.out.absPath(s.listName), ctx.signal);
    writer = createWriter(s, out, internals);
    ctx.record.statement(`archive ${a.root} -> ${ctx.out.relPath(s.archiveName)} as ${writer.description}`);
    const progress = new ArchiveProgress(ctx.progress, a.scanner);
    const fileList = new FileListWriter(listOut);
    const counts = await archiveTree({
      root: a.root,
      writer,
      list: fileList,
      progress,
      signal: ctx.signal,
      warn: a.warn,
      open: internals.open,
      hooks: internals.hooks,
      exclude: a.exclude,
      rootDev: a.rootDev,
      check: a.check,
    });
    progress.phase('Writing the archive to disk');
    await writer.finish();
    await fileList.flush();
    const archived = await archive.commit(`Repository folder ${a.root} (${writer.description})`);
    await list.commit(
      'File list of the repository archive (JSON lines: path, type, size, mtime, mode, sha256 of files)',
    );
    recordCapture(ctx, s, a.root, counts, writer, ctx.out.relPath(s.listName));
    ctx.log.info(
      `Archived ${counts.files} files (${formatBytes(counts.bytes)}) into ${archived.path}: ${formatBytes(archived.bytes)}, SHA-256 ${archived.sha256}.`,
    );
    return counts;
  } catch (err) {
    await writer?.abandon();
    await archive.discard();
    await list?.discard();
    throw err;
  }
}

function createWriter(
  s: RepositorySettings,
  out: ArtifactOutput,
  internals: RepositoryStepInternals,
): EntryWriter {
  if (s.format === 'zip')
    return new ZipWriter(out, {
      level: s.level,
      storeIncompressible: internals.storeIncompressible ?? true,
      parallel: internals.gzipParallel ?? 3,
      ...(internals.zipWorkers !== undefined && { workers: internals.zipWorkers }),
    });
  return new TarWriter(out, {
    ...(s.format === 'tar.gz' && { gzipLevel: s.level }),
    blockSize: internals.blockSize ?? 1024 * 1024,
    parallel: internals.gzipParallel ?? 3,
    storeIncompressible: internals.storeIncompressible ?? true,
  });
}

function recordCapture(
  ctx: StepContext,
  s: RepositorySettings,
  root: string,
  counts: ArchiveCounts,
  writer: EntryWriter,
  fileList: string,
): void {
  ctx.record.detail('source', root);
  ctx.record.detail('format', s.format);
  ctx.record.detail('compression', s.compression);
  ctx.record.detail('archive', ctx.out.relPath(s.archiveName));
  ctx.record.detail('fileList', fileList);
  ctx.record.detail('files', counts.files);
  ctx.record.detail('folders', counts.directories);
  ctx.record.detail('symlinks', counts.symlinks);
  ctx.record.detail('skipped', counts.skipped);
  ctx.record.detail('sourceBytes', counts.bytes);
  if (writer instanceof TarWriter && writer.gzipStats) ctx.record.detail('gzipMembers', writer.gzipStats);
  if (writer instanceof ZipWriter && s.level > 0) ctx.record.detail('zipBlocksStored', writer.storedBlocks);
}

/**
 * The FAT32 rule while the scanner runs ahead: a file of 4 GiB or more (or an uncompressed archive
 * that will pass 4 GiB) on a FAT destination stops the run as soon as it is known, and always
 * before any byte of such a file is written.
 */
function fatGuard(
  ctx: StepContext,
  s: RepositorySettings,
  fsType: string | undefined,
): { onScanned: (t: TreeTotals, e: WalkEntry) => void; check: (e: WalkEntry) => void } {
  let warned = false;
  const judge = (t: TreeTotals): void => {
    const fat = fatLimitProblem(fsType, s, t);
    if (fat?.status === 'failed')
      throw new ExpectedError('DESTINATION_FAT32_LIMIT', fat.message, {
        step: 'repository',
        fix: fat.fix,
        details: { destination: s.destination },
      });
    if (fat && !warned) {
      warned = true;
      ctx.log.warn(fat.message);
    }
  };
  return {
    onScanned: (t) => judge(t),
    // The file alone (bytes 0 keeps the whole-archive estimate out of it): refused before it is opened.
    check: (e) => {
      if (e.kind === 'file' && e.stats.size > FAT32_MAX_FILE)
        judge({ ...emptyTotals(), files: 1, largestFile: e.stats.size, largestFilePath: e.rel });
    },
  };
}

function warningSink(ctx: StepContext): {
  add: (code: RepositoryWarningCode, message: string, subject: string) => void;
  count: (code: RepositoryWarningCode) => number;
  summarize: () => void;
} {
  const counts = new Map<string, number>();
  let summarized = false;
  return {
    add(code, message, subject) {
      const n = (counts.get(code) ?? 0) + 1;
      counts.set(code, n);
      if (n <= WARNINGS_PER_CODE) ctx.record.warn(code, message, subject === '' ? undefined : subject);
      else ctx.log.warn(`${code}: ${message}`);
    },
    count: (code) => counts.get(code) ?? 0,
    summarize() {
      if (summarized) return;
      summarized = true;
      for (const [code, n] of counts)
        if (n > WARNINGS_PER_CODE)
          ctx.record.warn(
            code,
            `${n - WARNINGS_PER_CODE} more ${code} warnings are not listed here; every one is in the run log.`,
          );
    },
  };
}
