// Elasticsearch restore primitive (7.x and 8.x through the project's own HTTP layer): in place
// (only the snapshot's indices closed or deleted, then restored) or scratch (every index restored as
// rehearsal-<set id>-<index> with no replica, counted, deleted).
import { rm, stat } from 'node:fs/promises';
import type { ScratchObject } from '../../../../contract/restore.js';
import { ExpectedError, isAbortError } from '../../../errors.js';
import type { CleanupResult, RestoreLookContext, RestorePrimitive } from '../../restore/primitive.js';
import { esError } from '../errors.js';
import { EsResponseError } from '../http.js';
import { assertEsName } from '../names.js';
import { esChecks } from './check.js';
import type { FollowTiming } from './follow.js';
import { esPlan } from './plan.js';
import { EsRestoreApi } from './restore-api.js';
import { runEsRestore, type EsRestoreResult } from './run.js';
import {
  emptyEsSurvey,
  esConfigOf,
  openEsSession,
  surveyEs,
  type EsRestoreOptions,
  type EsSurvey,
} from './survey.js';

export type { EsRestoreOptions } from './survey.js';
export type { EsRestoreResult, IndexOutcome } from './run.js';
export { canRead, scratchIndexName, scratchRepositoryName } from './source.js';

export const DEFAULT_FOLLOW: FollowTiming = { pollMs: 1000, stallMs: 15 * 60_000 };

async function look(ctx: RestoreLookContext, opts: EsRestoreOptions): Promise<EsSurvey> {
  const s = emptyEsSurvey(ctx, opts);
  const session = openEsSession(s.c, ctx);
  try {
    await surveyEs(s, session, ctx, opts);
  } catch (err) {
    if (isAbortError(err)) throw err;
    const e = esError(err, session.ec);
    if (!(e instanceof ExpectedError)) throw e;
    s.unreachable = e;
  } finally {
    session.http.close();
  }
  return s;
}

/** Only names a rehearsal or a restore makes are ever removed by a cleanup. */
const OURS = { 'es-index': /^rehearsal-[0-9a-f]+-/, 'es-repository': /^octane-restore-[0-9a-f]+$/ } as const;

async function cleanup(ctx: RestoreLookContext, objects: ScratchObject[]): Promise<CleanupResult> {
  const result: CleanupResult = { removed: [], absent: [], failed: [] };
  const mine = objects.filter((o) => o.component === 'elasticsearch');
  if (mine.length === 0) return result;
  const session = openEsSession(esConfigOf(ctx), ctx);
  const r = new EsRestoreApi(session.api, ctx.signal);
  try {
    for (const o of mine) {
      try {
        if (o.kind === 'folder') {
          if (
            !(await stat(o.name).then(
              () => true,
              () => false,
            ))
          )
            result.absent.push(o);
          else {
            await rm(o.name, { recursive: true, force: true });
            result.removed.push(o);
          }
          continue;
        }
        const rule = o.kind === 'es-index' || o.kind === 'es-repository' ? OURS[o.kind] : undefined;
        if (!rule || !rule.test(o.name)) {
          result.failed.push({
            object: o,
            message: `${o.name} is not a name a restore makes; it was not touched.`,
          });
          continue;
        }
        if (o.kind === 'es-index') {
          assertEsName('index', o.name, 'the journal');
          const there = (await r.allIndices()).some((i) => i.index === o.name);
          if (!there) result.absent.push(o);
          else {
            await r.delete([o.name]);
            result.removed.push(o);
          }
        } else {
          await r.unregister(o.name);
          result.removed.push(o);
        }
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        if (err instanceof EsResponseError && err.status === 404) result.absent.push(o);
        else result.failed.push({ object: o, message: (err as Error).message });
      }
    }
  } finally {
    session.http.close();
  }
  return result;
}

export function createElasticsearchRestore(
  timing: Partial<FollowTiming> = {},
): RestorePrimitive<EsRestoreOptions, EsRestoreResult> {
  const t: FollowTiming = { ...DEFAULT_FOLLOW, ...timing };
  return {
    component: 'elasticsearch',
    plan: async (ctx, opts) => esPlan(await look(ctx, opts), ctx.set.root, ctx.target),
    check: async (ctx, opts) => esChecks(await look(ctx, opts), ctx.target),
    run: (ctx, opts) => runEsRestore(ctx, opts, t),
    cleanup,
  };
}
