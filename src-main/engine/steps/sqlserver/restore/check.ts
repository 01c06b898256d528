// Preconditions of a SQL Server restore, each with a plain fix: rights, versions, where the .bak
// can go, the target databases as they are, the rehearsal folder, free space against the sizes.
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { formatBytes } from '../../../../contract/format.js';
import type { PreflightCheck } from '../../../../contract/preflight.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import type { RestoreServerFacts } from './facts.js';
import { volumeOf } from './placement.js';
import { majorOf } from './source.js';
import type { Survey } from './survey.js';

type Check = Omit<PreflightCheck, 'component'>;

export function rightsCheck(f: RestoreServerFacts, target: RestoreTarget): Check {
  const login = f.loginName || '<login>';
  const id = 'sqlserver.restore.rights';
  const title = 'Right to restore databases';
  if (f.isSysadmin || f.isDbcreator)
    return {
      id,
      title,
      status: 'ok',
      message: `${login} is ${f.isSysadmin ? 'sysadmin' : 'in dbcreator'}: it may restore, replace and drop databases.`,
    };
  if (target.kind === 'scratch' && f.canCreateDatabase)
    return {
      id,
      title,
      status: 'ok',
      message: `${login} may create databases (CREATE ANY DATABASE), which a rehearsal under new names needs.`,
    };
  return {
    id,
    title,
    status: 'failed',
    message: `${login} is neither sysadmin nor in dbcreator: RESTORE over an existing database needs one of them (db_owner in the database is not enough).`,
    fix: `Ask the DBA: ALTER SERVER ROLE [dbcreator] ADD MEMBER [${login}];`,
  };
}

export function versionCheck(f: RestoreServerFacts, sv: Survey): Check {
  const src = majorOf(sv.view.sourceVersion);
  const id = 'sqlserver.restore.version';
  const title = 'SQL Server version';
  if (src === undefined || f.major === undefined)
    return {
      id,
      title,
      status: 'warning',
      message: `The versions cannot be compared (set: ${sv.view.sourceVersion ?? 'unknown'}, target: ${f.productVersion || 'unknown'}); RESTORE HEADERONLY will tell.`,
    };
  if (f.major < src)
    return {
      id,
      title,
      status: 'failed',
      message: `The set comes from SQL Server ${sv.view.sourceVersion ?? src}, and ${sv.serverText} runs ${f.productVersion}: a database cannot be restored to an older version.`,
      fix: 'Restore on a SQL Server at least as new as the one the set was taken from.',
    };
  return {
    id,
    title,
    status: 'ok',
    message: `The set comes from SQL Server ${sv.view.sourceVersion ?? src}; ${sv.serverText} runs ${f.productVersion}.`,
  };
}

async function stagingChecks(sv: Survey, out: Check[]): Promise<void> {
  for (const d of sv.noSource)
    out.push({
      id: `sqlserver.restore.source.${d.name}`,
      title: `Backup file of ${d.name}`,
      status: 'failed',
      message: `The backup of ${d.name} cannot be brought where SQL Server reads it: ${d.artifact ? 'the profile has no copyFrom' : 'the set holds no copy of the .bak'}.`,
      fix: 'Set copyFrom to the server backup folder (serverBackupDir) as this machine sees it, e.g. a share of it.',
    });
  const copies = sv.jobs.filter((j) => j.stage.how === 'copy');
  for (const j of sv.jobs.filter((x) => x.stage.how === 'server-copy'))
    out.push({
      id: `sqlserver.restore.source.${j.source.name}`,
      title: `Backup file of ${j.source.name}`,
      status: 'warning',
      message: `The set holds no copy of this .bak (or no copyFrom is set): the restore uses the server's own file ${j.stage.serverFile}, checked by its BackupSetGUID and RESTORE VERIFYONLY, but not re-hashed against the set.`,
      fix: "Set copyFrom (the server backup folder as this machine sees it) so the set's hashed copy is used.",
    });
  if (copies.length === 0 || !sv.cfg.copyFrom) return;
  const need = copies.reduce((a, j) => a + (j.source.artifact?.bytes ?? 0), 0);
  const dir = sv.cfg.copyFrom;
  const title = 'Server backup folder (copyFrom)';
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    out.push({
      id: 'sqlserver.restore.staging',
      title,
      status: 'failed',
      message: `${dir} cannot be written from this machine (${(err as { code?: string }).code ?? 'error'}): the .bak files cannot be put where SQL Server reads them.`,
      fix: `Make ${dir} (the server backup folder as this machine sees it) reachable and writable for the account that runs the restore.`,
    });
    return;
  }
  const free = await statfs(dir).then(
    (s) => Number(s.bavail) * Number(s.bsize),
    () => undefined,
  );
  out.push(
    free !== undefined && free < need
      ? {
          id: 'sqlserver.restore.staging',
          title,
          status: 'failed',
          message: `The .bak files need ${formatBytes(need)}; ${dir} has ${formatBytes(free)} free.`,
          fix: `Free space in ${dir}, then run the restore again.`,
        }
      : {
          id: 'sqlserver.restore.staging',
          title,
          status: 'ok',
          message: `${dir} is writable${free !== undefined ? ` with ${formatBytes(free)} free for ${formatBytes(need)} of .bak files` : ''}.`,
        },
  );
}

