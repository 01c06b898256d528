// The Oracle database step: consistency point first (SCN + DB time), then one schema-mode
// Data Pump export of every chosen schema AS OF that SCN, then the dump pieces and the log
// brought into the set with their SHA-256.
import type { OracleConfig } from '../../../contract/profile.js';
import { formatBytes } from '../../../contract/format.js';
import { type StepContext } from '../../step.js';
import { isAbortError, ExpectedError, throwIfAborted } from '../../errors.js';
import type { ConnectFactory, OracleConnection } from './driver.js';
import { explainOracleError, oracleCodes, type OracleErrorContext } from './errors.js';
import { DataPumpJobError, runExportJob, type JobStatus } from './export-job.js';
import { directoryOf, exportNames, fileSizeParam, schemasOf, type ExportNames } from './names.js';
import {
  closeQuietly,
  num,
  openConnection,
  queryRows,
  readConsistencyPoint,
  readIdentity,
  readServerInfo,
} from './session.js';
import { restoreNotes } from './restore-notes.js';
import { SQL_BFILE, SQL_SCN_FLASHBACK, SQL_SCN_V_DATABASE, SQL_UNDO_RETENTION } from './sql.js';
import {
  fetchViaBfile,
  fetchViaCopyFrom,
  listServerFiles,
  removeServerFiles,
  type FetchOptions,
  type ServerFile,
} from './transfer.js';

export interface OracleRunOptions {
  connect: ConnectFactory;
  /** Pause between two GET_STATUS calls, ms. */
  pollIntervalMs: number;
  chunkBytes?: number;
}

/** Share of the step's progress taken by the export; the copy takes the rest. */
const EXPORT_SHARE = 0.5;

export function oracleConfigOf(ctx: { profile: { database?: unknown } }): OracleConfig {
  const db = ctx.profile.database as OracleConfig | undefined;
  if (db?.engine !== 'oracle') {
    throw new ExpectedError('ORACLE_NOT_CONFIGURED', 'The profile has no Oracle database section.', {
      step: 'database',
      fix: 'Set database.engine to "oracle" with connectString, user and schemas.',
    });
  }
  return db;
}

export async function runOracleStep(ctx: StepContext, o: OracleRunOptions): Promise<void> {
  const cfg = oracleConfigOf(ctx);
  const dir = directoryOf(cfg);
  const schemas = schemasOf(cfg);
  const errCtx: OracleErrorContext = {
    user: cfg.user,
    connectString: cfg.connectString,
    directory: dir,
    schemas,
  };
  ctx.record.detail('schemas', schemas);
  ctx.record.detail('directory', dir);
  ctx.progress.report(0, { message: `Connecting to Oracle at ${cfg.connectString}` });

  const conn = await openConnection(cfg, ctx.secrets, o.connect);
  let names: ExportNames | undefined;
  let exportDone = false;
  try {
    throwIfAborted(ctx.signal);
    const id = await readIdentity(conn);
    const server = await readServerInfo(conn, id.dbName);
    ctx.record.server(server);

    // The consistency point comes first: every table is exported as of this SCN.
    const cp = await recordConsistencyPoint(ctx, conn, cfg.user, schemas);
    errCtx.scn = cp.scn;
    throwIfAborted(ctx.signal);

    names = exportNames(new Date(), cfg.fileSize !== undefined);
    ctx.record.detail('dataPumpJob', names.job);
    const job = await runExportJob({
      conn,
      directory: dir,
      schemas,
      scn: cp.scn,
      names,
      fileSize: fileSizeParam(cfg.fileSize),
      signal: ctx.signal,
      pollIntervalMs: o.pollIntervalMs,
      onStatus: exportProgress(ctx, schemas),
      onStatement: (t) => ctx.record.statement(t),
      log: ctx.log,
    });
    exportDone = true;
    ctx.record.detail('exportSeconds', Math.round(job.seconds * 10) / 10);

    const dumps = await listServerFiles(conn, dir, names.dumpPattern);
    const logs = await listServerFiles(conn, dir, names.log);
    if (dumps.length === 0) {
      throw new ExpectedError(
        'ORACLE_NO_DUMP',
        `Data Pump reported success but no dump file ${names.dumpPattern} is in DIRECTORY ${dir}.`,
        {
          step: 'database',
          fix: 'Check the Data Pump log on the server and that nothing removes files from the directory during backups.',
        },
      );
    }
    ctx.record.detail(
      'serverFiles',
      [...dumps, ...logs].map((f) => f.name),
    );
    await bringBack(ctx, conn, cfg, dir, schemas, dumps, logs, o);
    await ctx.out.writeFile(
      'restore.txt',
      restoreNotes({
        schemas,
        scn: cp.scn,
        dbTime: cp.dbTime,
        directory: dir,
        dumpPattern: names.dumpPattern,
        dumpFiles: dumps.map((f) => f.name),
        logFile: names.log,
        server,
      }),
      'How to restore these schemas with impdp (test restore with REMAP_SCHEMA, then the full restore)',
    );
    if (cfg.deleteServerCopy === true)
      await deleteServerCopies(
        ctx,
        conn,
        dir,
        [...dumps, ...logs].map((f) => f.name),
      );
  } catch (err) {
    if (names && !exportDone) await cleanUpAfterFailedExport(ctx, conn, dir, names, err);
    if (isAbortError(err) || ctx.signal.aborted) throw err;
    throw await explain(err, conn, errCtx);
  } finally {
    await closeQuietly(conn);
  }
}

