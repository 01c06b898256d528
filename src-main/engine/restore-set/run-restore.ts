// Runs the chosen stages in order (database → Elasticsearch → config files → repository folder),
// each to the end before the next starts. The first stage that fails or is cancelled stops the
// rest: restoring the repository over a database that did not come back would pair files with the
// wrong records. After each stage, whatever it journaled and did not remove itself is removed.
// The report says, per store, what ran, how long it took (the measured recovery time) and the
// state it was left in.
import { hostname } from 'node:os';
import type { RunStatus } from '../../contract/events.js';
import { TOOL_NAME } from '../../contract/manifest.js';
import {
  RESTORE_STAGE_NOUNS,
  staysAsItIs,
  type RestoreEvent,
  type RestorePreparation,
  type RestoreReport,
  type RestoreStageId,
  type RestoreStageReport,
} from '../../contract/restore-run.js';
import { redact } from '../config/redact.js';
import { isAbortError, toErrorInfo } from '../errors.js';
import { ProgressTracker } from '../progress.js';
import { TOOL_VERSION } from '../version.js';
import type { RestoreJournal } from './journal.js';
import { nextSteps } from './next-steps.js';
import type { Prepared } from './prepare.js';
import type { RestoreStage, StageEnv, StageOutcome } from './stage.js';

export interface RunStagesInput {
  prepared: Prepared;
  selected: readonly RestoreStageId[];
  restoreId: string;
  journal: RestoreJournal;
  emit: (e: RestoreEvent) => void;
  /** How Octane was found stopped, for the report. */
  octane: string[];
  notes: string[];
}

const at = (): string => new Date().toISOString();
const CLEANUP_MS = 120_000;

export async function runStages(input: RunStagesInput): Promise<RestoreReport> {
  const { prepared, selected, restoreId, emit } = input;
  const p = prepared.preparation;
  const startedAt = at();
  emit({
    type: 'restore-started',
    restoreId,
    at: startedAt,
    profile: p.profile,
    setName: p.setName,
    setPath: p.setPath,
    stages: p.stages.map((s) => ({ id: s.id, title: s.title, selected: selected.includes(s.id) })),
  });
  const weights = weightsOf(p, selected);
  const reports: RestoreStageReport[] = [];
  let stoppedBy: RestoreStageReport | undefined;
  let before = 0;
  for (const stage of prepared.stages) {
    const choice = p.stages.find((c) => c.id === stage.id);
    const title = choice?.title ?? stage.id;
    if (!selected.includes(stage.id)) {
      reports.push(notChosen(stage.id, title, choice?.available === true, choice?.reason));
      continue;
    }
    if (stoppedBy) {
      reports.push({
        id: stage.id,
        title,
        status: 'not-run',
        state: `Not restored: the restore stopped at ${RESTORE_STAGE_NOUNS[stoppedBy.id]}. ${cap(staysAsItIs(stage.id))}.`,
        statements: [],
        warnings: [],
      });
      continue;
    }
    const w = weights.get(stage.id) ?? 0;
    const base = before;
    const r = await runOne(stage, title, input, (f) => base + w * f);
    before += w;
    reports.push(r);
    if (r.status === 'failed' || r.status === 'cancelled') stoppedBy = r;
  }
  return buildReport(input, reports, startedAt);
}

/** Each chosen stage's share of the bar: the bytes it restores (at least 2 % each, so none is invisible). */
function weightsOf(p: RestorePreparation, selected: readonly RestoreStageId[]): Map<RestoreStageId, number> {
  const chosen = p.stages.filter((s) => selected.includes(s.id));
  const total = chosen.reduce((a, s) => a + s.bytes, 0);
  const raw = chosen.map(
    (s) => [s.id, Math.max(total > 0 ? s.bytes / total : 1 / chosen.length, 0.02)] as const,
  );
  const sum = raw.reduce((a, [, v]) => a + v, 0);
  return new Map(raw.map(([id, v]) => [id, v / sum]));
}

function notChosen(
  id: RestoreStageId,
  title: string,
  available: boolean,
  reason?: string,
): RestoreStageReport {
  return {
    id,
    title,
    status: 'skipped',
    state: available
      ? `Not chosen for this restore: ${staysAsItIs(id)}.`
      : `Not restorable from this set (${reason ?? 'not in the set'}): ${staysAsItIs(id)}.`,
    statements: [],
    warnings: [],
  };
}

