// What follows each database of a restore, whatever happened: back to multi-user, a rehearsal's
// scratch database dropped, and the state each database is left in, in words for the admin.
import { query, type Querier } from '../queries.js';
import { readTargets } from './facts.js';
import type { DatabaseJob, JobStatements } from './jobs.js';
import { dropStatement, singleUserStatement } from './tsql.js';
import type { RestoreContext } from '../../restore/primitive.js';

export type DatabaseOutcomeStatus = 'restored' | 'failed' | 'not-started';

export interface DatabaseOutcome {
  source: string;
  target: string;
  status: DatabaseOutcomeStatus;
  /** Seconds reading the backup (to 100 %) and recovering after it. */
  copySeconds?: number;
  recoverySeconds?: number;
  checkDb?: 'passed' | 'not-run';
  tables?: number;
  rows?: number;
  /** Plain words on the state it is left in after a failure. */
  leftAs?: string;
}

/** What afterOne needs of the run. */
export interface AfterEnv {
  ctx: RestoreContext;
  q: Querier;
}

/** What each database of the set is now, in one sentence for the admin. */
export function summaryOf(env: { outcomes: DatabaseOutcome[]; scratch: boolean }): string {
  const by = (st: DatabaseOutcomeStatus): string[] =>
    env.outcomes
      .filter((o) => o.status === st)
      .map((o) => (o.leftAs ? `${o.target} (${o.leftAs})` : o.target));
  const parts: string[] = [];
  if (by('restored').length)
    parts.push(`${env.scratch ? 'Rehearsed' : 'Restored'}: ${by('restored').join(', ')}.`);
  if (by('failed').length) parts.push(`Failed: ${by('failed').join(', ')}.`);
  if (by('not-started').length)
    parts.push(
      `Not ${env.scratch ? 'rehearsed' : 'restored'} (left as they were): ${by('not-started').join(', ')}.`,
    );
  return parts.join(' ');
}

const CLEANUP_MS = 120_000;

export async function stateOf(env: AfterEnv, name: string): Promise<string | undefined> {
  const q: Querier = { ...env.q, signal: AbortSignal.timeout(CLEANUP_MS) };
  const [t] = await readTargets(q, [name]).catch(() => [] as Awaited<ReturnType<typeof readTargets>>);
  if (!t) return 'it no longer exists';
  if (t.state === 'RESTORING') return 'left RESTORING: unusable until a restore of it finishes';
  if (t.state === 'ONLINE') return `online as it was, ${t.userAccess}`;
  return `left ${t.state}`;
}

/** Back to multi-user after a failure too; a scratch database is always dropped. Never throws. */
export async function afterOne(
  env: AfterEnv,
  job: DatabaseJob,
  s: JobStatements,
  out: DatabaseOutcome,
  touched: boolean,
): Promise<void> {
  const q: Querier = { ...env.q, signal: AbortSignal.timeout(CLEANUP_MS) };
  if (touched)
    for (const t of s.after)
      await query(q, t).catch((err: unknown) => {
        const why = (err as Error).message;
        env.ctx.log.warn(
          `${job.target} could not be set back to MULTI_USER (${why}); ${out.status === 'restored' ? 'run ' + t : 'it is not online'}.`,
        );
      });
  if (s.drop)
    await dropScratch(q, job.target).catch((err: unknown) =>
      env.ctx.warn(
        'SQLSERVER_SCRATCH_NOT_DROPPED',
        `The rehearsal database ${job.target} could not be dropped (${(err as Error).message}); the rehearsal journal still lists it, so the next cleanup removes it.`,
        job.target,
      ),
    );
}

export async function dropScratch(q: Querier, name: string): Promise<'dropped' | 'absent'> {
  const [t] = await readTargets(q, [name]).catch(() => [] as Awaited<ReturnType<typeof readTargets>>);
  if (!t) return 'absent';
  if (t.state === 'ONLINE') await query(q, singleUserStatement(name));
  await query(q, dropStatement(name));
  return 'dropped';
}
