// The repository-folder step: Octane's attachments folder into one archive (zip, tar or tar.gz)
// plus a file list, both hashed while written. Runs last (see run-backup.ts for why).
import { STEP_TITLES } from '../../../contract/words.js';
import { relative, sep } from 'node:path';
import type { BackupStep, StepContext } from '../../step.js';
import { ExpectedError } from '../../errors.js';
import { ArtifactOutput } from './artifact-output.js';
import { archiveTree, type ArchiveHooks, type RepositoryWarningCode } from './archive-tree.js';
import { ArchiveProgress } from './archive-progress.js';
import { formatBytes } from '../../../contract/format.js';
import { repositorySettings, setsInsideSource, zipMemoryNote } from './config.js';
import type { OpenFile } from './file-reader.js';
import { FileListWriter } from './file-list.js';
import { defaultFsTypeProbe, type FsTypeProbe } from './fs-type.js';
import { fatLimitProblem, repositoryPreflight } from './preflight.js';
import { openSourceRoot } from './source-root.js';
import { TarWriter } from './tar-writer.js';
import { scanTree } from './walk.js';
import { ZipWriter } from './zip-writer.js';
import type { EntryWriter } from './entry-writer.js';

export { repositoryPreflight } from './preflight.js';

/** Internal knobs: tests and benchmarks only; the registry calls createRepositoryStep() without them. */
export interface RepositoryStepInternals {
  fsType?: FsTypeProbe;
  open?: OpenFile;
  hooks?: ArchiveHooks;
  /** Bytes per tar block / gzip member (default 1 MiB). */
  blockSize?: number;
  /** gzip members compressed at once (default 3: two cores busy while the next block is read). */
  gzipParallel?: number;
  /** Store data that looks incompressible instead of deflating it (default true). */
  storeIncompressible?: boolean;
}

/** Individual warnings per code kept in the manifest; the rest go to the run log and one summary. */
const WARNINGS_PER_CODE = 200;

export function createRepositoryStep(internals: RepositoryStepInternals = {}): BackupStep {
  const fsType = internals.fsType ?? defaultFsTypeProbe();
  return {
    id: 'repository',
    title: STEP_TITLES.repository,
    preflight: (ctx) => repositoryPreflight(ctx.profile, { signal: ctx.signal, fsType }),
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
  const warn = warningSink(ctx);
  const inside = await setsInsideSource(root, s);
  const exclude = new Set(inside === undefined ? [] : [inside]);
  if (inside !== undefined)
    warn.add(
      'DESTINATION_INSIDE_SOURCE',
      `The backup sets are written inside the repository folder (${inside}); that folder is left out of the archive. Choose a destination outside ${root}.`,
      relative(root, inside).split(sep).join('/'),
    );
  ctx.progress.report(0, { message: `Counting files in ${root}` });
  const totals = await scanTree(root, {
    signal: ctx.signal,
    exclude,
    onProgress: (t) =>
      ctx.progress.report(0, {
        message: `Counting files: ${t.files} so far`,
        itemsDone: 0,
        itemsTotal: t.files,
      }),
  });
  ctx.log.info(
    `Repository folder ${root}: ${totals.files} files, ${totals.directories} folders, ${totals.symlinks} links, ${formatBytes(totals.bytes)}.`,
  );

  // Refuse before writing anything: a FAT32 destination and a file (or archive) of 4 GiB or more.
  const fat = fatLimitProblem(await fsType(s.destination).catch(() => undefined), s, totals);
  if (fat?.status === 'failed')
    throw new ExpectedError('DESTINATION_FAT32_LIMIT', fat.message, {
      step: 'repository',
      fix: fat.fix,
      details: { destination: s.destination },
    });
  if (fat) ctx.log.warn(fat.message);
  const zipNote = zipMemoryNote(s, totals);
  if (zipNote !== undefined) ctx.log.warn(`${zipNote} Consider repository.format "tar.gz".`);

  const archive = await ctx.out.createArtifact(s.archiveName);
  let list: Awaited<ReturnType<typeof ctx.out.createArtifact>> | undefined;
  let writer: EntryWriter | undefined;
  try {
    list = await ctx.out.createArtifact(s.listName);
    const out = new ArtifactOutput(archive.stream, ctx.out.absPath(s.archiveName), ctx.signal);
    const listOut = new ArtifactOutput(list.stream, ctx.out.absPath(s.listName), ctx.signal);
    writer =
      s.format === 'zip'
        ? new ZipWriter(out, s.level, internals.storeIncompressible ?? true)
        : new TarWriter(out, {
            ...(s.format === 'tar.gz' && { gzipLevel: s.level }),
            blockSize: internals.blockSize ?? 1024 * 1024,
            parallel: internals.gzipParallel ?? 3,
            storeIncompressible: internals.storeIncompressible ?? true,
          });
    ctx.record.statement(`archive ${root} -> ${ctx.out.relPath(s.archiveName)} as ${writer.description}`);
    const progress = new ArchiveProgress(ctx.progress, totals);
    const counts = await archiveTree({
      root,
      writer,
      list: new FileListWriter(listOut),
      progress,
      signal: ctx.signal,
      warn: warn.add,
      open: internals.open,
      hooks: internals.hooks,
      exclude,
    });
    progress.phase('Writing the archive to disk');
    const archived = await archive.commit(`Repository folder ${root} (${writer.description})`);
    await list.commit('File list of the repository archive (JSON lines: path, type, size, mtime, mode)');
    warn.summarize();
    ctx.record.detail('source', root);
    ctx.record.detail('format', s.format);
    ctx.record.detail('compression', s.compression);
    ctx.record.detail('archive', archived.path);
    ctx.record.detail('fileList', ctx.out.relPath(s.listName));
    ctx.record.detail('files', counts.files);
    ctx.record.detail('folders', counts.directories);
    ctx.record.detail('symlinks', counts.symlinks);
    ctx.record.detail('skipped', counts.skipped);
    ctx.record.detail('sourceBytes', counts.bytes);
    if (writer instanceof TarWriter && writer.gzipStats) ctx.record.detail('gzipMembers', writer.gzipStats);
    if (writer instanceof ZipWriter && s.level > 0)
      ctx.record.detail('zipEntriesStored', writer.storedEntries);
    ctx.log.info(
      `Archived ${counts.files} files (${formatBytes(counts.bytes)}) into ${archived.path}: ${formatBytes(archived.bytes)}, SHA-256 ${archived.sha256}.`,
    );
  } catch (err) {
    await writer?.abandon();
    await archive.discard();
    await list?.discard();
    warn.summarize();
    throw err;
  }
}

function warningSink(ctx: StepContext): {
  add: (code: RepositoryWarningCode, message: string, subject: string) => void;
  summarize: () => void;
} {
  const counts = new Map<string, number>();
  let summarized = false;
  return {
    add(code, message, subject) {
      const n = (counts.get(code) ?? 0) + 1;
      counts.set(code, n);
      if (n <= WARNINGS_PER_CODE) ctx.record.warn(code, message, subject);
      else ctx.log.warn(`${code}: ${message}`);
    },
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
