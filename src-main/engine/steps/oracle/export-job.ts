// Runs one schema-mode Data Pump export as of a given SCN and watches it to the end.
// The job lives on the server: this module defines it, polls GET_STATUS, and on cancel
// stops it (STOP_JOB immediate, master table dropped). One dedicated connection per job:
// the handle belongs to the session that opened it.
import type { Logger } from '../../logger.js';
import { isAbortError, throwIfAborted } from '../../errors.js';
import type { Binds, OracleConnection } from './driver.js';
import type { ExportNames } from './names.js';
import { num, str } from './session.js';
import {
  bindList,
  describeStatement,
  exportJobBlock,
  PLSQL_DETACH,
  PLSQL_JOB_STATUS,
  PLSQL_STOP_JOB,
} from './sql.js';

export interface JobStatus {
  state: string;
  /** 0..100 as Data Pump reports it. */
  percentDone: number;
  bytesDone?: number;
  bytesTotal?: number;
}

export interface ExportJobOptions {
  conn: OracleConnection;
  directory: string;
  schemas: readonly string[];
  scn: string;
  names: ExportNames;
  /** FILESIZE for each piece, or null for one dump file. */
  fileSize: string | null;
  signal: AbortSignal;
  pollIntervalMs: number;
  onStatus: (s: JobStatus) => void;
  onStatement: (text: string) => void;
  log: Logger;
}

export interface ExportJobResult {
  seconds: number;
  lastStatus: JobStatus;
}

/** Data Pump reported errors while the job ran; the lines are Oracle's own. */
export class DataPumpJobError extends Error {
  constructor(
    readonly lines: string[],
    readonly state: string,
    readonly seconds: number,
  ) {
    super(lines.length > 0 ? lines.join('\n') : `The Data Pump job ended in state ${state}.`);
    this.name = 'DataPumpJobError';
  }
}

const TERMINAL_OK = 'COMPLETED';
const TERMINAL_BAD = ['STOPPED', 'NOT RUNNING', 'UNDEFINED'];

export async function runExportJob(o: ExportJobOptions): Promise<ExportJobResult> {
  const list = bindList(o.schemas);
  const binds: Binds = {
    job_name: o.names.job,
    dump_file: o.names.dumpPattern,
    log_file: o.names.log,
    dir: o.directory,
    file_size: o.fileSize,
    scn: o.scn,
    ...list.binds,
  };
  const sql = exportJobBlock(Object.keys(list.binds));
  o.onStatement(describeStatement(sql, binds));
  const started = Date.now();
  const seconds = (): number => (Date.now() - started) / 1000;
  const setup = await o.conn.execute(sql, { ...binds, handle: { out: 'number' } });
  const handle = num(setup.outBinds?.handle);
  if (handle === undefined) throw new Error('DBMS_DATAPUMP.OPEN returned no job handle.');
  o.log.info(
    `Data Pump job ${o.names.job} started (schemas ${o.schemas.join(', ')}, FLASHBACK_SCN ${o.scn}).`,
  );
  o.onStatement(describeStatement(PLSQL_JOB_STATUS, { handle }) + ' -- polled until the job ends');

  const errors: string[] = [];
  let last: JobStatus = { state: 'DEFINING', percentDone: 0 };
  try {
    for (;;) {
      if (o.signal.aborted) {
        await stopJob(o, handle, 'the run was cancelled').catch((err: unknown) =>
          o.log.error(
            `Could not stop Data Pump job ${o.names.job} (${(err as Error).message}); a DBA can stop it with ` +
              `impdp/expdp ATTACH=${o.names.job} and KILL_JOB.`,
          ),
        );
        throwIfAborted(o.signal);
      }
      const r = await o.conn.execute(PLSQL_JOB_STATUS, {
        handle,
        state: { out: 'string', maxSize: 30 },
        percent_done: { out: 'number' },
        bytes_done: { out: 'number' },
        bytes_total: { out: 'number' },
        error_count: { out: 'number' },
        errors: { out: 'string', maxSize: 32767 },
        wip: { out: 'string', maxSize: 32767 },
      });
      const ob = r.outBinds ?? {};
      const status: JobStatus = {
        state: (str(ob.state) ?? last.state).toUpperCase(),
        percentDone: Math.min(100, Math.max(last.percentDone, num(ob.percent_done) ?? last.percentDone)),
      };
      const bd = num(ob.bytes_done);
      const bt = num(ob.bytes_total);
      if (bd !== undefined) status.bytesDone = bd;
      if (bt !== undefined && bt > 0) status.bytesTotal = bt;
      for (const line of lines(ob.wip)) o.log.info(`Data Pump: ${line}`);
      for (const line of lines(ob.errors)) {
        errors.push(line);
        o.log.error(`Data Pump: ${line}`);
      }
      last = status;
      o.onStatus(status);
      if (status.state === TERMINAL_OK) break;
      if (TERMINAL_BAD.includes(status.state)) {
        // Stopped by someone else or by a fatal error: clean up the master table if it is left.
        await stopJob(o, handle, `the job ended in state ${status.state}`).catch(() => undefined);
        throw new DataPumpJobError(errors, status.state, seconds());
      }
      await sleep(o.pollIntervalMs, o.signal);
    }
  } catch (err) {
    if (!(err instanceof DataPumpJobError) && !isAbortError(err)) {
      // The watch broke (lost connection, unexpected error): do not leave a job running blind.
      await stopJob(o, handle, 'the backup could not follow the job').catch(() => undefined);
    }
    throw err;
  }
  await o.conn.execute(PLSQL_DETACH, { handle }).catch((err: unknown) => {
    o.log.warn(`Could not detach from the finished Data Pump job: ${(err as Error).message}`);
  });
  // A job that "completed" with errors skipped objects (ORA-01555 skips whole tables): not a backup.
  if (errors.length > 0) throw new DataPumpJobError(errors, last.state, seconds());
  o.log.info(`Data Pump job ${o.names.job} completed in ${seconds().toFixed(1)} s.`);
  return { seconds: seconds(), lastStatus: last };
}

async function stopJob(o: ExportJobOptions, handle: number, why: string): Promise<void> {
  o.log.warn(`Stopping Data Pump job ${o.names.job}: ${why}.`);
  o.onStatement(describeStatement(PLSQL_STOP_JOB, { handle }));
  await o.conn.execute(PLSQL_STOP_JOB, { handle });
}

function lines(v: unknown): string[] {
  return typeof v === 'string'
    ? v
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '')
    : [];
}

/** Waits ms, or less when the signal aborts (never rejects: the loop decides what abort means). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
