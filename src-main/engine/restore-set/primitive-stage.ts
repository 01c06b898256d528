// Runs a per-store restore primitive (SQL Server, Oracle, Elasticsearch) as a stage: its context
// built from the stage's, its throw turned into a stage outcome that says what state the store is
// in, and "what a Cancel now leaves" kept current from the statements it sends.
import type { ComponentId } from '../../contract/profile.js';
import type { RestoreStageId } from '../../contract/restore-run.js';
import type { RestorePlan } from '../../contract/restore.js';
import { ExpectedError, isAbortError, toErrorInfo } from '../errors.js';
import type { RestoreContext, RestoreLookContext, RestorePrimitive } from '../steps/restore/primitive.js';
import {
  asRestoreChecks,
  type LookMode,
  type StageEnv,
  type StageHooks,
  type StageLook,
  type StageOutcome,
} from './stage.js';

export function lookContext(env: StageEnv, component: ComponentId): RestoreLookContext {
  return {
    signal: env.signal,
    log: env.log,
    profile: env.profile,
    secrets: env.secrets,
    env: env.env,
    set: env.set.viewOf(component),
    target: env.target,
  };
}

export interface PrimitiveStageWords {
  /** Statements that change the target (the first one ends "nothing touched yet"). */
  changing: RegExp;
  /** What a Cancel leaves before and after the first change. */
  leaves: { before: string; after: string };
}

/** live: the primitive's own plan and checks; offline: `offlinePlan` (the set alone, no server asked). */
export async function lookPrimitive<O, R>(
  stage: RestoreStageId,
  prim: RestorePrimitive<O, R>,
  env: StageEnv,
  mode: LookMode,
  opts: O,
  offlinePlan: (ctx: RestoreLookContext) => Promise<RestorePlan>,
): Promise<StageLook> {
  const ctx = lookContext(env, prim.component);
  try {
    if (mode === 'offline') return { checks: [], plan: await offlinePlan(ctx) };
    const plan = await prim.plan(ctx, opts);
    return { checks: asRestoreChecks(stage, await prim.check(ctx, opts)), plan };
  } catch (err) {
    if (isAbortError(err) || !(err instanceof ExpectedError)) throw err;
    return unusable(stage, err);
  }
}

/** The look of a stage that cannot even be planned (its record in the set is not usable). */
export function unusable(stage: RestoreStageId, err: ExpectedError): StageLook {
  return {
    checks: [
      {
        id: `${stage}.set`,
        scope: stage,
        title: 'What the set holds',
        status: 'failed',
        message: err.message,
        ...(err.fix !== undefined && { fix: err.fix }),
      },
    ],
    plan: { component: stage, target: 'in-place', summary: err.message, actions: [], notes: [] },
  };
}

export async function runPrimitive<O, R>(
  prim: RestorePrimitive<O, R>,
  env: StageEnv,
  hooks: StageHooks,
  opts: O,
  words: PrimitiveStageWords,
  describe: (r: R) => string,
): Promise<StageOutcome> {
  let changed = false;
  let warned = false;
  const leaves = (): string => (changed ? words.leaves.after : words.leaves.before);
  const ctx: RestoreContext = {
    ...lookContext(env, prim.component),
    progress: { report: (f, c) => hooks.progress(f, c ?? {}, leaves()) },
    statement: (t) => {
      if (words.changing.test(t)) changed = true;
      hooks.statement(t);
    },
    warn: (code, message) => {
      warned = true;
      hooks.warn(code, message);
    },
    journal: (o) => hooks.journal(o),
    unjournal: (o) => hooks.unjournal(o),
  };
  try {
    const r = await prim.run(ctx, opts);
    return { status: warned ? 'succeeded-with-warnings' : 'succeeded', state: describe(r), details: r };
  } catch (err) {
    const details = (err as { details?: unknown }).details;
    if (isAbortError(err) || env.signal.aborted) {
      const said = (err as Error).message.replace(/^The run was cancelled\.\s*/, '');
      return {
        status: 'cancelled',
        state: said || (changed ? words.leaves.after : words.leaves.before),
        ...(details !== undefined && { details }),
      };
    }
    const error = toErrorInfo(err, { where: prim.component, secrets: env.secrets });
    return {
      status: 'failed',
      state: changed ? `${error.message}` : `Nothing was changed. ${error.message}`,
      error,
      ...(details !== undefined && { details }),
    };
  }
}