async function recordConsistencyPoint(
  ctx: StepContext,
  conn: OracleConnection,
  user: string,
  schemas: string[],
): Promise<Awaited<ReturnType<typeof readConsistencyPoint>>> {
  const cp = await readConsistencyPoint(conn, user);
  ctx.clock.measure(cp.dbTime, cp.localBefore, cp.localAfter);
  ctx.record.statement(cp.source === 'DBMS_FLASHBACK' ? SQL_SCN_FLASHBACK : SQL_SCN_V_DATABASE);
  ctx.record.consistencyPoint({
    time: cp.dbTime,
    scn: cp.scn,
    description: `Oracle SCN ${cp.scn} (${cp.source}), the FLASHBACK_SCN of the Data Pump export of ${schemas.join(', ')}`,
  });
  ctx.record.detail('scn', cp.scn);
  ctx.record.detail('dbTime', cp.dbTime);
  ctx.log.info(`Consistency point: SCN ${cp.scn} at ${cp.dbTime} (database clock).`);
  return cp;
}

/** Only after the copy in the set is verified; a file that stays is a warning, never a failure. */
async function deleteServerCopies(
  ctx: StepContext,
  conn: OracleConnection,
  dir: string,
  files: string[],
): Promise<void> {
  const failed = await removeServerFiles(conn, dir, files, (t) => ctx.record.statement(t));
  ctx.record.detail('serverCopyDeleted', failed.length === 0);
  if (failed.length > 0)
    ctx.record.warn(
      'ORACLE_SERVER_COPY_KEPT',
      `The copy in the set is verified, but these server files could not be removed: ${failed.join('; ')}. Remove them by hand (they are in DIRECTORY ${dir}).`,
      dir,
    );
}

function exportProgress(ctx: StepContext, schemas: string[]): (s: JobStatus) => void {
  const started = Date.now();
  return (s) => {
    const elapsed = (Date.now() - started) / 1000;
    const pct = s.percentDone;
    const bytes =
      s.bytesDone !== undefined && s.bytesTotal !== undefined
        ? `, ${formatBytes(s.bytesDone)} of about ${formatBytes(s.bytesTotal)}`
        : '';
    const counters: Parameters<StepContext['progress']['report']>[1] = {
      message: `Data Pump export: ${pct.toFixed(0)} % (${s.state}${bytes})`,
      activity: `DBMS_DATAPUMP schema export of ${schemas.join(', ')}`,
    };
    // The export's own ETA from its percent done; the runner's byte-based one starts with the copy.
    if (pct > 0 && pct < 100) counters.etaSeconds = (elapsed * (100 - pct)) / pct;
    ctx.progress.report((EXPORT_SHARE * pct) / 100, counters);
  };
}