function targetChecks(sv: Survey, target: RestoreTarget, out: Check[]): void {
  for (const j of sv.jobs) {
    const id = `sqlserver.restore.target.${j.target}`;
    const title = `Database ${j.target}`;
    const e = j.existing;
    if (target.kind === 'scratch') {
      out.push(
        e
          ? {
              id,
              title,
              status: 'failed',
              message: `A database named ${j.target} already exists on ${sv.serverText}; a rehearsal never touches a database it did not create.`,
              fix: 'If it is a leftover of an interrupted rehearsal, run the rehearsal cleanup (it removes what its journal lists); otherwise drop or rename it by hand.',
            }
          : {
              id,
              title,
              status: 'ok',
              message: `${j.source.name} is rehearsed as ${j.target} (a new database, dropped at the end).`,
            },
      );
      continue;
    }
    if (!e)
      out.push({
        id,
        title,
        status: 'ok',
        message: `${j.target} does not exist on ${sv.serverText}: the restore creates it.`,
      });
    else if (e.sessions > 0)
      out.push({
        id,
        title,
        status: 'warning',
        message: `${e.sessions} other session(s) are connected to ${j.target}: they will be disconnected and their open transactions rolled back.`,
        fix: 'Stop Octane on every node before restoring; close reports or SSMS windows on the database.',
      });
    else
      out.push({
        id,
        title,
        status: 'ok',
        message: `${j.target} is ${e.state} with no other session; the restore replaces it.`,
      });
  }
}

function folderChecks(sv: Survey, target: RestoreTarget, out: Check[]): void {
  if (target.kind !== 'scratch') return;
  const id = 'sqlserver.restore.scratch-folder';
  const title = 'Rehearsal folder on the SQL Server host';
  if (!sv.scratchDir) {
    out.push({
      id,
      title,
      status: 'failed',
      message:
        'No rehearsal folder is set: the scratch databases need a folder on the SQL Server host for their files.',
      fix: 'Set database.rehearsalDir to a folder on the SQL Server host (e.g. S:\\Rehearsal) with room for the largest set, writable by the SQL Server service account.',
    });
    return;
  }
  const exists = sv.folders.get(sv.scratchDir);
  if (exists === false)
    out.push({
      id,
      title,
      status: 'failed',
      message: `SQL Server does not see a folder ${sv.scratchDir} on its host.`,
      fix: `Create ${sv.scratchDir} on the SQL Server host, writable by the SQL Server service account, or set database.rehearsalDir to an existing folder.`,
    });
  else if (exists === undefined)
    out.push({
      id,
      title,
      status: 'warning',
      message: `Whether ${sv.scratchDir} exists on the SQL Server host cannot be checked from here (SQL Server 2017 and VIEW SERVER STATE are needed).`,
      fix: `Make sure ${sv.scratchDir} exists on the SQL Server host.`,
    });
  else out.push({ id, title, status: 'ok', message: `${sv.scratchDir} exists on the SQL Server host.` });
}

