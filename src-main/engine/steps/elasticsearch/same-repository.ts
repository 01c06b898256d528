// Preflight: is "copyFrom" the very repository Elasticsearch writes at "location"? The two paths
// name one folder from two machines, so their text cannot be compared; their contents can: the
// snapshots Elasticsearch lists for the repository must be the ones the folder's newest generation
// (index.latest → index-N) lists, UUID for UUID.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { ElasticsearchConfig } from '../../../contract/profile.js';
import type { EsApi } from './api.js';
import { listedSnapshots } from './copy-repository.js';
import { esError, type EsErrorContext } from './errors.js';

type Check = Omit<PreflightCheck, 'component'>;
const id = 'es-same-repository';
const title = '"copyFrom" is the repository at "location"';

export async function sameRepositoryCheck(
  api: EsApi,
  ec: EsErrorContext,
  c: ElasticsearchConfig & { copyFrom: string },
): Promise<Check> {
  const inEs = await api.listSnapshots(c.repository).catch((err: unknown) => {
    throw esError(err, ec);
  });
  const pointer = await readFile(join(c.copyFrom, 'index.latest')).catch(() => undefined);
  const fix = `Set "copyFrom" to the folder ${c.location} as this machine sees it (its share or mount), or correct "location": one of the two was changed without the other.`;
  if (!pointer || pointer.length !== 8) {
    if (inEs.length === 0)
      return {
        id,
        title,
        status: 'warning',
        message: `The repository holds no snapshot yet, so ${c.copyFrom} cannot be compared with it; the first backup checks that its copy lists the snapshot it took.`,
      };
    return {
      id,
      title,
      status: 'failed',
      message: `Elasticsearch lists ${inEs.length} snapshot(s) in "${c.repository}" (${c.location}), but ${c.copyFrom} holds no repository (no index.latest).`,
      fix,
    };
  }
  const listed = (await listedSnapshots(c.copyFrom, pointer.readBigUInt64BE(0).toString())) ?? [];
  const here = new Set(listed.map((s) => s.uuid ?? s.name));
  const missing = inEs.filter((s) => !here.has(s.uuid ?? s.snapshot));
  if (missing.length === 0)
    return {
      id,
      title,
      status: 'ok',
      message: `${c.copyFrom} lists the same ${inEs.length} snapshot(s) as "${c.repository}" in Elasticsearch.`,
    };
  // Snapshots taken between the two readings explain one or two; none in common explains nothing.
  const common = inEs.length - missing.length;
  return {
    id,
    title,
    status: common === 0 ? 'failed' : 'warning',
    message:
      common === 0
        ? `${c.copyFrom} is another repository: none of the ${inEs.length} snapshot(s) Elasticsearch lists in "${c.repository}" (${c.location}) is in it (it lists ${listed.length} other(s)).`
        : `${missing.length} of the ${inEs.length} snapshot(s) Elasticsearch lists are not (yet) in ${c.copyFrom}: ${missing
            .slice(0, 5)
            .map((s) => s.snapshot)
            .join(', ')}.`,
    fix,
  };
}
