// Preflight: the same checks the run makes, reported one by one without changing anything in
// Elasticsearch (an unregistered repository is only checked against path.repo, not registered).
import { formatBytes } from '../../../contract/format.js';
import type { ConnectionTest } from '../../../contract/ui.js';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { ElasticsearchConfig, RunSecrets } from '../../../contract/profile.js';
import { type PreflightContext } from '../../step.js';
import { ExpectedError } from '../../errors.js';
import {
  checkCopyFrom,
  checkPathRepo,
  connect,
  health,
  inspectRepository,
  verifyRepository,
} from './checks.js';
import { esError } from './errors.js';
import { selectIndices } from './indices.js';
import { openSession } from './session.js';
import { sameRepositoryCheck } from './same-repository.js';

type Check = Omit<PreflightCheck, 'component'>;

function failed(id: string, title: string, err: unknown): Check {
  const e = err instanceof ExpectedError ? err : esError(err, { node: '' });
  const c: Check = { id, title, status: 'failed', message: e.message };
  if (e instanceof ExpectedError && e.fix) c.fix = e.fix;
  return c;
}

export async function preflightElasticsearch(ctx: PreflightContext): Promise<PreflightCheck[]> {
  const c = ctx.profile.elasticsearch;
  if (!c) return [];
  const out: Check[] = [];
  const add = (ch: Check): void => void out.push(ch);
  let session;
  try {
    session = openSession(c, ctx.secrets, undefined, ctx.signal);
  } catch (err) {
    return [{ ...failed('es-connection', 'Elasticsearch reachable', err), component: 'elasticsearch' }];
  }
  const { http, api, ec } = session;
  try {
    let facts;
    try {
      facts = await connect(api, ec);
      const ch: Check = {
        id: 'es-connection',
        title: 'Elasticsearch reachable',
        status: facts.versionNote ? 'warning' : 'ok',
        message: `Elasticsearch ${facts.version}, cluster "${facts.clusterName ?? '?'}" at ${http.node}.${facts.versionNote ? ` ${facts.versionNote}` : ''}`,
      };
      add(ch);
    } catch (err) {
      add(failed('es-connection', 'Elasticsearch reachable', err));
      return out.map((x) => ({ ...x, component: 'elasticsearch' }));
    }
    try {
      const h = await health(api, ec);
      add(
        h.status === 'red'
          ? {
              id: 'es-health',
              title: 'Cluster health',
              status: 'warning',
              message: `The cluster is red (${h.unassigned_shards ?? '?'} unassigned shards): the snapshot would be partial.`,
              fix: 'GET _cluster/allocation/explain tells why shards are unassigned; fix that before the backup, or allow partial snapshots.',
            }
          : {
              id: 'es-health',
              title: 'Cluster health',
              status: 'ok',
              message: `The cluster is ${h.status} with ${h.number_of_nodes ?? '?'} node(s).`,
            },
      );
    } catch (err) {
      add(failed('es-health', 'Cluster health', err));
    }
    let pathOk = false;
    try {
      const repo = await checkPathRepo(api, ec, c.location);
      ec.pathRepo = repo;
      pathOk = true;
      add({
        id: 'es-path-repo',
        title: 'Repository folder allowed (path.repo)',
        status: 'ok',
        message: `${c.location} is inside path.repo (${repo.join(', ')}) on every node.`,
      });
    } catch (err) {
      add(failed('es-path-repo', 'Repository folder allowed (path.repo)', err));
    }
    const registered = await repositoryChecks(c, api, ec, pathOk, add);
    let need: number | undefined;
    try {
      const sel = selectIndices(await api.catIndices(), c.indices);
      need = sel.selected.reduce((a, i) => a + (i.primaryStoreBytes ?? 0), 0);
      if (sel.unmatched.length > 0)
        add({
          id: 'es-indices',
          title: 'Indices to back up',
          status: 'failed',
          message: `These index patterns match no index: ${sel.unmatched.join(', ')}.`,
          fix: 'Correct the patterns (GET _cat/indices lists the indices) or leave them empty for every non-system index.',
        });
      else if (sel.selected.length === 0)
        add({
          id: 'es-indices',
          title: 'Indices to back up',
          status: 'failed',
          message: 'No non-system index matches.',
          fix: 'Check the cluster and the index patterns.',
        });
      else
        add({
          id: 'es-indices',
          title: 'Indices to back up',
          status: 'ok',
          message: `${sel.selected.length} index(es) selected.`,
        });
    } catch (err) {
      add(failed('es-indices', 'Indices to back up', esError(err, ec)));
    }
    await copyFromChecks(c, { api, ec, registered, need }, add);
  } finally {
    http.close();
  }
  return out.map((x) => ({ ...x, component: 'elasticsearch' }));
}

