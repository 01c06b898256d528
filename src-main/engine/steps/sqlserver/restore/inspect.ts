// Before any database is touched: each staged file must hold the database the set says
// (RESTORE HEADERONLY: name, full backup, the same BackupSetGUID msdb recorded at backup time), and
// its file list (RESTORE FILELISTONLY) decides where the files go.
import { ExpectedError } from '../../../errors.js';
import { query, type Querier } from '../queries.js';
import { readFileList, readHeader } from './facts.js';
import { mapRestoreError } from './errors.js';
import { placeJob, type DatabaseJob, type PlaceInputs } from './jobs.js';
import { verifyOnlyStatement } from './tsql.js';
import { askFolders, type Survey } from './survey.js';

function wrongFile(job: DatabaseJob, what: string): ExpectedError {
  return new ExpectedError(
    'SQLSERVER_RESTORE_WRONG_FILE',
    `${job.stage.serverFile} is not the backup of ${job.source.name} this set recorded: ${what}. Nothing was restored.`,
    {
      step: 'database',
      details: { file: job.stage.serverFile, database: job.source.name },
      fix: 'Check that copyFrom is the server backup folder (serverBackupDir) seen from this machine and that nothing replaced the file; then run the restore again.',
    },
  );
}

export async function inspectJob(
  q: Querier,
  sv: Survey,
  job: DatabaseJob,
  place: PlaceInputs,
): Promise<void> {
  const fail = {
    server: sv.serverText,
    database: job.source.name,
    serverFile: job.stage.serverFile,
    scratch: place.target.kind === 'scratch',
    leaves: 'Nothing was restored.',
  };
  let header;
  try {
    header = await readHeader(q, job.stage.serverFile);
    if (job.stage.how === 'server-copy')
      await query(q, verifyOnlyStatement(job.stage.serverFile), { timeoutMs: 0 });
    const rows = await readFileList(q, job.stage.serverFile);
    await askFolders(sv, q, rows);
    placeJob(job, rows, place);
  } catch (err) {
    if (q.signal.aborted) throw err;
    throw mapRestoreError(err, fail);
  }
  if (!header) throw wrongFile(job, 'RESTORE HEADERONLY returned nothing');
  if (header.databaseName.toLowerCase() !== job.source.name.toLowerCase())
    throw wrongFile(job, `it holds the database "${header.databaseName}"`);
  if (header.backupType !== undefined && header.backupType !== 1)
    throw wrongFile(job, `it is not a full database backup (BackupType ${header.backupType})`);
  if (job.source.backupSetGuid && header.backupSetGuid && header.backupSetGuid !== job.source.backupSetGuid)
    throw wrongFile(
      job,
      `its BackupSetGUID is ${header.backupSetGuid}, the set recorded ${job.source.backupSetGuid}`,
    );
  if (
    place.facts?.major !== undefined &&
    header.softwareVersionMajor !== undefined &&
    header.softwareVersionMajor > place.facts.major
  )
    throw new ExpectedError(
      'SQLSERVER_BACKUP_NEWER_VERSION',
      `The backup of ${job.source.name} was taken on SQL Server ${header.softwareVersionMajor}, and ${sv.serverText} runs ${place.facts.productVersion}. Nothing was restored.`,
      { step: 'database', fix: 'A database can only be restored to the same or a newer SQL Server version.' },
    );
}
