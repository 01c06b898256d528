// Everything a restore looks at before it may touch anything, in one answer: the set read and
// verified, which stages it can give, Octane's state, each stage's target checks and its plan.
// Reads only. `restore --plan`, the wizard's first pages, the runbook and the restore itself all
// start here.
import type { Profile, RunSecrets } from '../../contract/profile.js';
import type { RestoreCheck, RestorePreparation } from '../../contract/restore-run.js';
import type { RestorePlan } from '../../contract/restore.js';
import { profileFolder } from '../backup-set/set-layout.js';
import { isAbortError } from '../errors.js';
import { profileLockPath, readLockState } from '../lock.js';
import type { Logger } from '../logger.js';
import type { verifyBackupSet } from '../use-cases/verify-set.js';
import { octaneState, type OctaneProbeDeps } from './octane-state.js';
import { readSetManifest, setUnderRestore } from './set-view.js';
import {
  stageChoices,
  type LookMode,
  type PrimitiveFactories,
  type RestoreStage,
  type StageEnv,
} from './stage.js';
import { RESTORE_STAGE_LIST } from './stages.js';

export interface PrepareInput {
  setPath: string;
  /** Validated; describes the target installation. */
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  now: Date;
  factories: PrimitiveFactories;
  octane: OctaneProbeDeps;
  verify: typeof verifyBackupSet;
  onVerifyProgress?: (bytesDone: number, bytesTotal: number, current: string) => void;
  /** live (default): verify, ask the servers, look at the targets; offline: the set alone (the runbook at backup time). */
  mode?: LookMode;
}

export interface Prepared {
  preparation: RestorePreparation;
  env: StageEnv;
  stages: RestoreStage[];
}

export async function prepareRestore(input: PrepareInput): Promise<Prepared> {
  const mode = input.mode ?? 'live';
  const manifest = await readSetManifest(input.setPath);
  const verified =
    mode === 'live'
      ? await input.verify(input.setPath, {
          signal: input.signal,
          // As `verify` judges it: the profile's other destinations when this is one of its own
          // sets, and its seal key(s), so a manifest altered since the backup is refused here too.
          profile: input.profile,
          env: input.env,
          ...(input.secrets.sealKey !== undefined && { sealKey: input.secrets.sealKey }),
          ...(input.onVerifyProgress && { onProgress: input.onVerifyProgress }),
        })
      : undefined;
  const set = setUnderRestore(input.setPath, manifest, verified);
  const env: StageEnv = {
    set,
    profile: input.profile,
    secrets: input.secrets,
    env: input.env,
    log: input.log,
    signal: input.signal,
    target: { kind: 'in-place' },
    now: input.now,
    factories: input.factories,
  };
  const checks: RestoreCheck[] = [...setChecks(env, input)];
  let confirmStopped = true;
  if (mode === 'live') {
    checks.push(await lockCheck(input.profile));
    const octane = await octaneState(input.profile, input.signal, input.octane);
    checks.push(...octane.checks);
    confirmStopped = octane.confirmStopped;
  }
  const stages = RESTORE_STAGE_LIST;
  const choices = stageChoices(stages, env);
  const plans: RestorePlan[] = [];
  for (const s of stages) {
    if (!choices.find((c) => c.id === s.id)?.available) continue;
    const look = await lookSafely(s, env, mode);
    checks.push(...look.checks);
    plans.push(look.plan);
  }
  const preparation: RestorePreparation = {
    setPath: set.path,
    setName: manifest.setName,
    setId: manifest.setId,
    setProfile: String(manifest.profile),
    profile: input.profile.profile,
    ...(manifest.kind && { kind: manifest.kind }),
    ...(manifest.label !== undefined && { label: manifest.label }),
    ...(manifest.startedAt && { takenAt: manifest.startedAt }),
    verify: verified
      ? { verdict: verified.verdict, problems: verified.problems }
      : { verdict: manifest.complete ? 'intact' : 'damaged', problems: [] },
    stages: choices,
    checks,
    plans,
    confirmStopped,
    offline: mode === 'offline',
    generatedAt: new Date().toISOString(),
  };
  return { preparation, env, stages };
}

function setChecks(env: StageEnv, input: PrepareInput): RestoreCheck[] {
  const out: RestoreCheck[] = [];
  const v = env.set.verify;
  // A seal that does not match means the manifest itself was changed after the backup: no
  // component's hashes can be believed, so not even a restore of the parts that "verify" may run.
  if (v?.seal === 'invalid')
    out.push({
      id: 'set.seal',
      scope: 'set',
      title: 'The seal of the manifest',
      status: 'failed',
      message: v.problems.find((p) => /seal/i.test(p)) ?? 'The seal does not match the manifest.',
      fix: 'Restore from another set, or from an untouched copy of this one; find out who changed this one.',
    });
  if (v)
    out.push({
      id: 'set.verify',
      scope: 'set',
      title: 'The set verified',
      status: v.verdict === 'intact' ? 'ok' : 'warning',
      message:
        v.verdict === 'intact'
          ? `Every file of the set matches its SHA-256 in the manifest (${v.checks.length} file(s)).`
          : `${v.verdict === 'intact-partial' ? 'Intact, but not a full Octane backup' : 'Damaged or incomplete'}: ${v.problems.slice(0, 3).join(' ')}`,
      ...(v.verdict !== 'intact' && {
        fix: 'Only the components that verified intact can be restored (chosen one by one). Prefer a complete, intact set.',
      }),
    });
  const from = env.set.manifest.profile;
  if (from !== input.profile.profile)
    out.push({
      id: 'set.profile',
      scope: 'set',
      title: 'Target installation',
      status: 'warning',
      message: `The set was taken by profile "${String(from)}"; it is restored into the installation profile "${input.profile.profile}" describes.`,
      fix: 'Make sure that is intended (a second profile describing new servers is how a set is restored elsewhere).',
    });
  return out;
}

async function lockCheck(profile: Profile): Promise<RestoreCheck> {
  const path = profileLockPath(profileFolder(profile.destination, profile.profile));
  const held = (await readLockState(path)).held;
  return {
    id: 'set.backup-running',
    scope: 'set',
    title: 'No backup of this profile running',
    status: held ? 'failed' : 'ok',
    message: held
      ? `A backup of "${profile.profile}" is running: it would capture half-restored stores.`
      : `No backup of "${profile.profile}" is running.`,
    ...(held && { fix: `Wait for it to finish (or cancel it), then check again. Its lock file is ${path}.` }),
  };
}

/** A look that fails unexpectedly becomes a failed check of its stage, never a crash of the whole. */
async function lookSafely(s: RestoreStage, env: StageEnv, mode: LookMode): ReturnType<RestoreStage['look']> {
  try {
    return await s.look(env, mode);
  } catch (err) {
    if (isAbortError(err)) throw err;
    return {
      checks: [
        {
          id: `${s.id}.look`,
          scope: s.id,
          title: 'Checking the target',
          status: 'failed',
          message: `The target could not be checked: ${(err as Error).message}`,
          fix: 'Check the profile and the target, then check again.',
        },
      ],
      plan: {
        component: s.id,
        target: 'in-place',
        summary: 'No plan: the target could not be checked.',
        actions: [],
        notes: [],
      },
    };
  }
}
