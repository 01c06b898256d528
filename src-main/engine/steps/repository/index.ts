// The repository-folder step: Octane's attachments folder into one archive (zip, tar or tar.gz)
// plus a file list, both hashed while written, captured in the profile's mode (bracketed,
// snapshot or sequential; see run-backup.ts for the order of the points and
// docs/repository-step.md for the modes).
import { formatBytes } from '../../../contract/format.js';
import { STEP_TITLES } from '../../../contract/words.js';
import type { BackupStep, StepContext } from '../../step.js';
import type { ArchiveSession } from './archive-session.js';
import { ArchiveSession as Session } from './archive-session.js';
import { captureBracketed } from './capture-bracketed.js';
import { captureLive } from './capture-live.js';
import { captureFromSnapshot, cleanUpSnapshots } from './capture-snapshot.js';
import { repositorySettings, type RepositorySettings } from './config.js';
import { fatGuard } from './fat-guard.js';
import { defaultFsTypeProbe, type FsTypeProbe } from './fs-type.js';
import type { RepositoryStepInternals } from './internals.js';
import { repositoryPreflight } from './preflight.js';
import { judgeCapture, openRepositorySource, type RepositorySource } from './source.js';
import { TarWriter } from './tar-writer.js';
import { ZipWriter } from './zip-writer.js';

export { repositoryPreflight } from './preflight.js';
export type { RepositoryStepInternals } from './internals.js';

export function createRepositoryStep(internals: RepositoryStepInternals = {}): BackupStep {
  const fsType = internals.fsType ?? defaultFsTypeProbe();
  return {
    id: 'repository',
    title: STEP_TITLES.repository,
    phased: true,
    preflight: (ctx) =>
      repositoryPreflight(ctx.profile, {
        signal: ctx.signal,
        fsType,
        ...(internals.mountTables && { mountTables: internals.mountTables }),
        ...(internals.snapshot && { snapshot: internals.snapshot }),
        env: ctx.env,
      }),
    run: (ctx) => runRepositoryStep(ctx, internals, fsType),
  };
}

interface Captured {
  files: number;
  bytes: number;
  skipped: number;
  directories?: number;
  symlinks?: number;
}

async function runRepositoryStep(
  ctx: StepContext,
  internals: RepositoryStepInternals,
  fsType: FsTypeProbe,
): Promise<void> {
  const s = repositorySettings(ctx.profile);
  await cleanUpSnapshots(ctx, s, internals);
  const src = await openRepositorySource(ctx, s, internals);
  const fat = fatGuard(ctx, s, await fsType(s.destination).catch(() => undefined));
  const session = await Session.open(ctx, s, internals, fat);
  let captured: Captured;
  try {
    ctx.record.statement(
      `archive ${src.root} -> ${ctx.out.relPath(s.archiveName)} as ${session.writer.description} (${ctx.capture.mode} capture)`,
    );
    captured =
      ctx.capture.mode === 'bracketed'
        ? await captureBracketed(ctx, src, session)
        : ctx.capture.mode === 'snapshot'
          ? await captureFromSnapshot(ctx, s, src, session, internals)
          : await captureLive(ctx, src, session);
    const archived = await session.commit(src.root);
    recordCapture(ctx, s, src, captured, session);
    ctx.log.info(
      `Archived ${captured.files} files (${formatBytes(captured.bytes)}) into ${archived.path}: ${formatBytes(archived.bytes)}, SHA-256 ${archived.sha256}.`,
    );
  } catch (err) {
    await session.abandon();
    src.warn.summarize();
    throw err;
  }
  // After the commit: a capture that fails the verdict keeps its archive, and the set is not complete.
  await judgeCapture(ctx, s, src, captured);
}

function recordCapture(
  ctx: StepContext,
  s: RepositorySettings,
  src: RepositorySource,
  c: Captured,
  session: ArchiveSession,
): void {
  const writer = session.writer;
  ctx.record.detail('source', src.root);
  ctx.record.detail('capture', ctx.capture.mode);
  ctx.record.detail('format', s.format);
  ctx.record.detail('compression', s.compression);
  ctx.record.detail('archive', ctx.out.relPath(s.archiveName));
  ctx.record.detail('fileList', ctx.out.relPath(s.listName));
  ctx.record.detail('files', c.files);
  if (c.directories !== undefined) ctx.record.detail('folders', c.directories);
  if (c.symlinks !== undefined) ctx.record.detail('symlinks', c.symlinks);
  ctx.record.detail('skipped', c.skipped);
  ctx.record.detail('sourceBytes', c.bytes);
  if (writer instanceof TarWriter && writer.gzipStats) ctx.record.detail('gzipMembers', writer.gzipStats);
  if (writer instanceof ZipWriter && s.level > 0) ctx.record.detail('zipBlocksStored', writer.storedBlocks);
}
