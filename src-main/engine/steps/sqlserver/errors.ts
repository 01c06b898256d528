// SQL Server failures in plain words, each with the fix an admin (or their DBA) can act on.
import { ExpectedError } from '../../errors.js';
import { folderFix, osError } from './folder-errors.js';

export interface SqlFailureContext {
  /** What was going on: decides the wording of network failures. */
  phase: 'connect' | 'query' | 'backup' | 'verify' | 'probe';
  server: string;
  user?: string;
  domain?: string;
  database?: string;
  serverDir?: string;
  serverFile?: string;
  /** Plain words on what happened to the partial file, appended to network failures. */
  cleanup?: string;
}

interface SqlMessage {
  number: number;
  message: string;
}

type ErrLike = {
  code?: unknown;
  number?: unknown;
  message?: unknown;
  precedingErrors?: unknown;
  originalError?: unknown;
  errors?: unknown;
  cause?: unknown;
};

/** Every SQL Server message number/text in an mssql/tedious error (BACKUP fails with 3201 then 3013). */
export function sqlMessages(err: unknown): SqlMessage[] {
  const out: SqlMessage[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    const x = e as ErrLike;
    if (Array.isArray(x.precedingErrors)) x.precedingErrors.forEach(visit);
    if (Array.isArray(x.errors)) x.errors.forEach(visit);
    if (typeof x.number === 'number' && typeof x.message === 'string')
      out.push({ number: x.number, message: x.message });
    visit(x.originalError);
  };
  visit(err);
  return out.filter((m, i) => out.findIndex((n) => n.number === m.number && n.message === m.message) === i);
}

/** Error codes along the chain (mssql → tedious → socket/TLS). */
function codes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const x = e as ErrLike;
    if (typeof x.code === 'string') out.push(x.code);
    e = x.originalError ?? x.cause;
  }
  return out;
}

function messages(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const x = e as ErrLike;
    if (typeof x.message === 'string' && !parts.includes(x.message)) parts.push(x.message);
    e = x.originalError ?? x.cause;
  }
  return parts.join(' / ');
}

const CERT_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
];
const NETWORK_CODES = [
  'ESOCKET',
  'ECONNRESET',
  'ECONNCLOSED',
  'ECLOSE',
  'EPIPE',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
];

