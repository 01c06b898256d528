// The checks shared by preflight and the run: each returns what it found or throws a ExpectedError
// with plain words and the fix. Preflight turns them into PreflightChecks; the run stops at the
// first one that throws.
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import type { ElasticsearchConfig } from '../../../contract/profile.js';
import { ExpectedError } from '../../errors.js';
import type { EsApi, EsHealth, EsRepository } from './api.js';
import { esError, locationNotInPathRepo, type EsErrorContext } from './errors.js';
import { isUnderPathRepo, pathRepoList, samePath } from './paths.js';

const step = 'elasticsearch' as const;

export interface ServerFacts {
  version: string;
  major: number;
  clusterName?: string;
  clusterUuid?: string;
  nodeName?: string;
  /** Set when the version is outside what this tool was verified against. */
  versionNote?: string;
}

export async function connect(api: EsApi, ec: EsErrorContext): Promise<ServerFacts> {
  const info = await api.info().catch((err: unknown) => {
    throw esError(err, ec);
  });
  const version = info.version?.number;
  if (info.version?.distribution === 'opensearch')
    throw new ExpectedError(
      'ES_NOT_ELASTICSEARCH',
      `${ec.node} is OpenSearch ${version ?? ''}, not Elasticsearch.`,
      {
        step,
        fix: 'Octane runs on Elasticsearch 7.x or 8.x: point the profile at the Elasticsearch node Octane uses.',
      },
    );
  if (!version)
    throw new ExpectedError(
      'ES_NOT_ELASTICSEARCH',
      `${ec.node} answered, but not like Elasticsearch (no version in GET /).`,
      {
        step,
        fix: 'Check the node address: it must be the Elasticsearch HTTP port (default 9200), not Kibana or a proxy page.',
      },
    );
  const major = Number(version.split('.')[0]);
  if (!Number.isFinite(major) || major < 7)
    throw new ExpectedError(
      'ES_VERSION_UNSUPPORTED',
      `Elasticsearch ${version} is older than the versions Octane uses (7.x, 8.x).`,
      {
        step,
        fix: 'Upgrade Elasticsearch to the version your Octane release requires, or point the profile at the right cluster.',
      },
    );
  const facts: ServerFacts = { version, major };
  if (info.cluster_name) facts.clusterName = info.cluster_name;
  if (info.cluster_uuid) facts.clusterUuid = info.cluster_uuid;
  if (info.name) facts.nodeName = info.name;
  if (major > 8)
    facts.versionNote = `Elasticsearch ${version} is newer than the versions this tool was verified against (7.17, 8.19).`;
  return facts;
}

export async function health(api: EsApi, ec: EsErrorContext): Promise<EsHealth> {
  return api.health().catch((err: unknown) => {
    throw esError(err, ec);
  });
}

/** path.repo of every master/data node; throws with the yml line when the location is outside it on any node. */
export async function checkPathRepo(api: EsApi, ec: EsErrorContext, location: string): Promise<string[]> {
  const res = await api.nodesSettings().catch((err: unknown) => {
    throw esError(err, ec);
  });
  const nodes = Object.values(res.nodes ?? {});
  // Coordinating-only nodes never touch the repository; masters and data nodes do.
  const relevant = nodes.filter(
    (n) => !n.roles || n.roles.length === 0 || n.roles.some((r) => r === 'master' || r.startsWith('data')),
  );
  let first: string[] | undefined;
  const missing: { name: string; pathRepo: string[] }[] = [];
  for (const n of relevant) {
    const repo = pathRepoList(n.settings?.path?.repo);
    first ??= repo;
    if (!isUnderPathRepo(location, repo)) missing.push({ name: n.name ?? '?', pathRepo: repo });
  }
  if (missing.length > 0) {
    const m = missing[0] as { name: string; pathRepo: string[] };
    const err = locationNotInPathRepo({ ...ec, location, pathRepo: m.pathRepo });
    if (relevant.length === 1) throw err;
    const names = missing.map((x) => x.name);
    throw new ExpectedError(err.code, `${err.message} Nodes concerned: ${names.join(', ')}.`, {
      step,
      fix: err.fix ?? '',
      details: { ...err.details, nodes: names },
    });
  }
  return first ?? [];
}

