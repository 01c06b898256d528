// Bringing each .bak where the SQL Server service account reads it: the reverse of the backup's
// copyFrom. The set's copy goes into the server backup folder (as this machine sees it), hashed
// while copied, compared with the manifest, and hashed again from the folder after the copy. A file
// of the same name already there is used only when its SHA-256 is the set's; otherwise the copy
// gets a name of its own, so nothing this restore did not write is ever overwritten or removed.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { hashFile } from '../../../backup-set/verify.js';
import { pathExists } from '../../../path-exists.js';
import type { RestoreContext } from '../../restore/primitive.js';
import { artifactPath, stageFile } from '../../restore/set-files.js';
import { serverPath } from '../tsql.js';
import type { DatabaseJob } from './jobs.js';

export interface StageHooks {
  ctx: RestoreContext;
  serverBackupDir: string;
  /** Bytes of this file copied so far. */
  onBytes: (done: number) => void;
  /** Called with each file this restore created (removed at the end). */
  created: (localFile: string) => void;
}

function ownName(fileName: string): string {
  return fileName.replace(/\.bak$/i, `.restore-${randomBytes(3).toString('hex')}.bak`);
}

export async function stageJob(job: DatabaseJob, h: StageHooks): Promise<void> {
  const { ctx } = h;
  const a = job.source.artifact;
  const local = job.stage.localFile;
  if (job.stage.how === 'server-copy' || !a || !local) return;
  if (job.stage.how === 'reuse') {
    const found = await hashFile(local, ctx.signal).catch(() => undefined);
    if (found?.sha256 === a.sha256 && found.bytes === a.bytes) {
      ctx.statement(
        `-- ${local} already holds the set's ${job.source.fileName} (SHA-256 ${a.sha256}): used as it is`,
      );
      return;
    }
    ctx.log.info(
      `${local} is not the set's ${job.source.fileName} (its SHA-256 differs): copying the set's file beside it.`,
    );
  }
  let dest = local;
  if (await pathExists(dest)) dest = join(dirname(local), ownName(basename(local)));
  job.stage = { how: 'copy', localFile: dest, serverFile: serverPath(h.serverBackupDir, basename(dest)) };
  await ctx.journal({
    component: 'database',
    kind: 'sqlserver-file',
    name: dest,
    where: 'server backup folder (copyFrom)',
  });
  h.created(dest);
  ctx.statement(
    `-- copy ${a.path} to ${dest} (SQL Server opens it as ${job.stage.serverFile}); SHA-256 ${a.sha256} checked while copying and after`,
  );
  await stageFile(artifactPath(ctx.set.root, 'database', a.path), a, dest, {
    signal: ctx.signal,
    onBytes: h.onBytes,
    readBack: true,
    targetWhat: 'the server backup folder (copyFrom)',
    step: 'database',
  });
}