async function runOne(
  stage: RestoreStage,
  title: string,
  input: RunStagesInput,
  overall: (f: number) => number,
): Promise<RestoreStageReport> {
  const { emit, restoreId, journal } = input;
  const env = input.prepared.env;
  const id = stage.id;
  const rep: RestoreStageReport = {
    id,
    title,
    status: 'running',
    startedAt: at(),
    state: '',
    statements: [],
    warnings: [],
  };
  emit({ type: 'stage-started', restoreId, at: rep.startedAt ?? at(), stage: id, title });
  env.log.info(`${title}: started.`);
  let leaves: string | undefined;
  const tracker = new ProgressTracker((fraction, counters) =>
    emit({
      type: 'stage-progress',
      restoreId,
      at: at(),
      stage: id,
      fraction,
      overall: overall(fraction),
      counters,
      ...(leaves !== undefined && { leaves }),
    }),
  );
  const t0 = performance.now();
  const outcome = await runGuarded(stage, env, {
    progress: (f, c, l) => {
      if (l !== undefined) leaves = l;
      tracker.report(f, c);
    },
    statement: (t) => void rep.statements.push(redact(t, env.secrets)),
    warn: (code, message) => {
      rep.warnings.push({ code, message });
      emit({ type: 'stage-warning', restoreId, at: at(), stage: id, code, message });
    },
    journal: (o) => journal.add(id, o),
    unjournal: (o) => void journal.drop(id, o).catch(() => undefined),
  });
  tracker.flush();
  rep.durationMs = Math.round(performance.now() - t0);
  rep.finishedAt = at();
  rep.status = outcome.status;
  rep.state = outcome.state;
  if (outcome.error) rep.error = outcome.error;
  if (outcome.details !== undefined) rep.details = outcome.details;
  await cleanupStage(stage, env, input, rep);
  env.log[outcome.status.startsWith('succeeded') ? 'info' : 'warn'](
    `${title}: ${outcome.status}. ${outcome.state}`,
  );
  emit({
    type: 'stage-finished',
    restoreId,
    at: rep.finishedAt,
    stage: id,
    status: rep.status,
    durationMs: rep.durationMs,
    state: rep.state,
    ...(rep.error && { error: rep.error }),
  });
  return rep;
}

/** A stage that throws (a bug) still ends as a failed stage with a report. */
async function runGuarded(
  stage: RestoreStage,
  env: StageEnv,
  hooks: Parameters<RestoreStage['run']>[1],
): Promise<StageOutcome> {
  try {
    return await stage.run(env, hooks);
  } catch (err) {
    if (isAbortError(err) || env.signal.aborted)
      return {
        status: 'cancelled',
        state: `Cancelled: ${RESTORE_STAGE_NOUNS[stage.id]} may be partly restored; run the restore of it again.`,
      };
    const error = toErrorInfo(err, { where: 'restore', secrets: env.secrets });
    return {
      status: 'failed',
      state: `${error.message} The state of ${RESTORE_STAGE_NOUNS[stage.id]} is unknown: check it before starting Octane.`,
      error,
    };
  }
}

/** Removes what the stage journaled and left (also after a cancel: with its own time limit). */
async function cleanupStage(
  stage: RestoreStage,
  env: StageEnv,
  input: RunStagesInput,
  rep: RestoreStageReport,
): Promise<void> {
  const objects = input.journal.of(stage.id);
  if (objects.length === 0) return;
  try {
    const r = await stage.cleanup({ ...env, signal: AbortSignal.timeout(CLEANUP_MS) }, objects);
    await input.journal.settled(stage.id, [...r.removed, ...r.absent]);
    for (const f of r.failed)
      rep.warnings.push({
        code: 'RESTORE_TEMPORARY_LEFT',
        message: `${f.object.name} (${f.object.kind}${f.object.where ? ` on ${f.object.where}` : ''}) could not be removed: ${f.message}. Remove it by hand.`,
      });
  } catch (err) {
    rep.warnings.push({
      code: 'RESTORE_TEMPORARY_LEFT',
      message: `The temporary objects of this stage could not be removed (${(err as Error).message}): ${objects.map((o) => o.name).join(', ')}. They are listed in ${input.journal.file}; remove them by hand.`,
    });
  }
}

function buildReport(input: RunStagesInput, stages: RestoreStageReport[], startedAt: string): RestoreReport {
  const p = input.prepared.preparation;
  const ran = stages.filter((s) => s.status !== 'skipped');
  const status: RunStatus = ran.some((s) => s.status === 'cancelled')
    ? 'cancelled'
    : ran.some((s) => s.status === 'failed')
      ? 'failed'
      : ran.some((s) => s.status === 'succeeded-with-warnings' || s.warnings.length > 0)
        ? 'succeeded-with-warnings'
        : 'succeeded';
  const ok = (s: RestoreStageReport): boolean =>
    s.status === 'succeeded' || s.status === 'succeeded-with-warnings';
  const firstError = stages.find((s) => s.error)?.error;
  return {
    formatVersion: 1,
    restoreId: input.restoreId,
    status,
    setPath: p.setPath,
    setName: p.setName,
    setId: p.setId,
    profile: p.profile,
    host: hostname(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    startedAt,
    finishedAt: at(),
    octane: input.octane,
    verify: p.verify,
    stages,
    restored: stages.filter(ok).map((s) => `${s.title}: ${s.state}`),
    notRestored: stages.filter((s) => !ok(s)).map((s) => `${s.title}: ${s.state}`),
    notes: input.notes,
    nextSteps: nextSteps(input.prepared.env.profile, stages),
    ...(firstError && { error: firstError }),
  };
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
