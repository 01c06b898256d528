// SQL Server's restore failures in plain words, each with what state it leaves and the fix.
// Everything that is not restore-specific (login, network, certificates) goes to mapSqlError.
import { ExpectedError } from '../../../errors.js';
import { mapSqlError, sqlMessages } from '../errors.js';
import { osError } from '../folder-errors.js';

export interface RestoreFailureContext {
  server: string;
  /** The database being restored (its target name). */
  database?: string;
  /** The backup file as the server sees it. */
  serverFile?: string;
  scratch: boolean;
  /** Plain words on what the failure leaves behind ("octane_site was not changed."). */
  leaves?: string;
  user?: string;
}

type Rule = (m: { number: number; message: string }[], c: RestoreFailureContext) => ExpectedError | undefined;

const step = 'database' as const;

function err(
  code: string,
  message: string,
  fix: string,
  c: RestoreFailureContext,
  msgs: unknown[],
  cause: unknown,
): ExpectedError {
  return new ExpectedError(code, `${message}${c.leaves ? ` ${c.leaves}` : ''}`, {
    step,
    cause,
    fix,
    details: { server: c.server, database: c.database, sqlErrors: msgs },
  });
}

function readFix(c: RestoreFailureContext, os: number | undefined): string {
  const file = c.serverFile ?? 'the backup file';
  switch (os) {
    case 5:
      return `Give the SQL Server service account (NT Service\\MSSQLSERVER for a default instance, NT Service\\MSSQL$<instance> for a named one; a share needs the computer account DOMAIN\\HOST$) read access to ${file}, then run the restore again.`;
    case 2:
    case 3:
      return `SQL Server does not see ${file} on its host: copyFrom must be the same folder as serverBackupDir, seen from this machine (a share of it), so the file copied there is the file SQL Server opens.`;
    default:
      return `Check that ${file} exists on the SQL Server host (or its share) and that the SQL Server service account may read it.`;
  }
}

