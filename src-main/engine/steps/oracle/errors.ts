// Oracle and driver errors in plain words, each with the fix an admin can act on.
// Codes are found anywhere in the message: Data Pump stacks several (ORA-39002 over ORA-39070
// over ORA-29283), and the most specific one decides.
import { ExpectedError } from '../../errors.js';
import { formatDuration } from '../../../contract/format.js';

export interface OracleErrorContext {
  user?: string;
  connectString?: string;
  directory?: string;
  schemas?: string[];
  scn?: string;
  /** How long the export ran before it failed. */
  exportSeconds?: number;
  /** undo_retention in seconds, when it could be read. */
  undoRetentionSeconds?: number;
}

interface Rule {
  codes: string[];
  code: string;
  message: (c: OracleErrorContext) => string;
  fix: (c: OracleErrorContext) => string;
}

const who = (c: OracleErrorContext): string => c.user ?? 'the backup login';
const dir = (c: OracleErrorContext): string => c.directory ?? 'DATA_PUMP_DIR';

const RULES: Rule[] = [
  {
    codes: ['ORA-01555'],
    code: 'ORACLE_UNDO_TOO_SMALL',
    message: (c) =>
      `Oracle could no longer show some tables as they were at the backup's consistency point (SCN ${c.scn ?? '?'}): ` +
      `the export ran ${c.exportSeconds !== undefined ? formatDuration(c.exportSeconds) : 'longer than the undo data lasted'}, ` +
      `but the database keeps undo data for ${c.undoRetentionSeconds !== undefined ? formatDuration(c.undoRetentionSeconds) : 'an unknown time'} ` +
      '(undo_retention). ORA-01555 "snapshot too old".',
    fix: (c) =>
      `Ask the DBA to raise undo_retention above the export time (for example ALTER SYSTEM SET UNDO_RETENTION = ${suggestUndo(c)}) ` +
      'and make sure the undo tablespace can grow to hold that much undo (or use RETENTION GUARANTEE); ' +
      'running the backup in a quieter period also helps.',
  },
  {
    codes: ['ORA-01466'],
    code: 'ORACLE_DDL_DURING_EXPORT',
    message: () =>
      'A table was changed (DDL such as ALTER or TRUNCATE) while it was being exported, so Oracle cannot show it as of the consistency point (ORA-01466).',
    fix: () =>
      'Run the backup when no Octane upgrade, maintenance or schema change is running, then try again.',
  },
  {
    codes: ['ORA-01950'],
    code: 'ORACLE_NO_QUOTA',
    message: (c) =>
      `Data Pump could not create its job table in the default tablespace of ${who(c)}: the login has no quota there (ORA-01950).`,
    fix: (c) =>
      `Give the login a quota, for example: ALTER USER ${who(c)} QUOTA 500M ON <its default tablespace>; (or QUOTA UNLIMITED).`,
  },
  {
    codes: ['ORA-31631', 'ORA-39181', 'ORA-39161', 'ORA-01031'],
    code: 'ORACLE_PRIVILEGES',
    message: (c) =>
      `${who(c)} may not export other users' schemas (${(c.schemas ?? []).join(', ')}): that needs the DATAPUMP_EXP_FULL_DATABASE role.`,
    fix: (c) =>
      `As a DBA: GRANT DATAPUMP_EXP_FULL_DATABASE TO ${who(c)}; (the role must be a default role of the login).`,
  },
  {
    codes: ['ORA-39165', 'ORA-44001'],
    code: 'ORACLE_SCHEMA_NOT_FOUND',
    message: (c) => `Oracle does not know one of the schemas to export (${(c.schemas ?? []).join(', ')}).`,
    fix: () =>
      'Use "Discover schemas" to pick the schemas from the list the database gives; names are stored in upper case unless created in quotes.',
  },
  {
    codes: ['ORA-39087', 'ORA-22285', 'ORA-29280', 'ORA-22286'],
    code: 'ORACLE_DIRECTORY_MISSING',
    message: (c) => `The Oracle DIRECTORY object ${dir(c)} does not exist or ${who(c)} may not use it.`,
    fix: (c) =>
      `As a DBA: CREATE DIRECTORY ${dir(c)} AS '<folder on the database server>'; GRANT READ, WRITE ON DIRECTORY ${dir(c)} TO ${who(c)}; ` +
      'or set "directory" to an existing DIRECTORY object (SELECT DIRECTORY_NAME FROM ALL_DIRECTORIES).',
  },
  {
    codes: ['ORA-39070', 'ORA-29283', 'ORA-29289', 'ORA-22288', 'ORA-29284', 'ORA-29285'],
    code: 'ORACLE_DIRECTORY_NOT_WRITABLE',
    message: (c) =>
      `The database server could not write or read files in DIRECTORY ${dir(c)}: either the folder it points to does not exist ` +
      "on the database server or the database's own operating-system account may not write there.",
    fix: (c) =>
      `Check SELECT DIRECTORY_PATH FROM ALL_DIRECTORIES WHERE DIRECTORY_NAME = '${dir(c)}'; that folder must exist on the database ` +
      `server and be writable by the account Oracle runs as (usually "oracle"), and ${who(c)} needs GRANT READ, WRITE ON DIRECTORY ${dir(c)}.`,
  },
  {
    codes: ['ORA-39095', 'ORA-27063', 'ORA-19502', 'ORA-27072'],
    code: 'ORACLE_SERVER_DISK_FULL',
    message: (c) => `The database server ran out of space for the dump in DIRECTORY ${dir(c)}.`,
    fix: () =>
      'Free space in the folder behind the DIRECTORY (or point "directory" at a larger one); with fileSize set, the pieces may not exceed 99.',
  },
  {
    codes: ['ORA-39002'],
    code: 'ORACLE_DATAPUMP_REFUSED',
    message: (c) =>
      `Data Pump refused to start the export (ORA-39002 invalid operation); this is most often the DIRECTORY ${dir(c)} or its files.`,
    fix: (c) =>
      `Check that DIRECTORY ${dir(c)} exists, points to a writable folder on the database server, and that ${who(c)} has READ and WRITE on it.`,
  },
  {
    codes: ['ORA-39001'],
    code: 'ORACLE_INVALID_ARGUMENT',
    message: () => 'Data Pump rejected a setting of the export (ORA-39001 invalid argument value).',
    fix: () =>
      'Check the schema names, the DIRECTORY name and fileSize (for example "2G"); the lines from Oracle below say which one.',
  },
  {
    codes: ['ORA-01017'],
    code: 'ORACLE_LOGIN_FAILED',
    message: (c) => `Oracle refused the login ${who(c)}: wrong user name or password (ORA-01017).`,
    fix: () =>
      'Correct the user and password (or the environment variable named in passwordEnv). Passwords are case-sensitive.',
  },
  {
    codes: ['ORA-28000'],
    code: 'ORACLE_ACCOUNT_LOCKED',
    message: (c) => `The Oracle account ${who(c)} is locked (ORA-28000).`,
    fix: (c) => `As a DBA: ALTER USER ${who(c)} ACCOUNT UNLOCK; and check why it was locked (failed logins).`,
  },
  {
    codes: ['ORA-28001'],
    code: 'ORACLE_PASSWORD_EXPIRED',
    message: (c) => `The password of ${who(c)} has expired (ORA-28001).`,
    fix: () =>
      'Set a new password for the login (and consider a profile without password expiry for this service account).',
  },
  {
    codes: ['NJS-116'],
    code: 'ORACLE_THIN_VERIFIER',
    message: (c) =>
      `The password of ${who(c)} is stored only in Oracle's old 10G format, which the built-in (Thin) driver cannot use (NJS-116).`,
    fix: (c) =>
      `As a DBA: make sure SQLNET.ALLOWED_LOGON_VERSION_SERVER is 11 or higher, then reset the password (ALTER USER ${who(c)} IDENTIFIED BY ...).`,
  },
  {
    codes: ['ORA-12514', 'ORA-12505', 'NJS-518', 'NJS-519'],
    code: 'ORACLE_SERVICE_UNKNOWN',
    message: (c) =>
      `The Oracle listener at ${c.connectString ?? 'the given address'} does not know that service name or SID.`,
    fix: () =>
      'Use host:port/service_name with the service name from "lsnrctl status" on the database server (often the PDB name).',
  },
  {
    codes: [
      'ORA-12541',
      'ORA-12170',
      'ORA-12543',
      'NJS-503',
      'NJS-510',
      'NJS-511',
      'NJS-530',
      'ECONNREFUSED',
      'ENOTFOUND',
      'ETIMEDOUT',
      'EHOSTUNREACH',
    ],
    code: 'ORACLE_UNREACHABLE',
    message: (c) => `No Oracle listener answered at ${c.connectString ?? 'the given address'}.`,
    fix: () =>
      'Check the host name and port (default 1521) in connectString, that the listener runs ("lsnrctl status") and that no firewall blocks the port.',
  },
  {
    codes: ['NJS-512', 'NJS-514', 'NJS-515', 'NJS-516', 'NJS-517', 'NJS-520'],
    code: 'ORACLE_CONNECT_STRING_INVALID',
    message: (c) => `The connect string "${c.connectString ?? ''}" cannot be used.`,
    fix: () =>
      'Write it as host:port/service_name (Easy Connect) or as a full (DESCRIPTION=...) descriptor; tnsnames aliases need TNS_ADMIN set.',
  },
  {
    codes: ['NJS-500', 'NJS-501', 'NJS-521', 'ORA-03113', 'ORA-03114', 'ORA-03135', 'ORA-00028'],
    code: 'ORACLE_CONNECTION_LOST',
    message: (c) =>
      `The connection to the Oracle database${c.connectString ? ` at ${c.connectString}` : ''} was closed or broken.`,
    fix: () =>
      'Check that connectString points to an Oracle listener, the network between the two machines and the database alert log, then run ' +
      'the backup again. A Data Pump job that was running may still be listed in DBA_DATAPUMP_JOBS.',
  },
  {
    codes: ['ORA-31626'],
    code: 'ORACLE_JOB_GONE',
    message: () =>
      'The Data Pump job disappeared while the backup watched it (stopped or killed by someone else?).',
    fix: () => 'Check DBA_DATAPUMP_JOBS and the database alert log, then run the backup again.',
  },
];

