// The repository folder, last: the current folder is moved aside (kept, never deleted), the set's
// archive extracted into its place and compared with the set's file list. The database already
// restored is the authority: files it does not reference are harmless, missing ones are not.
import type { ComponentRecord } from '../../contract/manifest.js';
import { formatBytes } from '../../contract/format.js';
import { ExpectedError } from '../errors.js';
import { planRepositoryRestore } from '../restore/repository/plan-repository.js';
import { restoreRepository, type RepositoryRestoreResult } from '../restore/repository/restore-repository.js';
import { asideName, inspectTarget } from '../restore/repository/target-folder.js';
import { componentOf, text } from '../steps/restore/primitive.js';
import { artifactPath, artifactsOf } from '../steps/restore/set-files.js';
import { splitFilePlan } from './file-plans.js';
import { unusable } from './primitive-stage.js';
import { componentBytes, type RestoreStage, type StageEnv, type StageOutcome } from './stage.js';

function record(env: StageEnv): ComponentRecord | undefined {
  return env.set.manifest.components.find((c) => c?.id === 'repository');
}

/** The archive and the file list, inside the set's repository folder and listed (so verified). */
export function repositorySources(env: StageEnv): { archive: string; fileList: string } {
  const c = componentOf(env.set.viewOf('repository'), 'repository');
  const listed = new Set(artifactsOf(c).map((a) => a.path));
  const pick = (key: 'archive' | 'fileList'): string => {
    const rel = text(c.details?.[key]);
    if (!rel || !listed.has(rel))
      throw new ExpectedError(
        'RESTORE_SET_MANIFEST_INVALID',
        `The set's repository record names no ${key === 'archive' ? 'archive' : 'file list'} among its files.`,
        {
          step: 'repository',
          fix: 'The manifest was edited or damaged: restore from another set, or from an untouched copy of this one.',
        },
      );
    return artifactPath(env.set.rootOf('repository'), 'repository', rel);
  };
  return { archive: pick('archive'), fileList: pick('fileList') };
}

function target(env: StageEnv): string {
  const path = env.profile.repository?.path;
  if (!path) throw new ExpectedError('RESTORE_NO_TARGET', 'The profile has no repository section.');
  return path;
}

export const repositoryStage: RestoreStage = {
  id: 'repository',
  unavailable(env) {
    const c = record(env);
    if (!c) return 'the set holds no repository folder';
    if (c.status !== 'succeeded' && c.status !== 'succeeded-with-warnings')
      return `its repository step ${c.status === 'skipped' ? 'was not configured' : c.status}`;
    const damage = env.set.damage('repository');
    if (damage) return damage;
    if (!env.profile.repository)
      return 'the profile has no repository section, so it says nowhere to restore it';
    return undefined;
  },
  title(env) {
    const files = record(env)?.details?.files;
    const parts = [env.profile.repository?.path, typeof files === 'number' ? `${files} file(s)` : undefined];
    const shown = parts.filter((x): x is string => x !== undefined);
    return `Repository folder${shown.length ? ` (${shown.join(', ')})` : ''}`;
  },
  bytes: (env) => componentBytes(env, 'repository'),
  async look(env) {
    let src;
    try {
      src = { ...repositorySources(env), target: target(env) };
    } catch (err) {
      if (err instanceof ExpectedError) return unusable('repository', err);
      throw err;
    }
    const p = await planRepositoryRestore({ ...src, now: env.now });
    return splitFilePlan('repository', p, `Extract ${src.archive} into ${src.target}`);
  },
  async run(env, hooks) {
    const src = { ...repositorySources(env), target: target(env) };
    const real = inspectTarget(src.target).real;
    let leaves = 'Nothing has been changed yet: the repository folder is as it was.';
    const r = await restoreRepository({
      ...src,
      signal: env.signal,
      now: env.now,
      onProgress: (p) => {
        if (p.phase !== 'checking' && leaves.startsWith('Nothing')) {
          const aside = asideName(real, env.now);
          leaves = `${real} is left with a PARTIAL restore; your previous folder is kept, untouched, at ${aside}. To go back: delete ${real} and rename ${aside} to ${real}.`;
        }
        hooks.progress(
          p.fraction,
          {
            message: p.message,
            ...(p.extract && { bytesDone: p.extract.bytesDone, itemsDone: p.extract.entriesDone }),
            ...(p.bytesTotal !== undefined && { bytesTotal: p.bytesTotal }),
            ...(p.entriesTotal !== undefined && { itemsTotal: p.entriesTotal }),
          },
          leaves,
        );
      },
      onWarning: (w) => hooks.warn(w.code, w.message),
    });
    return outcomeOf(r);
  },
  cleanup: () => Promise.resolve({ removed: [], absent: [], failed: [] }),
};

function outcomeOf(r: RepositoryRestoreResult): StageOutcome {
  const details = {
    ...r,
    comparison: r.comparison && { ...r.comparison, problems: r.comparison.problems.slice(0, 50) },
  };
  switch (r.status) {
    case 'restored':
      return {
        status: 'succeeded',
        state: `${r.stateMessage} (${formatBytes(r.extraction?.bytes ?? 0)} in ${Math.round(r.durationMs / 1000)} s)`,
        details,
      };
    case 'restored-with-problems':
      return {
        status: 'failed',
        state: r.stateMessage,
        error: {
          code: 'RESTORE_REPOSITORY_MISMATCH',
          message: `The restored folder does not match the set's file list: ${r.comparison?.problems.slice(0, 3).join(' ') ?? ''}`,
          fix: 'Check the target volume (space, permissions, another program writing there), then run the restore of the repository folder again.',
          step: 'repository',
        },
        details,
      };
    case 'cancelled':
      return { status: 'cancelled', state: r.stateMessage, details };
    case 'failed':
      return { status: 'failed', state: r.stateMessage, ...(r.error && { error: r.error }), details };
  }
}