export function mapSqlError(err: unknown, ctx: SqlFailureContext): ExpectedError {
  const msgs = sqlMessages(err);
  const errCodes = codes(err);
  const text = messages(err);
  const base = { step: 'database' as const, cause: err };
  const num = (n: number): SqlMessage | undefined => msgs.find((m) => m.number === n);
  const dbName = ctx.database ? `"${ctx.database}"` : 'the database';
  const details: Record<string, unknown> = { server: ctx.server };
  if (msgs.length) details.sqlErrors = msgs;
  if (ctx.database) details.database = ctx.database;
  const withDetails = { ...base, details };

  const folder = num(3201) ?? num(3202) ?? num(3203);
  if (folder) {
    const f = folderFix(ctx, osError(folder.message));
    return new ExpectedError(
      f.code,
      `The backup of ${dbName} failed: ${f.what}. SQL Server said: ${folder.message}`,
      { ...withDetails, fix: f.fix },
    );
  }
  const denied = num(262);
  if (denied) {
    const what = /CREATE DATABASE/i.test(denied.message) ? 'CREATE DATABASE' : 'BACKUP DATABASE';
    const fix =
      what === 'BACKUP DATABASE'
        ? `Ask the DBA to add the login to db_backupoperator in ${dbName}: USE [${ctx.database ?? '<database>'}]; ALTER ROLE db_backupoperator ADD MEMBER [${ctx.user ?? '<login>'}];`
        : 'Ask the DBA to grant CREATE DATABASE (in master) or the dbcreator role to the login, which RESTORE VERIFYONLY needs; or turn verification off.'; // prettier-ignore
    return new ExpectedError(
      'SQLSERVER_PERMISSION_DENIED',
      `The login may not run ${what} on ${dbName}: ${denied.message}`,
      { ...withDetails, fix },
    );
  }
  const missing = num(911);
  if (missing)
    return new ExpectedError(
      'SQLSERVER_DATABASE_MISSING',
      `The database ${dbName} does not exist on ${ctx.server}: ${missing.message}`,
      {
        ...withDetails,
        fix: 'It was renamed or dropped. Use "Discover databases" in the profile, tick the current Octane site and space databases, and run again.',
      },
    );
  const offline = num(942) ?? num(945) ?? num(927);
  if (offline)
    return new ExpectedError(
      'SQLSERVER_DATABASE_UNAVAILABLE',
      `The database ${dbName} cannot be opened: ${offline.message}`,
      {
        ...withDetails,
        fix: 'Bring the database online (or finish its restore) on the server, then run the backup again.',
      },
    );
  const busy = num(3023);
  if (busy)
    return new ExpectedError(
      'SQLSERVER_BACKUP_CONFLICT',
      `Another backup or file operation on ${dbName} is running: ${busy.message}`,
      {
        ...withDetails,
        fix: "Wait for the other job to finish (SQL Agent jobs, the DBA's own backups) or schedule this backup at another time.",
      },
    );
  const noCompression = num(1844);
  if (noCompression)
    return new ExpectedError(
      'SQLSERVER_COMPRESSION_UNSUPPORTED',
      `This SQL Server edition cannot compress backups: ${noCompression.message}`,
      {
        ...withDetails,
        fix: 'This is a bug in the edition check: report it with the run log.',
      },
    );
  const loginFailed = num(18456) ?? num(18452) ?? num(18470) ?? num(18486);
  if (loginFailed || errCodes.includes('ELOGIN')) {
    const who = ctx.domain ? `${ctx.domain}\\${ctx.user ?? ''}` : (ctx.user ?? '(no user)');
    return new ExpectedError(
      'SQLSERVER_LOGIN_FAILED',
      `SQL Server ${ctx.server} refused the login "${who}": ${loginFailed?.message ?? text}`,
      {
        ...withDetails,
        fix: ctx.domain
          ? 'Check the Windows account, its domain and password, and that the account has a login on the server (CREATE LOGIN [DOMAIN\\user] FROM WINDOWS).'
          : 'Check the user name and password. A SQL login also needs the server in "SQL Server and Windows Authentication mode"; for a Windows account, fill in the domain.',
      },
    );
  }
  if (ctx.phase === 'verify' && (num(3241) ?? num(3183) ?? num(3189) ?? num(3242) ?? num(3013)))
    return new ExpectedError(
      'SQLSERVER_VERIFY_FAILED',
      `RESTORE VERIFYONLY found the backup of ${dbName} unusable: ${msgs.map((m) => m.message).join(' ')}`,
      {
        ...withDetails,
        fix: 'Run the backup again; if it fails again, have the DBA run DBCC CHECKDB on the database and check the disk holding the backup folder.',
      },
    );
  if (errCodes.includes('EENCRYPT'))
    return new ExpectedError(
      'SQLSERVER_ENCRYPTION_REQUIRED',
      `SQL Server ${ctx.server} requires an encrypted connection.`,
      {
        ...withDetails,
        fix: 'Turn "encrypt" on (and "trust server certificate" if the server uses a self-signed certificate).',
      },
    );
  if (errCodes.some((c) => CERT_CODES.includes(c)) || /self[- ]signed|certificate/i.test(text))
    return new ExpectedError(
      'SQLSERVER_CERTIFICATE_UNTRUSTED',
      `The certificate of SQL Server ${ctx.server} is not trusted by this PC (${text}).`,
      {
        ...withDetails,
        fix: 'On-premises servers often use a self-signed certificate: tick "Trust server certificate" (trustServerCertificate: true) for a server on your own network (the connection stays encrypted), or install a certificate from a CA this PC trusts on SQL Server.',
      },
    );
  if (errCodes.includes('EINSTLOOKUP'))
    return new ExpectedError(
      'SQLSERVER_INSTANCE_NOT_FOUND',
      `The SQL Server instance ${ctx.server} could not be found (${text}).`,
      {
        ...withDetails,
        fix: 'Start the "SQL Server Browser" service on the server (it answers on UDP 1434) or give the instance\'s TCP port instead of its name.',
      },
    );
  if (errCodes.includes('ECANCEL'))
    return new ExpectedError(
      'SQLSERVER_CANCELLED',
      `The statement on ${ctx.server} was cancelled.`,
      withDetails,
    );
  if (errCodes.includes('ETIMEOUT') && ctx.phase === 'connect')
    return new ExpectedError(
      'SQLSERVER_UNREACHABLE',
      `No answer from SQL Server ${ctx.server} in time (${text}).`,
      {
        ...withDetails,
        fix: 'Check the server name and port (default 1433), that TCP/IP is enabled for the instance (SQL Server Configuration Manager) and that the firewall lets this PC reach the port.',
      },
    );
  if (errCodes.includes('ETIMEOUT'))
    return new ExpectedError(
      'SQLSERVER_TIMEOUT',
      `SQL Server ${ctx.server} did not answer in time (${text}).`,
      {
        ...withDetails,
        fix: 'The server may be overloaded or blocked; check it with the DBA and run again.',
      },
    );
  if (errCodes.some((c) => NETWORK_CODES.includes(c))) {
    if (ctx.phase === 'connect')
      return new ExpectedError(
        'SQLSERVER_UNREACHABLE',
        `Cannot connect to SQL Server ${ctx.server} (${text}).`,
        {
          ...withDetails,
          fix: 'Check the server name and port (default 1433), that SQL Server runs, that TCP/IP is enabled for the instance (SQL Server Configuration Manager) and that the firewall lets this PC reach the port. For a named instance give its port or make sure "SQL Server Browser" runs.',
        },
      );
    const during =
      ctx.phase === 'backup'
        ? `the backup of ${dbName}`
        : ctx.phase === 'verify'
          ? `the verification of ${dbName}`
          : 'a query';
    return new ExpectedError(
      'SQLSERVER_CONNECTION_LOST',
      `The connection to SQL Server ${ctx.server} was lost during ${during} (${text}). The backup did not finish.${ctx.cleanup ? ` ${ctx.cleanup}` : ''}`,
      {
        ...withDetails,
        fix: 'Check the network between this PC and the server and that SQL Server is still running, then run the backup again.',
      },
    );
  }
  const first = msgs[0];
  return new ExpectedError(
    'SQLSERVER_ERROR',
    `SQL Server ${ctx.server} reported an error${ctx.database ? ` for ${dbName}` : ''}: ${msgs.map((m) => `${m.number}: ${m.message}`).join(' ') || text}`,
    {
      ...withDetails,
      fix: first
        ? `Look up SQL Server error ${first.number} with the DBA; the statement that failed is in the run log.`
        : 'Keep the run log and check the server with the DBA.',
    },
  );
}