function suggestUndo(c: OracleErrorContext): number {
  const base = Math.max(c.exportSeconds ?? 0, c.undoRetentionSeconds ?? 900);
  return Math.ceil((base * 2) / 900) * 900;
}

/** Every ORA-/NJS-/PLS- code and Node network code in the error, in order. */
export function oracleCodes(err: unknown): string[] {
  const e = err as { message?: unknown; code?: unknown };
  const text = `${typeof e?.code === 'string' ? e.code : ''} ${typeof e?.message === 'string' ? e.message : String(err)}`;
  const found =
    text.match(/\b(?:ORA|NJS|PLS|TNS)-\d{3,5}\b|\bE(?:CONNREFUSED|NOTFOUND|TIMEDOUT|HOSTUNREACH)\b/g) ?? [];
  return [...new Set(found)];
}

/** Oracle's own lines, without the ORA-06512 "at line" noise, for the details. */
export function oracleLines(err: unknown): string[] {
  const message = (err as { message?: unknown })?.message;
  const text = typeof message === 'string' ? message : String(err);
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^ORA-20000:\s*/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('ORA-06512') && !l.startsWith('Help: https://'))
    .slice(0, 12);
}

/** Maps a driver/Oracle error to a ExpectedError with plain words and the fix. */
export function explainOracleError(err: unknown, c: OracleErrorContext): ExpectedError {
  if (err instanceof ExpectedError) return err;
  const codes = oracleCodes(err);
  const lines = oracleLines(err);
  const rule = RULES.find((r) => r.codes.some((code) => codes.includes(code)));
  const details: Record<string, unknown> = { oracle: lines };
  if (codes.length > 0) details.codes = codes;
  if (!rule) {
    return new ExpectedError('ORACLE_ERROR', `Oracle reported an error: ${lines[0] ?? 'no message'}`, {
      step: 'database',
      fix: 'See the Oracle lines in the details and the Data Pump log in the set; correct the cause and run again.',
      cause: err,
      details,
    });
  }
  const oracleSays =
    rule.code === 'ORACLE_INVALID_ARGUMENT' && lines.length > 0 ? ` Oracle says: ${lines.join(' | ')}` : '';
  return new ExpectedError(rule.code, rule.message(c) + oracleSays, {
    step: 'database',
    fix: rule.fix(c),
    cause: err,
    details,
  });
}
