// What a rehearsal looks at before it creates anything: the set read and verified, the stores it
// can rehearse (database, Elasticsearch, repository folder onto scratch targets), and each one's
// preflight (the primitives' own checks for a scratch target: rehearsal folder set, free space,
// rights, the cluster able to read the snapshot). Reads only.
import { join } from 'node:path';
import type { Profile, RunSecrets } from '../../contract/profile.js';
import type { RestoreCheck, RestorePreparation, RestoreStageId } from '../../contract/restore-run.js';
import type { RestorePlan } from '../../contract/restore.js';
import { isAbortError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Prepared } from '../restore-set/prepare.js';
import { readSetManifest, setUnderRestore } from '../restore-set/set-view.js';
import { databaseStage } from '../restore-set/stage-database.js';
import { elasticsearchStage } from '../restore-set/stage-elasticsearch.js';
import {
  stageChoices,
  type PrimitiveFactories,
  type RestoreStage,
  type StageEnv,
} from '../restore-set/stage.js';
import type { verifyBackupSet } from '../use-cases/verify-set.js';
import { repositoryRehearsalStage } from './repository-stage.js';
import { scratchFolderName } from './scratch-guard.js';

export interface RehearsalInput {
  setPath: string;
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Logger;
  now: Date;
  rehearsalId: string;
  /** The folder the repository's scratch folder is made in. */
  scratchDir: string;
  factories: PrimitiveFactories;
  verify: typeof verifyBackupSet;
}

export interface PreparedRehearsal extends Prepared {
  /** The stores that will run (available, every check passed). */
  selected: RestoreStageId[];
  /** Why the set cannot be proven: verify found it damaged or incomplete (a failed rehearsal). */
  problems: string[];
  /** Failed preflight checks of the scratch targets (not the set's fault: nothing is rehearsed or recorded). */
  notReady: string[];
}

export async function prepareRehearsal(input: RehearsalInput): Promise<PreparedRehearsal> {
  const manifest = await readSetManifest(input.setPath);
  const verified = await input.verify(input.setPath, { signal: input.signal, profile: input.profile });
  const set = setUnderRestore(input.setPath, manifest, verified);
  const env: StageEnv = {
    set,
    profile: input.profile,
    secrets: input.secrets,
    env: input.env,
    log: input.log,
    signal: input.signal,
    target: { kind: 'scratch', setId: manifest.setId },
    now: input.now,
    factories: input.factories,
  };
  const scratch = join(input.scratchDir, scratchFolderName(manifest.setId, input.rehearsalId));
  const stages: RestoreStage[] = [databaseStage, elasticsearchStage, repositoryRehearsalStage(() => scratch)];
  const problems: string[] = [];
  // A damaged set is a failed rehearsal: it would not give the installation back.
  if (verified.verdict === 'damaged')
    problems.push(`The set is damaged or incomplete: ${verified.problems.slice(0, 5).join(' ')}`);
  const choices = stageChoices(stages, env);
  const checks: RestoreCheck[] = [];
  const plans: RestorePlan[] = [];
  for (const s of stages.filter((x) => choices.find((c) => c.id === x.id)?.available)) {
    const look = await lookSafely(s, env);
    checks.push(...look.checks);
    plans.push(look.plan);
  }
  const notReady = checks
    .filter((x) => x.status === 'failed')
    .map((c) => `${c.title}: ${c.message}${c.fix ? ` Fix: ${c.fix}` : ''}`);
  const preparation: RestorePreparation = {
    setPath: set.path,
    setName: manifest.setName,
    setId: manifest.setId,
    setProfile: String(manifest.profile),
    profile: input.profile.profile,
    verify: { verdict: verified.verdict, problems: verified.problems },
    stages: choices,
    checks,
    plans,
    confirmStopped: false,
    offline: false,
    generatedAt: new Date().toISOString(),
  };
  const selected = choices.filter((c) => c.available).map((c) => c.id);
  return { preparation, env, stages, selected, problems, notReady };
}

async function lookSafely(s: RestoreStage, env: StageEnv): ReturnType<RestoreStage['look']> {
  try {
    return await s.look(env, 'live');
  } catch (err) {
    if (isAbortError(err)) throw err;
    const message = `The scratch target could not be checked: ${(err as Error).message}`;
    return {
      checks: [
        { id: `${s.id}.look`, scope: s.id, title: 'Checking the scratch target', status: 'failed', message },
      ],
      plan: { component: s.id, target: 'scratch', summary: message, actions: [], notes: [] },
    };
  }
}