/** Bytes each volume must take: new file sizes, minus what the live files being replaced occupy. */
export function needByVolume(sv: Survey): {
  byVolume: Map<string, number>;
  unplaced: number;
  unknown: string[];
} {
  const byVolume = new Map<string, number>();
  let unplaced = 0;
  const unknown: string[] = [];
  const mounts = (sv.volumes ?? []).map((v) => v.mountPoint);
  for (const j of sv.jobs) {
    if (j.rowsFrom === 'unknown') unknown.push(j.source.name);
    for (const p of j.placements) {
      const live = j.existing?.files.find((f) => f.physicalName.toLowerCase() === p.to.toLowerCase());
      const need = Math.max(0, p.sizeBytes - (live?.sizeBytes ?? 0));
      const v = volumeOf(p.to, mounts);
      if (v === undefined) unplaced += need;
      else byVolume.set(v, (byVolume.get(v) ?? 0) + need);
    }
  }
  return { byVolume, unplaced, unknown };
}

export function spaceChecks(sv: Survey): Check[] {
  const id = 'sqlserver.restore.space';
  const title = 'Free space for the database files';
  const { byVolume, unplaced, unknown } = needByVolume(sv);
  const out: Check[] = [];
  if (unknown.length > 0)
    out.push({
      id: `${id}.unknown`,
      title,
      status: 'warning',
      message: `The file sizes of ${unknown.join(', ')} are not in the set; the run checks them with RESTORE FILELISTONLY before touching any database.`,
    });
  if (!sv.volumes) {
    out.push({
      id,
      title,
      status: 'warning',
      message: 'Free space on the SQL Server host cannot be read: the login lacks VIEW SERVER STATE.',
      fix: 'Check free space on the target volumes by hand, or ask the DBA: GRANT VIEW SERVER STATE TO [<login>];',
    });
    return out;
  }
  for (const [mount, need] of byVolume) {
    const free = sv.volumes.find((v) => v.mountPoint === mount)?.availableBytes ?? 0;
    out.push(
      free >= need
        ? {
            id: `${id}.${mount}`,
            title: `Free space on ${mount}`,
            status: 'ok',
            message: `${formatBytes(need)} needed, ${formatBytes(free)} free.`,
          }
        : {
            id: `${id}.${mount}`,
            title: `Free space on ${mount}`,
            status: 'failed',
            message: `The restored files need ${formatBytes(need)} on ${mount}; only ${formatBytes(free)} are free.`,
            fix: `Free space on ${mount} of the SQL Server host${sv.scratchDir ? ' or choose another rehearsal folder' : ''}, then run again.`,
          },
    );
  }
  if (unplaced > 0)
    out.push({
      id: `${id}.other`,
      title,
      status: 'warning',
      message: `${formatBytes(unplaced)} go to volumes that hold no database file yet; their free space cannot be read.`,
      fix: 'Check the free space of those volumes by hand.',
    });
  return out;
}

export async function sqlServerChecks(sv: Survey, target: RestoreTarget): Promise<PreflightCheck[]> {
  const out: Check[] = [];
  if (sv.unreachable || !sv.facts) {
    out.push({
      id: 'sqlserver.restore.connection',
      title: `Connection to ${sv.serverText}`,
      status: 'failed',
      message: sv.unreachable?.message ?? 'Not connected.',
      ...(sv.unreachable?.fix ? { fix: sv.unreachable.fix } : {}),
    });
    await stagingChecks(sv, out);
    return out.map((c) => ({ ...c, component: 'database' }));
  }
  out.push({
    id: 'sqlserver.restore.connection',
    title: `Connection to ${sv.serverText}`,
    status: 'ok',
    message: `Logged in as ${sv.facts.loginName}.`,
  });
  out.push(rightsCheck(sv.facts, target), versionCheck(sv.facts, sv));
  await stagingChecks(sv, out);
  targetChecks(sv, target, out);
  folderChecks(sv, target, out);
  out.push(...spaceChecks(sv));
  return out.map((c) => ({ ...c, component: 'database' }));
}