/** copyFrom: readable here, with room, and (once the repository exists) the same repository as location. */
async function copyFromChecks(
  c: ElasticsearchConfig,
  o: {
    api: ReturnType<typeof openSession>['api'];
    ec: ReturnType<typeof openSession>['ec'];
    registered: boolean;
    need: number | undefined;
  },
  add: (c: Check) => void,
): Promise<void> {
  const { api, ec, registered, need } = o;
  if (c.copyFrom) {
    try {
      const f = await checkCopyFrom(c.copyFrom, c.location);
      const low = f.freeBytes !== undefined && need !== undefined && f.freeBytes < need;
      add({
        id: 'es-copy-from',
        title: 'Repository folder readable here (copyFrom)',
        status: low ? 'warning' : 'ok',
        message:
          `${c.copyFrom} is readable${f.freeBytes !== undefined ? `; ${formatBytes(f.freeBytes)} free there` : ''}` +
          (low
            ? `, less than the ${formatBytes(need ?? 0)} of the selected indices' primary shards: a first (full) snapshot may not fit.`
            : '.'),
        ...(low
          ? {
              fix: 'Free space in the repository folder (delete old snapshots through Elasticsearch, never by hand) or move it to a larger disk.',
            }
          : {}),
      });
    } catch (err) {
      const missing = ((err as ExpectedError).cause as { code?: string } | undefined)?.code === 'ENOENT';
      if (missing && !registered)
        add({
          id: 'es-copy-from',
          title: 'Repository folder readable here (copyFrom)',
          status: 'warning',
          message: `${c.copyFrom} does not exist yet; Elasticsearch creates the repository folder when the backup registers it.`,
          fix: `After the first backup, check that ${c.copyFrom} shows the files Elasticsearch wrote to ${c.location} (index.latest, index-N).`,
        });
      else add(failed('es-copy-from', 'Repository folder readable here (copyFrom)', err));
    }
    if (registered) {
      try {
        add(await sameRepositoryCheck(api, ec, { ...c, copyFrom: c.copyFrom }));
      } catch (err) {
        add(failed('es-same-repository', '"copyFrom" is the repository at "location"', err));
      }
    }
  } else {
    add({
      id: 'es-copy-from',
      title: 'Snapshot copied into the set',
      status: 'warning',
      message: 'No "copyFrom": the snapshot stays only inside the Elasticsearch repository.',
      fix: 'Set "copyFrom" to the repository folder as this machine sees it (a share or mount) so every set holds its Elasticsearch data.',
    });
  }
}

/** Returns whether the repository is registered. */
async function repositoryChecks(
  c: ElasticsearchConfig,
  api: ReturnType<typeof openSession>['api'],
  ec: ReturnType<typeof openSession>['ec'],
  pathOk: boolean,
  add: (c: Check) => void,
): Promise<boolean> {
  try {
    const state = await inspectRepository(api, ec, c.repository, c.location);
    if (!state.registered) {
      add({
        id: 'es-repository',
        title: 'Snapshot repository',
        status: pathOk ? 'ok' : 'failed',
        message: pathOk
          ? `"${c.repository}" is not registered yet; the backup registers it as an fs repository at ${c.location}.`
          : `"${c.repository}" is not registered and cannot be until ${c.location} is in path.repo.`,
        ...(pathOk ? {} : { fix: 'See the path.repo check above.' }),
      });
      return false;
    }
    add({
      id: 'es-repository',
      title: 'Snapshot repository',
      status: 'ok',
      message: `"${c.repository}" is an fs repository at ${c.location}.`,
    });
    const n = await verifyRepository(api, ec, c.repository);
    add({
      id: 'es-verify',
      title: 'Every node can write the repository',
      status: 'ok',
      message: `Verified on ${n} node(s).`,
    });
    return true;
  } catch (err) {
    add(failed('es-repository', 'Snapshot repository', err));
    return true;
  }
}

/** The UI's "Test" button: can we talk to Elasticsearch with these settings, and what is it? */
export async function testElasticsearchConnection(
  config: ElasticsearchConfig,
  secrets: RunSecrets,
  signal?: AbortSignal,
): Promise<ConnectionTest> {
  let session;
  try {
    session = openSession(config, secrets, undefined, signal ?? AbortSignal.timeout(30_000));
  } catch (err) {
    const e = err as ExpectedError;
    return { ok: false, message: e.message, ...(e.fix ? { fix: e.fix } : {}) };
  }
  const { http, api, ec } = session;
  try {
    const facts = await connect(api, ec);
    const h = await health(api, ec);
    return {
      ok: true,
      serverVersion: facts.version,
      message: `Elasticsearch ${facts.version}, cluster "${facts.clusterName ?? '?'}" is ${h.status} with ${h.number_of_nodes ?? '?'} node(s).${facts.versionNote ? ` ${facts.versionNote}` : ''}`,
    };
  } catch (err) {
    const e = esError(err, ec);
    return { ok: false, message: e.message, ...(e instanceof ExpectedError && e.fix ? { fix: e.fix } : {}) };
  } finally {
    http.close();
  }
}
