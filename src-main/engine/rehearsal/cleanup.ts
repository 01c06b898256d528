// Removing what crashed rehearsals left: each rehearsal journal in the set's reports folder is
// read back, and exactly the objects it lists as created-and-not-removed are handed to their
// store's cleanup (which removes only rehearsal-named objects). A journal goes once nothing it
// lists is left; otherwise it stays for the next try, with what was removed marked in it.
import { rm } from 'node:fs/promises';
import type { Profile, RunSecrets } from '../../contract/profile.js';
import type { RestoreStageId } from '../../contract/restore-run.js';
import type { ScratchObject } from '../../contract/restore.js';
import type { Logger } from '../logger.js';
import { RestoreJournal } from '../restore-set/journal.js';
import { readSetManifest, setUnderRestore } from '../restore-set/set-view.js';
import { databaseStage } from '../restore-set/stage-database.js';
import { elasticsearchStage } from '../restore-set/stage-elasticsearch.js';
import type { PrimitiveFactories, RestoreStage, StageEnv } from '../restore-set/stage.js';
import type { CleanupResult } from '../steps/restore/primitive.js';
import { readJournal, rehearsalJournals } from './journal-file.js';
import { removeScratchFolders } from './repository-stage.js';

export interface RehearsalCleanup {
  /** Journals found (each one a rehearsal that had not finished its cleanup). */
  journals: string[];
  removed: string[];
  /** Listed, but already gone. */
  absent: string[];
  failed: { name: string; message: string }[];
  /** Journal lines that could not be read (a torn last line after a crash). */
  skippedLines: number;
}

export interface CleanupEnv {
  profile: Profile;
  secrets: RunSecrets;
  env: NodeJS.ProcessEnv;
  log: Logger;
  factories: PrimitiveFactories;
  signal: AbortSignal;
}

const CLEANERS: Partial<Record<RestoreStageId, RestoreStage['cleanup']>> = {
  database: (env, objects) => databaseStage.cleanup(env, objects),
  elasticsearch: (env, objects) => elasticsearchStage.cleanup(env, objects),
  repository: (_env, objects) => removeScratchFolders(objects),
};

const describe = (o: ScratchObject): string => `${o.name} (${o.kind}${o.where ? ` on ${o.where}` : ''})`;

export async function cleanupJournals(
  setPath: string,
  dir: string,
  c: CleanupEnv,
): Promise<RehearsalCleanup> {
  const out: RehearsalCleanup = { journals: [], removed: [], absent: [], failed: [], skippedLines: 0 };
  const files = await rehearsalJournals(dir);
  if (files.length === 0) return out;
  const manifest = await readSetManifest(setPath);
  const env: StageEnv = {
    ...c,
    set: setUnderRestore(setPath, manifest),
    target: { kind: 'scratch', setId: manifest.setId },
    now: new Date(),
  };
  for (const file of files) {
    out.journals.push(file);
    const j = await readJournal(file);
    out.skippedLines += j.skippedLines;
    const journal = new RestoreJournal(file);
    let left = 0;
    for (const stage of [...new Set(j.outstanding.map((x) => x.stage))]) {
      const objects = j.outstanding.filter((x) => x.stage === stage).map((x) => x.object);
      const r = await cleanStage(stage, env, objects);
      await journal.settled(stage, [...r.removed, ...r.absent]);
      out.removed.push(...r.removed.map(describe));
      out.absent.push(...r.absent.map(describe));
      out.failed.push(...r.failed.map((f) => ({ name: describe(f.object), message: f.message })));
      left += r.failed.length;
    }
    if (left === 0) await rm(file, { force: true });
  }
  return out;
}

async function cleanStage(
  stage: RestoreStageId,
  env: StageEnv,
  objects: ScratchObject[],
): Promise<CleanupResult> {
  const clean = CLEANERS[stage];
  if (!clean)
    return {
      removed: [],
      absent: [],
      failed: objects.map((object) => ({
        object,
        message: 'a rehearsal creates nothing in this stage; not touched',
      })),
    };
  try {
    return await clean(env, objects);
  } catch (err) {
    if (env.signal.aborted) throw err;
    return {
      removed: [],
      absent: [],
      failed: objects.map((object) => ({ object, message: (err as Error).message })),
    };
  }
}
