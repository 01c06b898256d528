// Looking before an Elasticsearch restore (read-only): the cluster's version and rights, whether the
// snapshot is still in the live repository with the same UUID (else where the set's copy of the
// repository folder would go, and whether every node may read it there), the indices it would
// replace or create, free disk on the data nodes.
import { dirname, join } from 'node:path';
import type { ElasticsearchConfig } from '../../../../contract/profile.js';
import { ExpectedError } from '../../../errors.js';
import type { RestoreLookContext } from '../../restore/primitive.js';
import type { EsCatIndex } from '../api.js';
import { connect, type ServerFacts } from '../checks.js';
import { isUnderPathRepo, pathRepoLine, pathRepoList } from '../paths.js';
import { esError, type EsErrorContext } from '../errors.js';
import { openSession, type EsSession } from '../session.js';
import { EsRestoreApi, type EsSnapshotWithDetails } from './restore-api.js';
import {
  readEsSet,
  scratchIndexName,
  scratchRepositoryName,
  type EsSetView,
  type SetIndex,
} from './source.js';

export interface EsRestoreOptions {
  /** Only these indices of the snapshot (default: every non-system index it holds). */
  indices?: string[];
  /** 'auto' (default): the live repository when it still has the snapshot with the same UUID, else the set's copy. */
  source?: 'auto' | 'live' | 'set';
  /** Where the set's repository folder is copied (Elasticsearch's view / this machine's view). */
  copyLocation?: string;
  copyFrom?: string;
}

export type IndexAction = 'create' | 'close' | 'delete';

export interface IndexTarget {
  index: SetIndex;
  /** The index it is restored as (itself in place, rehearsal-<set id>-<index> in a rehearsal). */
  target: string;
  existing?: EsCatIndex;
  action: IndexAction;
}

export interface CopyPlan {
  /** As the Elasticsearch nodes see it (must be under path.repo). */
  location: string;
  /** As this machine sees it. */
  localDir: string;
  /** The temporary read-only registration. */
  repository: string;
}

export interface EsSurvey {
  c: ElasticsearchConfig;
  view: EsSetView;
  setId: string;
  facts?: ServerFacts;
  unreachable?: ExpectedError;
  /** Present when the live repository still holds the snapshot with the set's UUID. */
  live?: EsSnapshotWithDetails;
  liveProblem?: string;
  copy?: CopyPlan;
  copyProblem?: ExpectedError;
  pathRepoProblem?: ExpectedError;
  security?: { enabled: boolean; manage?: boolean; user?: string };
  existing: Map<string, EsCatIndex>;
  repositories: string[];
  freeBytes?: number;
  targets: IndexTarget[];
}

const step = 'elasticsearch' as const;

export function esConfigOf(ctx: { profile: { elasticsearch?: ElasticsearchConfig } }): ElasticsearchConfig {
  const c = ctx.profile.elasticsearch;
  if (!c)
    throw new ExpectedError('ES_NOT_CONFIGURED', 'The profile has no Elasticsearch section.', {
      step,
      fix: 'Add the Elasticsearch section of the target installation to the profile.',
    });
  return c;
}

export function emptyEsSurvey(ctx: RestoreLookContext, opts: EsRestoreOptions): EsSurvey {
  const c = esConfigOf(ctx);
  const view = readEsSet(ctx.set, opts.indices);
  const setId = ctx.target.kind === 'scratch' ? ctx.target.setId : ctx.set.manifest.setId;
  const s: EsSurvey = { c, view, setId, existing: new Map(), repositories: [], targets: [] };
  const repository = scratchRepositoryName(setId);
  const folder = `octane-restore-${setId.toLowerCase()}`;
  const location = opts.copyLocation ?? c.restoreLocation ?? join(dirname(c.location), folder);
  const base =
    opts.copyFrom ?? c.restoreCopyFrom ?? (c.copyFrom ? join(dirname(c.copyFrom), folder) : undefined);
  if (view.files.length === 0)
    s.copyProblem = new ExpectedError(
      'ES_RESTORE_NO_COPY',
      `The set holds no copy of the snapshot repository (the backup ran without copyFrom), so it can only be restored from the live repository "${c.repository}".`,
      {
        step,
        fix: 'Restore a set that holds the repository folder, or make sure the snapshot is still in the live repository.',
      },
    );
  else if (!base)
    s.copyProblem = new ExpectedError(
      'ES_RESTORE_NO_COPY_TARGET',
      "The set's repository folder has nowhere to go: the profile has neither copyFrom nor restoreCopyFrom.",
      {
        step,
        fix: 'Set elasticsearch.restoreLocation (a folder under path.repo as the nodes see it) and elasticsearch.restoreCopyFrom (the same folder as this machine sees it).',
      },
    );
  else s.copy = { location, localDir: base, repository };
  return s;
}

