// One archive and its file list, open for as many passes as the capture mode makes: one pass
// (sequential, snapshot), or the bracketed capture's first pass and its second pass, whose entries
// are appended to the same archive (a later entry of a path replaces the earlier on extraction).
// Committed once, at the end; abandoned (nothing left behind) on failure or Cancel.
import type { ProgressReporter, StepContext } from '../../step.js';
import { ArtifactOutput } from './artifact-output.js';
import { ArchiveProgress, type TotalsSource } from './archive-progress.js';
import { archiveTree, type ArchiveCounts, type ArchiveTreeOptions } from './archive-tree.js';
import type { RepositorySettings } from './config.js';
import type { EntryWriter } from './entry-writer.js';
import type { FatGuard } from './fat-guard.js';
import { FileListWriter } from './file-list.js';
import type { RepositoryStepInternals } from './internals.js';
import { Scanner } from './scanner.js';
import { TarWriter } from './tar-writer.js';
import { emptyTotals, type WalkEntry } from './walk.js';
import { ZipWriter } from './zip-writer.js';

type Artifact = Awaited<ReturnType<StepContext['out']['createArtifact']>>;

export interface PassOptions {
  /** The folder read: the live repository, or its frozen view. */
  root: string;
  rootDev: number;
  exclude: ReadonlySet<string>;
  warn: ArchiveTreeOptions['warn'];
  /** Count the tree ahead of the pass (totals for progress and the FAT32 rule); not for a delta. */
  scan: boolean;
  /** The share of the step's progress this pass covers, [from, to] within 0..1. */
  range: [number, number];
  select?: ArchiveTreeOptions['select'];
  onEntry?: ArchiveTreeOptions['onEntry'];
  pass?: number;
}

export class ArchiveSession {
  private constructor(
    private readonly ctx: StepContext,
    private readonly s: RepositorySettings,
    private readonly internals: RepositoryStepInternals,
    private readonly fat: FatGuard,
    private readonly archive: Artifact,
    private readonly list: Artifact,
    readonly writer: EntryWriter,
    private readonly fileList: FileListWriter,
  ) {}

  static async open(
    ctx: StepContext,
    s: RepositorySettings,
    internals: RepositoryStepInternals,
    fat: FatGuard,
  ): Promise<ArchiveSession> {
    const archive = await ctx.out.createArtifact(s.archiveName);
    let list: Artifact | undefined;
    try {
      list = await ctx.out.createArtifact(s.listName);
      const out = new ArtifactOutput(archive.stream, ctx.out.absPath(s.archiveName), ctx.signal);
      const listOut = new ArtifactOutput(list.stream, ctx.out.absPath(s.listName), ctx.signal);
      const writer = createWriter(s, out, internals);
      return new ArchiveSession(ctx, s, internals, fat, archive, list, writer, new FileListWriter(listOut));
    } catch (err) {
      await archive.discard();
      await list?.discard();
      throw err;
    }
  }

  /** One walk of `root` into the archive (not finished: more passes may follow). */
  async pass(p: PassOptions): Promise<ArchiveCounts> {
    const { ctx, internals } = this;
    let scanner: Scanner | undefined;
    if (p.scan) {
      scanner = new Scanner(p.root, {
        signal: ctx.signal,
        exclude: p.exclude,
        rootDev: p.rootDev,
        onEntry: this.fat.onScanned,
        ...(internals.hooks?.scanned && { pace: internals.hooks.scanned }),
      });
      scanner.start();
    }
    try {
      const totals: TotalsSource = scanner ?? { totals: emptyTotals(), done: false };
      const progress = new ArchiveProgress(scaled(ctx.progress, p.range), totals);
      const counts = await archiveTree({
        root: p.root,
        writer: this.writer,
        list: this.fileList,
        progress,
        signal: ctx.signal,
        warn: p.warn,
        open: internals.open,
        hooks: internals.hooks,
        exclude: p.exclude,
        rootDev: p.rootDev,
        check: (e: WalkEntry) => {
          scanner?.check();
          this.fat.check(e);
        },
        ...(p.select && { select: p.select }),
        ...(p.onEntry && { onEntry: p.onEntry }),
        ...(p.pass !== undefined && { pass: p.pass }),
      });
      progress.phase('Writing the archive to disk');
      return counts;
    } finally {
      await scanner?.stop();
    }
  }

  /** Ends the archive and the list and commits both; returns the archive's record. */
  async commit(source: string): Promise<{ path: string; bytes: number; sha256: string }> {
    await this.writer.finish();
    await this.fileList.flush();
    const archived = await this.archive.commit(`Repository folder ${source} (${this.writer.description})`);
    await this.list.commit(
      'File list of the repository archive (JSON lines: path, type, size, mtime, mode, sha256 of files; a later line of a path replaces an earlier one)',
    );
    return archived;
  }

  async abandon(): Promise<void> {
    await this.writer.abandon();
    await this.archive.discard();
    await this.list.discard();
  }

  get settings(): RepositorySettings {
    return this.s;
  }
}

/** A reporter for one part of the step: fractions 0..1 of the part become [from, to] of the step. */
export function scaled(reporter: ProgressReporter, [from, to]: [number, number]): ProgressReporter {
  return { report: (f, c) => reporter.report(from + Math.min(1, Math.max(0, f)) * (to - from), c) };
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
