// Preconditions of an Elasticsearch restore, each with a plain fix: the version can read the
// snapshot, the `manage` privilege, where the snapshot comes from (live repository or the set's
// copy, and path.repo on every node for the copy), scratch names that must be free, free disk.
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatBytes } from '../../../../contract/format.js';
import type { PreflightCheck } from '../../../../contract/preflight.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { canRead } from './source.js';
import type { EsSurvey } from './survey.js';

type Check = Omit<PreflightCheck, 'component'>;

function version(s: EsSurvey): Check {
  const base = { id: 'es.restore.version', title: 'Elasticsearch version' };
  const cluster = s.facts?.version ?? '?';
  const from = s.live?.version ?? s.view.version;
  if (!from)
    return {
      ...base,
      status: 'warning',
      message: `The set does not say which Elasticsearch version wrote the snapshot; the cluster runs ${cluster}.`,
    };
  const r = canRead(cluster, from);
  return r.ok
    ? {
        ...base,
        status: 'ok',
        message: `The snapshot was written by Elasticsearch ${from}; the cluster runs ${cluster}, which can read it.`,
      }
    : {
        ...base,
        status: 'failed',
        message: `${r.why ?? ''}.`,
        fix: `Restore into a cluster of Elasticsearch ${from} or a newer release of the same or the next major version.`,
      };
}

function rights(s: EsSurvey): Check {
  const base = { id: 'es.restore.rights', title: 'Right to restore snapshots (manage)' };
  if (!s.security?.enabled)
    return { ...base, status: 'ok', message: 'Security is off on this cluster: every request may restore.' };
  if (s.security.manage)
    return {
      ...base,
      status: 'ok',
      message: `${s.security.user ?? 'The account'} has the cluster privilege "manage".`,
    };
  return {
    ...base,
    status: 'failed',
    message: `${s.security.user ?? 'The account'} lacks the cluster privilege "manage", which registering a repository and restoring a snapshot need.`,
    fix: 'Give the account a role with the cluster privilege "manage" and the index privileges "all" on the indices to restore (or use a superuser for the restore).',
  };
}

async function source(s: EsSurvey): Promise<Check[]> {
  const base = { id: 'es.restore.source', title: 'Where the snapshot comes from' };
  if (s.live)
    return [
      {
        ...base,
        status: 'ok',
        message: `Snapshot ${s.view.snapshot} is still in the live repository "${s.c.repository}" with the set's UUID: it is restored from there.`,
      },
    ];
  const why = s.liveProblem ? `${s.liveProblem[0]?.toUpperCase() ?? ''}${s.liveProblem.slice(1)}.` : '';
  if (!s.copy)
    return [
      {
        ...base,
        status: 'failed',
        message: `${why} ${s.copyProblem?.message ?? ''}`.trim(),
        ...(s.copyProblem?.fix ? { fix: s.copyProblem.fix } : {}),
      },
    ];
  const out: Check[] = [
    {
      ...base,
      status: 'ok',
      message: `${why} The set's copy of the repository folder (${s.view.files.length} files, ${formatBytes(s.view.copyBytes)}) is copied to ${s.copy.localDir} (${s.copy.location} for Elasticsearch) and registered read-only as "${s.copy.repository}".`,
    },
  ];
  const pr = { id: 'es.restore.path-repo', title: 'The copy is readable by every node (path.repo)' };
  out.push(
    s.pathRepoProblem
      ? {
          ...pr,
          status: 'failed',
          message: s.pathRepoProblem.message,
          ...(s.pathRepoProblem.fix ? { fix: s.pathRepoProblem.fix } : {}),
        }
      : {
          ...pr,
          status: 'ok',
          message: `${s.copy.location} is under path.repo on every master and data node.`,
        },
  );
  if (s.repositories.includes(s.copy.repository))
    out.push({
      id: 'es.restore.temp-repository',
      title: 'Temporary repository name',
      status: 'failed',
      message: `A repository named "${s.copy.repository}" is already registered; a restore never touches a registration it did not make.`,
      fix: 'If it is a leftover of an interrupted restore, run the rehearsal cleanup; otherwise remove it (DELETE _snapshot/<name>) if you know it is unused.',
    });
  out.push(await folder(s));
  return out;
}

async function folder(s: EsSurvey): Promise<Check> {
  const base = { id: 'es.restore.copy-folder', title: "Folder for the copy (this machine's view)" };
  const dir = s.copy?.localDir ?? '';
  const parent = dirname(dir);
  const exists = await access(dir).then(
    () => true,
    () => false,
  );
  if (exists)
    return {
      ...base,
      status: 'failed',
      message: `${dir} already exists; the copy needs a folder of its own.`,
      fix: 'Remove it if it is a leftover of an interrupted restore (the rehearsal cleanup does), or choose another restoreCopyFrom.',
    };
  // Nothing is created here: the nearest folder that exists must let the copy be made below it.
  let near = parent;
  while (
    !(await access(near).then(
      () => true,
      () => false,
    )) &&
    dirname(near) !== near
  )
    near = dirname(near);
  try {
    await access(near, constants.W_OK);
  } catch {
    return {
      ...base,
      status: 'failed',
      message: `${parent} cannot be written from this machine.`,
      fix: 'Make the folder (the repository share as this machine sees it) writable for the account that runs the restore.',
    };
  }
  const free = await statfs(near).then(
    (x) => Number(x.bavail) * Number(x.bsize),
    () => undefined,
  );
  if (free !== undefined && free < s.view.copyBytes)
    return {
      ...base,
      status: 'failed',
      message: `The copy needs ${formatBytes(s.view.copyBytes)}; ${parent} has ${formatBytes(free)} free.`,
      fix: `Free space where ${parent} lives, or choose another restoreCopyFrom.`,
    };
  return {
    ...base,
    status: 'ok',
    message: `${dir} can be created${free !== undefined ? `; ${formatBytes(free)} free` : ''}.`,
  };
}