export type RepositoryState = { registered: true; repository: EsRepository } | { registered: false };

/** Looks the repository up; when it exists it must be an `fs` repository at `location`. */
export async function inspectRepository(
  api: EsApi,
  ec: EsErrorContext,
  name: string,
  location: string,
): Promise<RepositoryState> {
  const repo = await api.getRepository(name).catch((err: unknown) => {
    throw esError(err, ec);
  });
  if (!repo) return { registered: false };
  if (repo.type !== 'fs')
    throw new ExpectedError(
      'ES_REPOSITORY_WRONG_TYPE',
      `The snapshot repository "${name}" is of type "${repo.type}", not a shared file system ("fs") repository.`,
      {
        step,
        fix: 'Choose another repository name in the profile (the backup registers it as "fs" by itself), or delete that repository registration if it is unused.',
      },
    );
  const loc = typeof repo.settings?.location === 'string' ? repo.settings.location : '';
  if (!samePath(loc, location))
    throw new ExpectedError(
      'ES_REPOSITORY_OTHER_LOCATION',
      `The snapshot repository "${name}" writes to ${loc}, but the profile says ${location}.`,
      {
        step,
        details: { registered: loc, profile: location },
        fix: `Set "location" in the profile to ${loc} (and "copyFrom" to the same folder as this machine sees it), or use another repository name.`,
      },
    );
  if (repo.settings?.readonly === true || repo.settings?.readonly === 'true')
    throw new ExpectedError(
      'ES_REPOSITORY_READONLY',
      `The snapshot repository "${name}" is registered read-only.`,
      {
        step,
        fix: 'Use another repository name for backups (read-only registrations are for restoring), or re-register it without readonly.',
      },
    );
  return { registered: true, repository: repo };
}

export async function registerRepository(
  api: EsApi,
  ec: EsErrorContext,
  name: string,
  location: string,
): Promise<void> {
  await api.putRepository(name, { type: 'fs', settings: { location } }).catch((err: unknown) => {
    throw esError(err, ec);
  });
}

/** Every node writes and reads a test file in the repository. Returns the node count. */
export async function verifyRepository(api: EsApi, ec: EsErrorContext, name: string): Promise<number> {
  const r = await api.verifyRepository(name).catch((err: unknown) => {
    throw esError(err, ec);
  });
  return Object.keys(r.nodes ?? {}).length;
}

export interface CopyFromFacts {
  freeBytes?: number;
}

/** The repository folder as this machine sees it must be a readable folder. */
export async function checkCopyFrom(copyFrom: string, location: string): Promise<CopyFromFacts> {
  try {
    const s = await stat(copyFrom);
    if (!s.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await access(copyFrom, constants.R_OK | constants.X_OK);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    throw new ExpectedError(
      'ES_COPY_FROM_UNREADABLE',
      `The repository folder "copyFrom" (${copyFrom}) cannot be read from this machine (${code}).`,
      {
        step,
        cause: err,
        fix:
          `"copyFrom" must be the Elasticsearch repository folder ${location} as this machine sees it (a mounted share or UNC path such as \\\\es-host\\octane-snapshots), ` +
          'readable by the account that runs the backup. Mount or share it, or leave "copyFrom" empty to keep the snapshot only inside Elasticsearch.',
      },
    );
  }
  try {
    const fs = await statfs(copyFrom);
    return { freeBytes: Number(fs.bavail) * Number(fs.bsize) };
  } catch {
    return {};
  }
}

export function describeConfigNodes(c: ElasticsearchConfig): string {
  return (c.nodes && c.nodes.length > 0 ? c.nodes : [c.node ?? '']).join(', ');
}
