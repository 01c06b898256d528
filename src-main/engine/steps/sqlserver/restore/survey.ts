// Looking before restoring: the set's databases matched with the target server as it is now
// (rights, existing databases, folders, free space). Read-only: plan() and check() use it, and
// run() starts from it.
import type { SqlServerConfig } from '../../../../contract/profile.js';
import { isAbortError, type ExpectedError } from '../../../errors.js';
import type { RestoreLookContext } from '../../restore/primitive.js';
import { serverLabel, SqlSession } from '../connection.js';
import { mapSqlError } from '../errors.js';
import type { Querier } from '../queries.js';
import { sqlServerConfigOf } from '../run.js';
import {
  folderExists,
  readFileList,
  readRestoreFacts,
  readTargets,
  readVolumes,
  type RestoreServerFacts,
  type Volume,
} from './facts.js';
import {
  placeJob,
  planStage,
  scratchDirOf,
  targetName,
  type DatabaseJob,
  type SqlServerRestoreOptions,
} from './jobs.js';
import { backupFolders, rowsFromRecord } from './placement.js';
import { readSqlServerSet, type SetDatabase, type SqlServerSetView } from './source.js';

export interface Survey {
  cfg: SqlServerConfig;
  view: SqlServerSetView;
  serverText: string;
  facts?: RestoreServerFacts;
  /** Why the server could not be asked (the plan is then made from the set alone). */
  unreachable?: ExpectedError;
  jobs: DatabaseJob[];
  /** Databases whose .bak cannot be brought where the server reads it. */
  noSource: SetDatabase[];
  volumes?: Volume[];
  scratchDir?: string;
  folders: Map<string, boolean | undefined>;
}

export async function openRestoreSession(cfg: SqlServerConfig, ctx: RestoreLookContext): Promise<SqlSession> {
  try {
    return await SqlSession.open(cfg, ctx.secrets, ctx.signal);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw mapSqlError(err, {
      phase: 'connect',
      server: serverLabel(cfg),
      ...(cfg.user ? { user: cfg.user } : {}),
      ...(cfg.domain ? { domain: cfg.domain } : {}),
    });
  }
}

/** Builds the jobs; with a querier it also asks the server (read-only statements only). */
export async function survey(
  ctx: RestoreLookContext,
  opts: SqlServerRestoreOptions,
  q: Querier | undefined,
): Promise<Survey> {
  const cfg = sqlServerConfigOf(ctx);
  const view = readSqlServerSet(ctx.set, opts.databases);
  const s: Survey = { cfg, view, serverText: serverLabel(cfg), jobs: [], noSource: [], folders: new Map() };
  const scratchDir = scratchDirOf(cfg, opts);
  if (scratchDir) s.scratchDir = scratchDir;
  for (const d of view.databases) {
    const stage = await planStage(cfg, d);
    if (!stage) {
      s.noSource.push(d);
      continue;
    }
    s.jobs.push({ source: d, target: targetName(d, ctx.target), stage, rowsFrom: 'unknown', placements: [] });
  }
  if (q) {
    s.facts = await readRestoreFacts(q);
    const targets = await readTargets(
      q,
      s.jobs.map((j) => j.target),
    );
    for (const j of s.jobs) {
      const t = targets.find((x) => x.name.toLowerCase() === j.target.toLowerCase());
      if (t) j.existing = t;
    }
    s.volumes = s.facts.canViewServerState ? await readVolumes(q) : undefined;
  }
  for (const j of s.jobs) {
    // The server can read the file already (kept on the server, or staged earlier): FILELISTONLY is
    // the truth. Otherwise the set's record of the files stands in until the run stages the file.
    let rows = undefined;
    if (q && j.stage.how !== 'copy') rows = await readFileList(q, j.stage.serverFile).catch(noRows(q));
    await askFolders(s, q, rows ?? (j.source.files ? rowsFromRecord(j.source.files) : []));
    placeJob(j, rows, { target: ctx.target, scratchDir: s.scratchDir, folders: s.folders, facts: s.facts });
  }
  if (q && s.scratchDir && ctx.target.kind === 'scratch' && !s.folders.has(s.scratchDir))
    s.folders.set(s.scratchDir, await folderExists(q, s.scratchDir));
  return s;
}

/** FILELISTONLY failing here (file not there yet, no right) only means: decide at run time. */
function noRows(q: Querier): (err: unknown) => undefined {
  return (err) => {
    if (q.signal.aborted) throw err;
    return undefined;
  };
}

export async function askFolders(
  s: Pick<Survey, 'folders'>,
  q: Querier | undefined,
  rows: { physicalName: string }[],
): Promise<void> {
  if (!q) return;
  for (const dir of backupFolders(rows))
    if (!s.folders.has(dir)) s.folders.set(dir, await folderExists(q, dir));
}