async function liveSnapshot(s: EsSurvey, r: EsRestoreApi, opts: EsRestoreOptions): Promise<void> {
  if (opts.source === 'set') {
    s.liveProblem = "the restore was asked to use the set's copy";
    return;
  }
  const info = await r.snapshot(s.c.repository, s.view.snapshot).catch(() => undefined);
  if (!info) s.liveProblem = `snapshot ${s.view.snapshot} is not in the live repository "${s.c.repository}"`;
  else if (s.view.uuid && info.uuid !== s.view.uuid)
    s.liveProblem = `the live repository's snapshot ${s.view.snapshot} has UUID ${info.uuid ?? '?'}, the set's has ${s.view.uuid}`;
  else s.live = info;
}

function chooseTargets(s: EsSurvey, scratch: boolean): void {
  s.targets = s.view.indices.map((index) => {
    const target = scratch ? scratchIndexName(index.name, s.setId) : index.name;
    const existing = s.existing.get(target);
    const t: IndexTarget = { index, target, action: 'create' };
    if (!existing) return t;
    t.existing = existing;
    const shards = s.live?.index_details?.[index.name]?.shard_count ?? index.primaries;
    // A closed index is overwritten by the restore only when its shard count is the snapshot's.
    t.action = shards !== undefined && Number(existing.pri) === shards ? 'close' : 'delete';
    return t;
  });
}

export async function surveyEs(
  s: EsSurvey,
  session: EsSession,
  ctx: RestoreLookContext,
  opts: EsRestoreOptions,
): Promise<EsSurvey> {
  const { api, ec } = session;
  const r = new EsRestoreApi(api, ctx.signal);
  const wrap = <T>(p: Promise<T>): Promise<T> => p.catch((err: unknown) => Promise.reject(esError(err, ec)));
  s.facts = await connect(api, ec);
  await liveSnapshot(s, r, opts);
  if (s.copy && !s.live) await pathRepo(s, session, ec);
  s.security = await wrap(r.hasManage());
  s.repositories = await wrap(r.repositories());
  for (const i of await wrap(r.allIndices())) s.existing.set(i.index, i);
  const fs = await r.nodesFs().catch(() => undefined);
  if (fs)
    s.freeBytes = fs
      .filter((n) => !n.roles || n.roles.some((x) => x.startsWith('data')))
      .reduce((a, n) => a + (n.fs?.total?.available_in_bytes ?? 0), 0);
  chooseTargets(s, ctx.target.kind === 'scratch');
  return s;
}

/** Every master and data node must list the copy's folder in path.repo; the fix names each node's own line. */
async function pathRepo(s: EsSurvey, session: EsSession, ec: EsErrorContext): Promise<void> {
  const location = s.copy?.location ?? '';
  const res = await session.api.nodesSettings().catch((err: unknown) => Promise.reject(esError(err, ec)));
  const nodes = Object.values(res.nodes ?? {}).filter(
    (n) => !n.roles || n.roles.length === 0 || n.roles.some((r) => r === 'master' || r.startsWith('data')),
  );
  const missing = nodes
    .map((n) => ({ name: n.name ?? '?', repo: pathRepoList(n.settings?.path?.repo) }))
    .filter((n) => !isUnderPathRepo(location, n.repo));
  if (missing.length === 0) return;
  s.pathRepoProblem = new ExpectedError(
    'ES_LOCATION_NOT_IN_PATH_REPO',
    `The set's repository folder would be copied to ${location}, but ${missing.length === nodes.length ? 'no node lists it' : `${missing.map((m) => m.name).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not list it`} in path.repo, so Elasticsearch may not read it there.`,
    {
      step,
      details: { location, nodes: missing.map((m) => ({ node: m.name, pathRepo: m.repo })) },
      fix:
        `Add the folder to path.repo in elasticsearch.yml and restart ${missing.length === 1 ? 'that node' : 'those nodes'} one by one:\n` +
        missing.map((m) => `  ${m.name}: ${pathRepoLine(location, m.repo)}`).join('\n') +
        '\nIn a cluster the folder must be the same shared storage on every node. Or set elasticsearch.restoreLocation / restoreCopyFrom to a folder every node already lists.',
    },
  );
}

export function openEsSession(
  c: ElasticsearchConfig,
  ctx: RestoreLookContext,
  record?: (s: string) => void,
): EsSession {
  return openSession(c, ctx.secrets, record, ctx.signal);
}
