// Looking before an Oracle restore: the set's schemas and dump pieces matched with the target
// database as it is now (rights, DIRECTORY, existing users and their sessions, free space, pieces
// already in the DIRECTORY). Read-only: plan() and check() use it, run() starts from it.
import type { ServerInfo } from '../../../../contract/manifest.js';
import type { OracleConfig } from '../../../../contract/profile.js';
import type { ExpectedError } from '../../../errors.js';
import type { RestoreLookContext } from '../../restore/primitive.js';
import type { OracleConnection } from '../driver.js';
import { directoryOf } from '../names.js';
import { oracleConfigOf } from '../oracle-step.js';
import { num, queryRows, readIdentity, readServerInfo, str, type Identity } from '../session.js';
import {
  bindList,
  SQL_DIRECTORY,
  SQL_DIRECTORY_GRANTS,
  SQL_SESSION_PRIVS,
  SQL_SESSION_ROLES,
  sqlSchemasExist,
} from '../sql.js';
import { listServerFiles } from '../transfer.js';
import { fileNameOf, readOracleSet, scratchSchemaName, type OracleSetView } from './source.js';
import { SQL_FREE_SPACE, sqlSessionsOf } from './sql.js';

export interface OracleRestoreOptions {
  /** Only these schemas of the set (default: every one). */
  schemas?: string[];
}

export interface OracleSurvey {
  cfg: OracleConfig;
  view: OracleSetView;
  dir: string;
  /** Rehearsal: each schema and the scratch schema it is imported into. */
  remap?: Map<string, string>;
  identity?: Identity;
  server?: ServerInfo;
  unreachable?: ExpectedError;
  roles: Set<string>;
  privs: Set<string>;
  directoryPath?: string;
  directoryGrants: Set<string>;
  /** Users that exist now, among the schemas and the scratch names. */
  existingUsers: Set<string>;
  /** Sessions per user; undefined when V$SESSION is not readable. */
  sessions?: Map<string, number>;
  freeBytes?: number;
  /** Dump piece name → bytes, for pieces of the same name already in the DIRECTORY. */
  onServer: Map<string, number>;
}

export function emptySurvey(ctx: RestoreLookContext, opts: OracleRestoreOptions): OracleSurvey {
  const cfg = oracleConfigOf(ctx);
  const view = readOracleSet(ctx.set, opts.schemas);
  const s: OracleSurvey = {
    cfg,
    view,
    dir: directoryOf(cfg),
    roles: new Set(),
    privs: new Set(),
    directoryGrants: new Set(),
    existingUsers: new Set(),
    onServer: new Map(),
  };
  if (ctx.target.kind === 'scratch') {
    const id = ctx.target.setId;
    s.remap = new Map(view.schemas.map((x) => [x, scratchSchemaName(x, id)]));
  }
  return s;
}

async function optional<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch {
    return undefined;
  }
}

export async function surveyOracle(s: OracleSurvey, conn: OracleConnection): Promise<OracleSurvey> {
  s.identity = await readIdentity(conn);
  s.server = await readServerInfo(conn, s.identity.dbName);
  s.roles = new Set((await queryRows(conn, SQL_SESSION_ROLES)).map((r) => str(r.ROLE) ?? ''));
  s.privs = new Set((await queryRows(conn, SQL_SESSION_PRIVS)).map((r) => str(r.PRIVILEGE) ?? ''));
  const path = str((await queryRows(conn, SQL_DIRECTORY, { dir: s.dir }))[0]?.DIRECTORY_PATH);
  if (path !== undefined) s.directoryPath = path;
  s.directoryGrants = new Set(
    (await queryRows(conn, SQL_DIRECTORY_GRANTS, { dir: s.dir })).map((r) => str(r.PRIVILEGE) ?? ''),
  );
  const names = [...s.view.schemas, ...(s.remap ? [...s.remap.values()] : [])];
  const list = bindList(names);
  s.existingUsers = new Set(
    (await queryRows(conn, sqlSchemasExist(list.sql), list.binds)).map((r) => str(r.USERNAME) ?? ''),
  );
  const sessions = await optional(() => queryRows(conn, sqlSessionsOf(list.sql), list.binds));
  if (sessions) s.sessions = new Map(sessions.map((r) => [str(r.USERNAME) ?? '', num(r.SESSIONS) ?? 0]));
  const free = await optional(() => queryRows(conn, SQL_FREE_SPACE));
  const freeBytes = num(free?.[0]?.FREE_BYTES);
  if (freeBytes !== undefined) s.freeBytes = freeBytes;
  if (path !== undefined)
    for (const d of s.view.dumps) {
      const f = await optional(() => listServerFiles(conn, s.dir, fileNameOf(d)));
      if (f?.[0]) s.onServer.set(f[0].name, f[0].bytes);
    }
  return s;
}