const RULES: Rule[] = [
  (m, c) => {
    const x = m.find((e) => e.number === 3101);
    if (!x) return undefined;
    return err(
      'SQLSERVER_DATABASE_IN_USE',
      `SQL Server could not get exclusive access to ${c.database ?? 'the database'}: other sessions are connected (${x.message}).`,
      'Stop Octane on every node and close other sessions using the database (reports, SSMS, jobs). The restore disconnects others (SINGLE_USER WITH ROLLBACK IMMEDIATE), but a session that reconnects at once takes the only slot. Then run the restore again.',
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 3154);
    if (!x) return undefined;
    return err(
      'SQLSERVER_RESTORE_OTHER_DATABASE',
      c.scratch
        ? `A database named ${c.database ?? ''} already exists on ${c.server} and holds another database: it was not touched (${x.message}).`
        : `${c.database ?? 'The database'} on ${c.server} is a different database than the one in the backup file (${x.message}).`,
      c.scratch
        ? 'That name belongs to no rehearsal this tool journaled. If it is a leftover you know, drop it by hand (or rename it); otherwise run the rehearsal again later.'
        : 'Check that the set and the profile describe the same Octane installation; the restore replaces a database only with a backup of it.',
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 3159);
    if (!x) return undefined;
    return err(
      'SQLSERVER_TAIL_LOG_NOT_BACKED_UP',
      `SQL Server refused to overwrite ${c.database ?? 'the database'}: the end of its transaction log has not been backed up (${x.message}).`,
      `Everything written since the set would be lost. If it matters, back up the log tail first: BACKUP LOG [${c.database ?? '<database>'}] TO DISK = N'<file>' WITH NORECOVERY; then run the restore again (it restores WITH REPLACE, which discards the tail).`,
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 3201);
    if (!x) return undefined;
    const os = osError(x.message);
    return err(
      'SQLSERVER_BACKUP_FILE_UNREADABLE',
      `SQL Server cannot open the backup file ${c.serverFile ?? ''}${os !== undefined ? ` (operating system error ${os})` : ''}: ${x.message}`,
      readFix(c, os),
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 5133 || e.number === 3156);
    if (!x) return undefined;
    const path =
      /file "([^"]+)"/.exec(x.message)?.[1] ?? /file '([^']+)'/.exec(x.message)?.[1] ?? 'a target file';
    return err(
      'SQLSERVER_RESTORE_FOLDER_MISSING',
      `SQL Server cannot create ${path} on its host (${x.message}).`,
      c.scratch
        ? `Create the rehearsal folder on the SQL Server host (writable by the SQL Server service account), or set database.rehearsalDir to an existing folder there.`
        : `Create the folder of ${path} on the SQL Server host, writable by the SQL Server service account, then run the restore again.`,
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 3169);
    if (!x) return undefined;
    return err(
      'SQLSERVER_BACKUP_NEWER_VERSION',
      `The backup comes from a newer SQL Server than ${c.server} (${x.message}).`,
      'A database can only be restored to the same or a newer SQL Server version: restore on a server at least as new as the one the set was taken from.',
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 1801);
    if (!x) return undefined;
    return err(
      'SQLSERVER_SCRATCH_NAME_TAKEN',
      `The database ${c.database ?? ''} already exists on ${c.server}; it was not touched (${x.message}).`,
      'Drop it if it is a leftover you know, or run the rehearsal again later.',
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 3257 || (e.number === 3203 && osError(e.message) === 112));
    if (!x) return undefined;
    return err(
      'SQLSERVER_RESTORE_DISK_FULL',
      `There is not enough free space on the SQL Server host for ${c.database ?? 'the database'} (${x.message}).`,
      'Free space on the volume named above (or place the files elsewhere), then run the restore again.',
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => [3183, 3189, 3241, 3242, 3243, 3266, 3203].includes(e.number));
    if (!x) return undefined;
    return err(
      'SQLSERVER_BACKUP_FILE_DAMAGED',
      `SQL Server found the backup file ${c.serverFile ?? ''} damaged while reading it (${x.message}).`,
      "The copy matched the set's SHA-256, so the damage is in the set itself or in the server's storage: run verify on the set, restore from another set if it fails, and check the disk holding the backup folder.",
      c,
      m,
      x,
    );
  },
  (m, c) => {
    const x = m.find((e) => e.number === 262 || e.number === 3110);
    if (!x) return undefined;
    return err(
      'SQLSERVER_RESTORE_NOT_PERMITTED',
      `The login may not restore ${c.database ?? 'the database'} (${x.message}).`,
      `Ask the DBA to add the login to dbcreator: ALTER SERVER ROLE [dbcreator] ADD MEMBER [${c.user ?? '<login>'}]; (db_owner in the database is not enough for RESTORE).`,
      c,
      m,
      x,
    );
  },
];

export function mapRestoreError(e: unknown, c: RestoreFailureContext): ExpectedError {
  if (e instanceof ExpectedError) return e;
  const msgs = sqlMessages(e);
  for (const rule of RULES) {
    const hit = rule(msgs, c);
    if (hit) return hit;
  }
  const mapped = mapSqlError(e, {
    phase: 'query',
    server: c.server,
    ...(c.database ? { database: c.database } : {}),
  });
  if (!c.leaves) return mapped;
  return new ExpectedError(mapped.code, `${mapped.message} ${c.leaves}`, {
    step,
    cause: e,
    ...(mapped.fix ? { fix: mapped.fix } : {}),
    ...(mapped.details ? { details: mapped.details } : {}),
  });
}

/** DBCC CHECKDB reports corruption as errors (8928, 8939, ... then 8989 with the totals). */
export function checkDbFailure(e: unknown, c: RestoreFailureContext): ExpectedError | undefined {
  const msgs = sqlMessages(e);
  const summary = msgs.find((m) => m.number === 8989);
  if (!summary && !msgs.some((m) => m.number >= 8900 && m.number < 9000)) return undefined;
  return new ExpectedError(
    'SQLSERVER_CHECKDB_FAILED',
    `DBCC CHECKDB found the restored ${c.database ?? 'database'} inconsistent: ${(summary ?? msgs[0])?.message ?? ''}`,
    {
      step,
      cause: e,
      details: { server: c.server, database: c.database, sqlErrors: msgs.slice(0, 20) },
      fix: 'The backup holds a damaged database: run DBCC CHECKDB on the live database with the DBA, repair it there, take a new backup, and restore (or rehearse) that one.',
    },
  );
}