function targets(s: EsSurvey, target: RestoreTarget): Check[] {
  const out: Check[] = [];
  const id = 'es.restore.indices';
  if (target.kind === 'scratch') {
    const taken = s.targets.filter((t) => t.existing).map((t) => t.target);
    const tooLong = s.targets.filter((t) => Buffer.byteLength(t.target) > 255).map((t) => t.index.name);
    if (taken.length > 0)
      out.push({
        id,
        title: 'Rehearsal indices',
        status: 'failed',
        message: `Indices named ${taken.join(', ')} already exist; a rehearsal never touches an index it did not create.`,
        fix: 'If they are leftovers of an interrupted rehearsal, run the rehearsal cleanup; otherwise delete them by hand if you know them.',
      });
    else if (tooLong.length > 0)
      out.push({
        id,
        title: 'Rehearsal indices',
        status: 'failed',
        message: `The rehearsal names of ${tooLong.join(', ')} would be longer than 255 bytes.`,
        fix: 'Rehearse the other indices (leave these out).',
      });
    else
      out.push({
        id,
        title: 'Rehearsal indices',
        status: 'ok',
        message: `${s.targets.length} index(es) restored as ${s.targets[0]?.target ?? ''}... with no replica, then deleted.`,
      });
  } else {
    const close = s.targets.filter((t) => t.action === 'close').map((t) => t.target);
    const del = s.targets.filter((t) => t.action === 'delete').map((t) => t.target);
    const create = s.targets.filter((t) => t.action === 'create').map((t) => t.target);
    out.push({
      id,
      title: 'Indices to replace',
      status: 'ok',
      message:
        [
          close.length ? `closed and overwritten: ${close.join(', ')}` : '',
          del.length ? `deleted (their shard count differs from the snapshot's): ${del.join(', ')}` : '',
          create.length ? `created: ${create.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') + '. No other index is touched.',
    });
  }
  if (s.view.failedIndices.length > 0)
    out.push({
      id: 'es.restore.partial',
      title: 'Partial snapshot',
      status: 'warning',
      message: `The snapshot is PARTIAL: ${s.view.failedIndices.join(', ')} failed at backup time and are not restored.`,
      fix: 'Restore them from another set.',
    });
  return out;
}

function space(s: EsSurvey, target: RestoreTarget): Check {
  const base = { id: 'es.restore.space', title: 'Free disk on the data nodes' };
  const primaries = s.view.indices.reduce((a, i) => a + (i.primaryStoreBytes ?? 0), 0);
  const need =
    target.kind === 'scratch'
      ? primaries
      : s.view.indices.reduce((a, i) => a + (i.storeBytes ?? i.primaryStoreBytes ?? 0), 0);
  if (s.freeBytes === undefined)
    return {
      ...base,
      status: 'warning',
      message: 'The free disk of the data nodes cannot be read (GET _nodes/stats/fs).',
    };
  if (s.freeBytes < need)
    return {
      ...base,
      status: 'failed',
      message: `The restored indices need about ${formatBytes(need)}; the data nodes have ${formatBytes(s.freeBytes)} free.`,
      fix: 'Free disk on the data nodes (or add nodes) before restoring.',
    };
  return {
    ...base,
    status: 'ok',
    message: `About ${formatBytes(need)} needed; ${formatBytes(s.freeBytes)} free on the data nodes.`,
  };
}

export async function esChecks(s: EsSurvey, target: RestoreTarget): Promise<PreflightCheck[]> {
  const out: Check[] = [];
  const conn = { id: 'es.restore.connection', title: 'Elasticsearch reachable' };
  if (s.unreachable || !s.facts) {
    out.push({
      ...conn,
      status: 'failed',
      message: s.unreachable?.message ?? 'Not connected.',
      ...(s.unreachable?.fix ? { fix: s.unreachable.fix } : {}),
    });
    return out.map((c) => ({ ...c, component: 'elasticsearch' }));
  }
  out.push({
    ...conn,
    status: 'ok',
    message: `Elasticsearch ${s.facts.version}, cluster "${s.facts.clusterName ?? '?'}".`,
  });
  out.push(version(s), rights(s), ...(await source(s)), ...targets(s, target), space(s, target));
  return out.map((c) => ({ ...c, component: 'elasticsearch' }));
}
