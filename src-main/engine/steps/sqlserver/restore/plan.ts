// The SQL Server restore as text: every copy and statement in the order the run does them.
import { formatBytes } from '../../../../contract/format.js';
import type { RestoreAction, RestorePlan } from '../../../../contract/restore.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { movesOf } from './placement.js';
import { checkDbMode, statementsFor, type DatabaseJob, type SqlServerRestoreOptions } from './jobs.js';
import type { Survey } from './survey.js';

function stageAction(j: DatabaseJob, setRoot: string): RestoreAction {
  const bak = j.source.artifact ? `${setRoot}/${j.source.artifact.path}` : j.source.fileName;
  if (j.stage.how === 'copy')
    return {
      kind: 'copy',
      title: `Copy the backup of ${j.source.name} into the server's backup folder (SHA-256 checked while copying and read back after)`,
      text: `copy "${bak}" "${j.stage.localFile ?? ''}"   (SQL Server opens it as ${j.stage.serverFile})`,
      changes: true,
    };
  if (j.stage.how === 'reuse')
    return {
      kind: 'check',
      title: `Use the backup of ${j.source.name} already in the server's backup folder, once its SHA-256 matches the set's`,
      text: j.stage.localFile ?? j.stage.serverFile,
      changes: false,
    };
  return {
    kind: 'check',
    title: `Use the backup's own file of ${j.source.name} on the SQL Server host (its BackupSetGUID must match the set; it cannot be re-hashed from here)`,
    text: j.stage.serverFile,
    changes: false,
  };
}

function jobActions(
  j: DatabaseJob,
  scratch: boolean,
  o: SqlServerRestoreOptions,
  target: RestoreTarget,
): RestoreAction[] {
  const s = statementsFor(j, scratch, checkDbMode(target, o));
  const out: RestoreAction[] = [];
  const sql = (title: string, text: string, changes: boolean): void =>
    void out.push({ kind: 'sql', title, text, changes });
  for (const t of s.before)
    sql(`Disconnect every other session from ${j.target} (open transactions roll back)`, t, true);
  sql(
    scratch
      ? `Restore ${j.source.name} as ${j.target}, every file moved into the rehearsal folder; progress per percent, then a recovery phase (redo/undo) that can last long`
      : `Restore ${j.target} over the live database${j.existing ? '' : ' (it does not exist yet: it is created)'}; progress per percent, then a recovery phase (redo/undo) that can last long`,
    s.restore,
    true,
  );
  for (const t of s.after) sql(`Open ${j.target} to every user again (also after a failure)`, t, true);
  if (s.checkDb) sql(`Check the restored ${j.target} for consistency`, s.checkDb, false);
  if (s.totals) sql(`Count the tables and rows of ${j.target}`, s.totals, false);
  if (s.drop) sql(`Drop the rehearsal database ${j.target} (also after a failure or cancel)`, s.drop, true);
  return out;
}

function notes(sv: Survey, target: RestoreTarget): string[] {
  const n: string[] = [];
  const when = sv.view.setName;
  if (sv.unreachable)
    n.push(
      `SQL Server ${sv.serverText} could not be asked (${sv.unreachable.message}); this plan is made from the set alone.`,
    );
  if (target.kind === 'in-place') {
    n.push(
      `Everything written to ${sv.jobs.map((j) => j.target).join(', ')} after set ${when} was taken is lost: RESTORE ... WITH REPLACE replaces each live database and discards its log tail. Back up the log tail first (BACKUP LOG ... WITH NORECOVERY) if it matters.`,
    );
    for (const j of sv.jobs)
      if (j.existing && j.existing.sessions > 0)
        n.push(
          `${j.target}: ${j.existing.sessions} other session(s) are connected now; they are disconnected and their open transactions roll back.`,
        );
  } else {
    n.push(
      `Rehearsal: each database is restored under a scratch name (${sv.jobs.map((j) => j.target).join(', ')})${sv.scratchDir ? ` with its files in ${sv.scratchDir}` : ''}, checked, counted and dropped; the live databases are not touched.`,
    );
  }
  for (const j of sv.jobs) {
    if (j.rowsFrom === 'unknown')
      n.push(
        `The file list of ${j.source.name} is not in the set: RESTORE FILELISTONLY decides where its files go once the file is staged.`,
      );
    else if (target.kind === 'in-place')
      for (const p of j.placements.filter((x) => movesOf([x]).length > 0))
        n.push(
          `${j.target}: file ${p.logicalName} (${formatBytes(p.sizeBytes)}) goes to ${p.to}, ${p.reason} (the backup had it at ${p.from}).`,
        );
  }
  for (const d of sv.noSource)
    n.push(`${d.name}: its backup cannot be brought where SQL Server reads it (see the checks).`);
  return n;
}

export function sqlServerPlan(
  sv: Survey,
  setRoot: string,
  target: RestoreTarget,
  o: SqlServerRestoreOptions,
): RestorePlan {
  const scratch = target.kind === 'scratch';
  const actions: RestoreAction[] = [];
  for (const j of sv.jobs) actions.push(stageAction(j, setRoot));
  for (const j of sv.jobs) {
    const s = statementsFor(j, scratch, checkDbMode(target, o));
    actions.push(
      {
        kind: 'sql',
        title: `Check that the file holds ${j.source.name}${j.source.backupSetGuid ? ` (BackupSetGUID ${j.source.backupSetGuid})` : ''}`,
        text: s.inspect[0] ?? '',
        changes: false,
      },
      {
        kind: 'sql',
        title: `List the files of ${j.source.name} and their sizes`,
        text: s.inspect[1] ?? '',
        changes: false,
      },
    );
  }
  actions.push({
    kind: 'check',
    title: 'Check free space on every target volume against the file sizes, before any database is touched',
    changes: false,
  });
  for (const j of sv.jobs) actions.push(...jobActions(j, scratch, o, target));
  for (const j of sv.jobs)
    if (j.stage.how === 'copy')
      actions.push({
        kind: 'remove',
        title: `Remove the staged copy of ${j.source.name}`,
        text: `delete "${j.stage.localFile ?? ''}"`,
        changes: true,
      });
  const names = sv.jobs.map((j) => j.source.name).join(', ');
  return {
    component: 'database',
    target: target.kind,
    summary: scratch
      ? `Rehearse the restore of ${sv.jobs.length} SQL Server database(s) (${names}) of set ${sv.view.setName} on ${sv.serverText} under scratch names.`
      : `Restore ${sv.jobs.length} SQL Server database(s) (${names}) of set ${sv.view.setName} over the live databases on ${sv.serverText}.`,
    actions,
    notes: notes(sv, target),
  };
}
