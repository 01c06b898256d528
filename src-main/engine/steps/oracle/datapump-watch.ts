// Follows one Data Pump job (export or import) on the server to its end: polls GET_STATUS for its
// state, percent done and error lines; on cancel stops it (STOP_JOB immediate, master table
// dropped); when the watch itself breaks it stops the job rather than leave it running blind.
// The handle belongs to the session that opened the job: one dedicated connection per job.
import type { Logger } from '../../logger.js';
import { isAbortError, throwIfAborted } from '../../errors.js';
import type { OracleConnection } from './driver.js';
import { num, str } from './session.js';
import { describeStatement, PLSQL_DETACH, PLSQL_JOB_STATUS, PLSQL_STOP_JOB } from './sql.js';

export interface JobStatus {
  state: string;
  /** 0..100 as Data Pump reports it. */
  percentDone: number;
  bytesDone?: number;
  bytesTotal?: number;
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

export interface WatchOptions {
  conn: OracleConnection;
  handle: number;
  job: string;
  signal: AbortSignal;
  pollIntervalMs: number;
  onStatus: (s: JobStatus) => void;
  onStatement: (text: string) => void;
  log: Logger;
}

export interface WatchResult {
  seconds: number;
  lastStatus: JobStatus;
  /** Error lines the job reported although it completed (the caller decides what they mean). */
  errors: string[];
}

export async function watchJob(o: WatchOptions, started: number): Promise<WatchResult> {
  const seconds = (): number => (Date.now() - started) / 1000;
  o.onStatement(describeStatement(PLSQL_JOB_STATUS, { handle: o.handle }) + ' -- polled until the job ends');
  const errors: string[] = [];
  let last: JobStatus = { state: 'DEFINING', percentDone: 0 };
  try {
    for (;;) {
      if (o.signal.aborted) {
        await stopJob(o, 'the run was cancelled').catch((err: unknown) =>
          o.log.error(
            `Could not stop Data Pump job ${o.job} (${(err as Error).message}); a DBA can stop it with ` +
              `impdp/expdp ATTACH=${o.job} and KILL_JOB.`,
          ),
        );
        throwIfAborted(o.signal);
      }
      const status = await poll(o, last, errors);
      last = status;
      o.onStatus(status);
      if (status.state === TERMINAL_OK) break;
      if (TERMINAL_BAD.includes(status.state)) {
        // Stopped by someone else or by a fatal error: clean up the master table if it is left.
        await stopJob(o, `the job ended in state ${status.state}`).catch(() => undefined);
        throw new DataPumpJobError(errors, status.state, seconds());
      }
      await sleep(o.pollIntervalMs, o.signal);
    }
  } catch (err) {
    if (!(err instanceof DataPumpJobError) && !isAbortError(err)) {
      // The watch broke (lost connection, unexpected error): do not leave a job running blind.
      await stopJob(o, 'the tool could not follow the job').catch(() => undefined);
    }
    throw err;
  }
  await o.conn.execute(PLSQL_DETACH, { handle: o.handle }).catch((err: unknown) => {
    o.log.warn(`Could not detach from the finished Data Pump job: ${(err as Error).message}`);
  });
  return { seconds: seconds(), lastStatus: last, errors };
}

async function poll(o: WatchOptions, last: JobStatus, errors: string[]): Promise<JobStatus> {
  const r = await o.conn.execute(PLSQL_JOB_STATUS, {
    handle: o.handle,
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
  return status;
}

async function stopJob(o: WatchOptions, why: string): Promise<void> {
  o.log.warn(`Stopping Data Pump job ${o.job}: ${why}.`);
  o.onStatement(describeStatement(PLSQL_STOP_JOB, { handle: o.handle }));
  await o.conn.execute(PLSQL_STOP_JOB, { handle: o.handle });
}

export function lines(v: unknown): string[] {
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