async function bringBack(
  ctx: StepContext,
  conn: OracleConnection,
  cfg: OracleConfig,
  dir: string,
  schemas: string[],
  dumps: ServerFile[],
  logs: ServerFile[],
  o: OracleRunOptions,
): Promise<void> {
  const all = [...dumps, ...logs];
  const total = all.reduce((a, f) => a + f.bytes, 0);
  let before = 0;
  const ways = new Set<string>();
  for (const [i, file] of all.entries()) {
    throwIfAborted(ctx.signal);
    const isLog = i >= dumps.length;
    const description = isLog
      ? `Data Pump export log of ${schemas.join(', ')}`
      : `Oracle Data Pump dump of schemas ${schemas.join(', ')}` +
        (dumps.length > 1 ? ` (piece ${i + 1} of ${dumps.length})` : '');
    const base = before;
    const f: FetchOptions = {
      conn,
      dir,
      out: ctx.out,
      signal: ctx.signal,
      description,
      onBytes: (done) =>
        ctx.progress.report(EXPORT_SHARE + ((1 - EXPORT_SHARE) * (base + done)) / Math.max(1, total), {
          bytesDone: base + done,
          bytesTotal: total,
          itemsDone: i,
          itemsTotal: all.length,
          message: `Copying ${file.name} (${i + 1} of ${all.length})`,
        }),
    };
    if (o.chunkBytes !== undefined) f.chunkBytes = o.chunkBytes;
    let rec = cfg.copyFrom
      ? await fetchViaCopyFrom(file, cfg.copyFrom, f, (m) =>
          ctx.record.warn(
            'ORACLE_COPYFROM_UNUSABLE',
            `${m} Reading it through the database connection instead.`,
            file.name,
          ),
        )
      : undefined;
    if (rec) ways.add('copyFrom');
    else {
      ctx.record.statement(
        `${SQL_BFILE} -- read in chunks of the BFILE: :dir = '${dir}', :file_name = '${file.name}'`,
      );
      rec = await fetchViaBfile(file, f);
      ways.add('bfile');
    }
    ctx.log.info(`${file.name}: ${formatBytes(rec.bytes)} copied, SHA-256 ${rec.sha256}.`);
    before += file.bytes;
  }
  ctx.record.detail('transfer', [...ways].join('+'));
}

/** After a failed or cancelled export the server files are useless: remove what we can. */
async function cleanUpAfterFailedExport(
  ctx: StepContext,
  conn: OracleConnection,
  dir: string,
  names: ExportNames,
  err: unknown,
): Promise<void> {
  try {
    const dumps = await listServerFiles(conn, dir, names.dumpPattern);
    const logs = await listServerFiles(conn, dir, names.log);
    // A failed job's log says why: keep a copy in the set before it goes.
    if (err instanceof DataPumpJobError && logs[0]) {
      await fetchViaBfile(logs[0], {
        conn,
        dir,
        out: ctx.out,
        signal: new AbortController().signal,
        onBytes: () => undefined,
        description: 'Data Pump export log of the failed export',
      }).catch(() => undefined);
    }
    const left = await removeServerFiles(
      conn,
      dir,
      [...dumps, ...logs].map((f) => f.name),
      (t) => ctx.record.statement(t),
    );
    if (left.length > 0)
      ctx.log.warn(`Could not remove these server files in DIRECTORY ${dir}: ${left.join('; ')}.`);
  } catch (cleanupErr) {
    ctx.log.warn(`Could not clean up the server files of job ${names.job}: ${(cleanupErr as Error).message}`);
  }
}

async function explain(err: unknown, conn: OracleConnection, c: OracleErrorContext): Promise<ExpectedError> {
  if (err instanceof ExpectedError) return err;
  const ctx: OracleErrorContext = { ...c };
  if (err instanceof DataPumpJobError) ctx.exportSeconds = err.seconds;
  if (oracleCodes(err).includes('ORA-01555')) {
    const undo = await queryRows(conn, SQL_UNDO_RETENTION).then(
      (r) => num(r[0]?.VALUE),
      () => undefined,
    );
    if (undo !== undefined) ctx.undoRetentionSeconds = undo;
  }
  const e = explainOracleError(err, ctx);
  if (err instanceof DataPumpJobError && e.code === 'ORACLE_ERROR') {
    return new ExpectedError(
      'ORACLE_EXPORT_FAILED',
      `The Data Pump export did not finish cleanly (${err.state}): ${err.lines[0] ?? 'no message'}`,
      {
        step: 'database',
        fix: 'Read the Data Pump log kept in the set, correct the cause and run the backup again.',
        cause: err,
        details: { oracle: err.lines.slice(0, 12) },
      },
    );
  }
  return e;
}
