// One pass over the live repository folder when its turn comes (sequential mode, and snapshot
// mode when nothing could freeze the volume). Its point is the end of the pass: every file was
// read at or before it, and each after the database's point.
import { formatBytes, plural } from '../../../contract/format.js';
import type { StepContext } from '../../step.js';
import type { ArchiveCounts } from './archive-tree.js';
import type { ArchiveSession } from './archive-session.js';
import type { RepositorySource } from './source.js';

export async function captureLive(
  ctx: StepContext,
  src: RepositorySource,
  session: ArchiveSession,
): Promise<ArchiveCounts> {
  ctx.capture.ready();
  await ctx.capture.turn();
  const start = new Date();
  const counts = await session.pass({
    root: src.root,
    rootDev: src.identity.dev,
    exclude: src.exclude,
    warn: src.warn.add,
    scan: true,
    range: [0, 0.98],
  });
  ctx.capture.taken({
    at: new Date(),
    notBefore: start,
    description: `End of the archive of the live repository folder (${plural(counts.files, 'file')}, ${formatBytes(counts.bytes)} read one after the other since ${start.toISOString()}).`,
  });
  return counts;
}
