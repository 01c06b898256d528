// The repository folder in a rehearsal: the set's archive extracted into a scratch folder this
// rehearsal creates (journaled before it exists), every file read back and checked against the
// set's file list (type, size, SHA-256 where listed), then the folder removed. The live
// repository folder is never opened for writing: the scratch folder is refused when it overlaps it.
import { lstat, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ScratchObject } from '../../contract/restore.js';
import { rehearseRepositoryRestore } from '../restore/repository/rehearse-repository.js';
import { repositorySources, repositoryStage } from '../restore-set/stage-repository.js';
import type { RestoreStage, StageEnv, StageOutcome } from '../restore-set/stage.js';
import type { CleanupResult } from '../steps/restore/primitive.js';
import { SCRATCH_FOLDER_PATTERN } from './scratch-guard.js';

export interface RepositoryRehearsalDetails {
  scratch: string;
  filesChecked: number;
  hashed: number;
  listed: number;
  problems: string[];
}

/** `scratchPath(env)`: the scratch folder (not yet existing) for this rehearsal. */
export function repositoryRehearsalStage(scratchPath: (env: StageEnv) => string): RestoreStage {
  return {
    ...repositoryStage,
    look(env) {
      const scratch = scratchPath(env);
      return Promise.resolve({
        checks: [],
        plan: {
          component: 'repository',
          target: 'scratch',
          summary: `Extract the set's repository archive into the scratch folder ${scratch}, check every file, remove it.`,
          actions: [
            { kind: 'file', title: `Create ${scratch} and extract the archive into it`, changes: true },
            { kind: 'check', title: "Read every file back against the set's file list", changes: false },
            { kind: 'remove', title: `Remove ${scratch}`, changes: true },
          ],
          notes: ['The live repository folder is not touched.'],
        },
      });
    },
    async run(env, hooks) {
      const scratch = scratchPath(env);
      const object: ScratchObject = { component: 'repository', kind: 'folder', name: scratch };
      await hooks.journal(object);
      const r = await rehearseRepositoryRestore({
        ...repositorySources(env),
        scratch,
        signal: env.signal,
        onProgress: (p) => hooks.progress(p.fraction, { message: `${p.phase} the repository` }),
      });
      // Someone else's folder of that name: never ours to remove.
      if (r.error?.code === 'REHEARSAL_SCRATCH_EXISTS') hooks.unjournal(object);
      return outcomeOf(r);
    },
    cleanup: (_env, objects) => removeScratchFolders(objects),
  };
}

function outcomeOf(r: Awaited<ReturnType<typeof rehearseRepositoryRestore>>): StageOutcome {
  const c = r.comparison;
  const details: RepositoryRehearsalDetails = {
    scratch: r.scratch,
    filesChecked: r.filesChecked,
    hashed: c?.hashed ?? 0,
    listed: c?.listed ?? 0,
    problems: c?.problems.slice(0, 50) ?? [],
  };
  if (r.status === 'passed')
    return {
      status: 'succeeded',
      state: `${r.filesChecked} file(s) extracted into ${r.scratch} and read back: each matches the file list (${details.hashed} by SHA-256).`,
      details,
    };
  if (r.status === 'cancelled') return { status: 'cancelled', state: 'Cancelled while extracting.', details };
  const error = r.error ?? {
    code: 'REHEARSAL_REPOSITORY_MISMATCH',
    message: `The extracted repository does not match the set's file list: ${details.problems.slice(0, 3).join(' ')}`,
    fix: 'This set cannot give the repository folder back as it was: rehearse (and rely on) another set, and check the backup destination.',
    step: 'repository',
  };
  return { status: 'failed', state: error.message, error, details };
}

/** Removes exactly the journaled scratch folders (named like a rehearsal's, real folders, not links). */
export async function removeScratchFolders(objects: ScratchObject[]): Promise<CleanupResult> {
  const out: CleanupResult = { removed: [], absent: [], failed: [] };
  for (const o of objects) {
    if (o.kind !== 'folder' || !SCRATCH_FOLDER_PATTERN.test(basename(o.name))) {
      out.failed.push({
        object: o,
        message: `${o.name} is not a rehearsal scratch folder; it was not touched.`,
      });
      continue;
    }
    const st = await lstat(o.name).catch(() => undefined);
    if (!st) {
      out.absent.push(o);
      continue;
    }
    if (!st.isDirectory()) {
      out.failed.push({ object: o, message: `${o.name} is not a folder; it was not touched.` });
      continue;
    }
    await rm(join(o.name), { recursive: true, force: true }).then(
      () => out.removed.push(o),
      (err: unknown) => out.failed.push({ object: o, message: (err as Error).message }),
    );
  }
  return out;
}
