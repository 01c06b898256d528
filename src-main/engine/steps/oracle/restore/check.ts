// Preconditions of an Oracle restore, each with a plain fix: DATAPUMP_IMP_FULL_DATABASE, the
// version, the DIRECTORY, sessions on the schemas to replace, scratch names that must be free,
// free space against the dump's size.
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { formatBytes } from '../../../../contract/format.js';
import type { PreflightCheck } from '../../../../contract/preflight.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { versionOf } from './source.js';
import type { OracleSurvey } from './survey.js';

type Check = Omit<PreflightCheck, 'component'>;

function rights(s: OracleSurvey): Check {
  const who = s.identity?.sessionUser ?? s.cfg.user;
  const base = { id: 'oracle.restore.rights', title: 'Data Pump import rights' };
  if (s.roles.has('DATAPUMP_IMP_FULL_DATABASE') || s.roles.has('IMP_FULL_DATABASE'))
    return {
      ...base,
      status: 'ok',
      message: `${who} has DATAPUMP_IMP_FULL_DATABASE: it may drop, create and import other users' schemas.`,
    };
  return {
    ...base,
    status: 'failed',
    message: `${who} lacks the DATAPUMP_IMP_FULL_DATABASE role: importing other users' schemas (and creating or dropping them) needs it.`,
    fix: `As a DBA: GRANT DATAPUMP_IMP_FULL_DATABASE TO ${who}; (a default role of the login).`,
  };
}

function version(s: OracleSurvey): Check {
  const base = { id: 'oracle.restore.version', title: 'Oracle version' };
  const from = versionOf(s.view.sourceVersion);
  const to = versionOf(s.server?.version);
  if (!from || !to)
    return {
      ...base,
      status: 'warning',
      message: `The versions cannot be compared (set: ${s.view.sourceVersion ?? 'unknown'}, target: ${s.server?.version ?? 'unknown'}).`,
    };
  if (to[0] < from[0] || (to[0] === from[0] && to[1] < from[1]))
    return {
      ...base,
      status: 'failed',
      message: `The set was exported from Oracle ${s.view.sourceVersion ?? ''}; the target runs ${s.server?.version ?? ''}. Data Pump cannot import a dump into an older release.`,
      fix: 'Restore into a database of the same or a newer release (or export again with the VERSION parameter of the older release).',
    };
  return {
    ...base,
    status: 'ok',
    message: `Exported from Oracle ${s.view.sourceVersion ?? ''}; the target runs ${s.server?.version ?? ''}.`,
  };
}

function directory(s: OracleSurvey): Check {
  const who = s.identity?.sessionUser ?? s.cfg.user;
  const base = { id: 'oracle.restore.directory', title: `DIRECTORY ${s.dir}` };
  if (s.directoryPath === undefined)
    return {
      ...base,
      status: 'failed',
      message: `The DIRECTORY object ${s.dir} does not exist or ${who} may not use it: the dump pieces cannot be put where Data Pump reads them.`,
      fix: `As a DBA: CREATE DIRECTORY ${s.dir} AS '<folder on the database server>'; GRANT READ, WRITE ON DIRECTORY ${s.dir} TO ${who};`,
    };
  if (!s.directoryGrants.has('READ') || !s.directoryGrants.has('WRITE'))
    return {
      ...base,
      status: 'failed',
      message: `${who} lacks READ or WRITE on DIRECTORY ${s.dir} (${s.directoryPath}).`,
      fix: `As a DBA: GRANT READ, WRITE ON DIRECTORY ${s.dir} TO ${who};`,
    };
  return {
    ...base,
    status: 'ok',
    message: `${s.dir} is ${s.directoryPath}; ${who} may read and write there.`,
  };
}

