// The set's copy of the repository folder, put back under path.repo: every file hashed while it is
// copied and compared with the manifest; index.latest (the pointer to the repository generation)
// written last, so the folder never looks like a repository before it is whole.
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepCounters } from '../../../../contract/events.js';
import { ExpectedError } from '../../../errors.js';
import type { RestoreContext } from '../../restore/primitive.js';
import { artifactPath, stageFile } from '../../restore/set-files.js';
import { REPOSITORY_DIR } from '../copy-repository.js';
import type { EsSetView } from './source.js';

const PREFIX = `elasticsearch/${REPOSITORY_DIR}/`;

export async function copyIn(
  ctx: RestoreContext,
  view: EsSetView,
  localDir: string,
  progress: (fraction: number, counters: StepCounters) => void,
  /** Called once the folder is ours (journaled and created): from then on the caller removes it. */
  created: () => void,
): Promise<void> {
  if (
    await access(localDir).then(
      () => true,
      () => false,
    )
  )
    throw new ExpectedError(
      'ES_RESTORE_COPY_EXISTS',
      `${localDir} already exists; the set's repository folder is only ever copied into a new folder.`,
      {
        step: 'elasticsearch',
        fix: 'Remove it if it is a leftover of an interrupted restore (the rehearsal cleanup does), or choose another restoreCopyFrom.',
      },
    );
  await ctx.journal({
    component: 'elasticsearch',
    kind: 'folder',
    name: localDir,
    where: 'this machine (the repository share)',
  });
  await mkdir(localDir, { recursive: true });
  created();
  const files = [...view.files].sort(
    (a, b) => Number(a.path.endsWith('/index.latest')) - Number(b.path.endsWith('/index.latest')),
  );
  const total = view.copyBytes;
  let before = 0;
  for (const [i, a] of files.entries()) {
    const rel = a.path.slice(PREFIX.length).split('/');
    const src = artifactPath(ctx.set.root, 'elasticsearch', a.path);
    const base = before;
    await stageFile(src, a, join(localDir, ...rel), {
      signal: ctx.signal,
      targetWhat: 'the folder for the repository copy',
      step: 'elasticsearch',
      onBytes: (n) =>
        progress(total > 0 ? (base + n) / total : 1, {
          bytesDone: base + n,
          bytesTotal: total,
          itemsDone: i,
          itemsTotal: files.length,
          message: `Copying the set's repository folder: ${i + 1} of ${files.length} files`,
        }),
    });
    before += a.bytes;
  }
  ctx.statement(
    `-- copied ${files.length} files (${total} bytes) of the set's repository folder to ${localDir}, each SHA-256 checked`,
  );
}