function schemas(s: OracleSurvey, target: RestoreTarget): Check[] {
  const out: Check[] = [];
  if (target.kind === 'scratch' && s.remap) {
    for (const [from, to] of s.remap) {
      const base = { id: `oracle.restore.schema.${to}`, title: `Scratch schema ${to}` };
      out.push(
        s.existingUsers.has(to)
          ? {
              ...base,
              status: 'failed',
              message: `A user named ${to} already exists; a rehearsal never touches a schema it did not create.`,
              fix: 'If it is a leftover of an interrupted rehearsal, run the rehearsal cleanup (it removes what its journal lists); otherwise drop it by hand.',
            }
          : {
              ...base,
              status: 'ok',
              message: `${from} is rehearsed as ${to} (created by the import, locked, dropped at the end).`,
            },
      );
    }
    return out;
  }
  for (const name of s.view.schemas) {
    const base = { id: `oracle.restore.schema.${name}`, title: `Schema ${name}` };
    const n = s.sessions?.get(name) ?? 0;
    if (!s.existingUsers.has(name))
      out.push({ ...base, status: 'ok', message: `${name} does not exist: the import creates it.` });
    else if (n > 0)
      out.push({
        ...base,
        status: 'failed',
        message: `${n} session(s) are connected as ${name}: DROP USER ... CASCADE would fail (ORA-01940) and Octane must be stopped before a restore.`,
        fix: 'Stop Octane on every node and close other sessions of that user, then run the restore again.',
      });
    else
      out.push({
        ...base,
        status: 'ok',
        message: `${name} exists with no session: it is dropped (DROP USER ... CASCADE) and recreated by the import.`,
      });
  }
  if (!s.sessions)
    out.push({
      id: 'oracle.restore.sessions',
      title: 'Sessions on the schemas',
      status: 'warning',
      message:
        'V$SESSION is not readable for this login: sessions connected to the schemas cannot be checked.',
      fix: 'Make sure Octane is stopped on every node; or grant SELECT_CATALOG_ROLE to the login.',
    });
  return out;
}

function space(s: OracleSurvey): Check {
  const need = s.view.dumps.reduce((a, d) => a + d.bytes, 0);
  const base = { id: 'oracle.restore.space', title: 'Free space in the tablespaces' };
  if (s.freeBytes === undefined)
    return {
      ...base,
      status: 'warning',
      message: `Free space cannot be read (no access to DBA_FREE_SPACE); the dump holds ${formatBytes(need)} of data.`,
      fix: 'Check the free space of the target tablespaces with the DBA.',
    };
  if (s.freeBytes < need)
    return {
      ...base,
      status: 'failed',
      message: `The dump holds ${formatBytes(need)}; the tablespaces have ${formatBytes(s.freeBytes)} free (autoextend included).`,
      fix: 'Add space to the tablespaces (or let their data files grow) before restoring.',
    };
  return {
    ...base,
    status: 'ok',
    message: `The dump holds ${formatBytes(need)}; ${formatBytes(s.freeBytes)} are free (autoextend included; indexes are rebuilt, so more is used than the dump's size).`,
  };
}

async function copyFrom(s: OracleSurvey): Promise<Check[]> {
  if (!s.cfg.copyFrom) return [];
  const dir = s.cfg.copyFrom;
  const base = { id: 'oracle.restore.copy-from', title: "The DIRECTORY's folder here (copyFrom)" };
  try {
    await access(dir, constants.W_OK);
  } catch {
    return [
      {
        ...base,
        status: 'warning',
        message: `${dir} cannot be written from here: the dump pieces go up through the database connection instead (slower).`,
        fix: 'Make copyFrom writable for the account that runs the restore, or remove it.',
      },
    ];
  }
  const need = s.view.dumps.reduce((a, d) => a + d.bytes, 0);
  const free = await statfs(dir).then(
    (x) => Number(x.bavail) * Number(x.bsize),
    () => undefined,
  );
  if (free !== undefined && free < need)
    return [
      {
        ...base,
        status: 'failed',
        message: `The dump pieces need ${formatBytes(need)} in ${dir}; ${formatBytes(free)} are free.`,
        fix: `Free space in the DIRECTORY's folder on the database server.`,
      },
    ];
  return [
    {
      ...base,
      status: 'ok',
      message: `${dir} is writable${free !== undefined ? ` with ${formatBytes(free)} free` : ''}.`,
    },
  ];
}

export async function oracleChecks(s: OracleSurvey, target: RestoreTarget): Promise<PreflightCheck[]> {
  const out: Check[] = [];
  const conn = { id: 'oracle.restore.connection', title: 'Oracle connection' };
  if (s.unreachable || !s.identity) {
    out.push({
      ...conn,
      status: 'failed',
      message: s.unreachable?.message ?? 'Not connected.',
      ...(s.unreachable?.fix ? { fix: s.unreachable.fix } : {}),
    });
    return out.map((c) => ({ ...c, component: 'database' }));
  }
  out.push({
    ...conn,
    status: 'ok',
    message: `Logged in as ${s.identity.sessionUser} to ${s.identity.dbName ?? s.cfg.connectString}.`,
  });
  out.push(rights(s), version(s), directory(s), ...schemas(s, target), space(s), ...(await copyFrom(s)));
  return out.map((c) => ({ ...c, component: 'database' }));
}
