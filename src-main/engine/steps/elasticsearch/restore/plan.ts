// The Elasticsearch restore as text: every copy and API call in the order the run makes them. The
// restore body is built here for the plan and the run alike.
import { formatBytes } from '../../../../contract/format.js';
import type { RestoreAction, RestorePlan } from '../../../../contract/restore.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { scratchPrefix } from './source.js';
import type { EsSurvey, IndexTarget } from './survey.js';

/** The indices that can be restored: a PARTIAL snapshot's failed indices are left out. */
export function restorable(s: EsSurvey): IndexTarget[] {
  return s.targets.filter((t) => !s.view.failedIndices.includes(t.index.name));
}

/** Where the snapshot is read from: the live repository, or the set's copy registered read-only. */
export function sourceRepository(s: EsSurvey): string {
  return s.live ? s.c.repository : (s.copy?.repository ?? '');
}

/**
 * include_global_state false: cluster settings, templates and other indices stay as they are.
 * A rehearsal renames every index (rehearsal-<set id>-<index>), drops replicas (one copy is enough
 * to count) and leaves aliases out (they would point live names at scratch indices).
 */
export function restoreBody(s: EsSurvey, scratch: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    indices: restorable(s)
      .map((t) => t.index.name)
      .join(','),
    ignore_unavailable: false,
    include_global_state: false,
    include_aliases: !scratch,
    partial: false,
  };
  if (scratch) {
    body.rename_pattern = '(.+)';
    body.rename_replacement = `${scratchPrefix(s.setId)}$1`;
    body.index_settings = { 'index.number_of_replicas': 0 };
  }
  return body;
}

const http = (title: string, text: string, changes: boolean): RestoreAction => ({
  kind: 'http',
  title,
  text,
  changes,
});

function copyActions(s: EsSurvey, setRoot: string): RestoreAction[] {
  if (s.live || !s.copy) return [];
  const r = s.copy.repository;
  return [
    {
      kind: 'copy',
      title: `Copy the set's repository folder (${s.view.files.length} files, ${formatBytes(s.view.copyBytes)}) under path.repo; each file's SHA-256 is checked on the way`,
      text: `copy "${setRoot}/elasticsearch/repository" "${s.copy.localDir}"   (Elasticsearch sees it as ${s.copy.location})`,
      changes: true,
    },
    http(
      `Register it read-only under the temporary name "${r}"`,
      `PUT /_snapshot/${r}?verify=false ${JSON.stringify({ type: 'fs', settings: { location: s.copy.location, readonly: true } })}`,
      true,
    ),
    http('Check that every node can read it', `POST /_snapshot/${r}/_verify`, false),
  ];
}

export function esPlan(s: EsSurvey, setRoot: string, target: RestoreTarget): RestorePlan {
  const scratch = target.kind === 'scratch';
  const repo = sourceRepository(s);
  const actions: RestoreAction[] = [
    ...copyActions(s, setRoot),
    http(
      `Read the snapshot ${s.view.snapshot} (its UUID must be the set's)`,
      `GET /_snapshot/${repo}/${s.view.snapshot}?index_details=true`,
      false,
    ),
  ];
  const t = restorable(s);
  const close = t.filter((x) => x.action === 'close').map((x) => x.target);
  const del = t.filter((x) => x.action === 'delete').map((x) => x.target);
  if (!scratch && close.length)
    actions.push(
      http(
        'Close the live indices the snapshot holds (they are overwritten)',
        `POST /${close.join(',')}/_close`,
        true,
      ),
    );
  if (!scratch && del.length)
    actions.push(
      http(
        "Delete the live indices whose shard count differs from the snapshot's",
        `DELETE /${del.join(',')}?ignore_unavailable=true`,
        true,
      ),
    );
  actions.push(
    http(
      scratch ? 'Restore every index under its rehearsal name, with no replica' : 'Restore the indices',
      `POST /_snapshot/${repo}/${s.view.snapshot}/_restore?wait_for_completion=false ${JSON.stringify(restoreBody(s, scratch))}`,
      true,
    ),
    {
      kind: 'check',
      title:
        'Follow GET /<indices>/_recovery until every shard is done and each index is green or yellow (red while shards recover is not a failure)',
      changes: false,
    },
    {
      kind: 'check',
      title:
        "Count each index's documents (GET /<index>/_count): the count must lie between those recorded just before and just after the snapshot",
      changes: false,
    },
  );
  if (scratch)
    actions.push(
      http(
        'Delete the rehearsal indices (also after a failure or cancel)',
        `DELETE /${t.map((x) => x.target).join(',')}?ignore_unavailable=true`,
        true,
      ),
    );
  if (!s.live && s.copy)
    actions.push(
      http(
        `Unregister the temporary repository "${s.copy.repository}"`,
        `DELETE /_snapshot/${s.copy.repository}`,
        true,
      ),
      {
        kind: 'remove',
        title: 'Remove the copied repository folder',
        text: `delete "${s.copy.localDir}"`,
        changes: true,
      },
    );
  const notes: string[] = [];
  if (s.unreachable)
    notes.push(
      `Elasticsearch could not be asked (${s.unreachable.message}); this plan is made from the set alone.`,
    );
  if (!s.live && s.liveProblem) notes.push(`Not from the live repository: ${s.liveProblem}.`);
  if (scratch)
    notes.push(
      `Rehearsal: the indices are restored as ${scratchPrefix(s.setId)}<index>, counted and deleted; no live index is touched.`,
    );
  else
    notes.push(
      `Everything written to ${t.map((x) => x.target).join(', ')} after set ${s.view.setName} was taken is lost. Only these indices are closed, deleted or restored; every other index stays as it is. Octane must be stopped: a running Octane recreates an index between its deletion and the restore.`,
    );
  if (s.view.failedIndices.length)
    notes.push(`Not restored (they failed in the PARTIAL snapshot): ${s.view.failedIndices.join(', ')}.`);
  return {
    component: 'elasticsearch',
    target: target.kind,
    summary: `${scratch ? 'Rehearse the restore of' : 'Restore'} ${t.length} Elasticsearch index(es) of set ${s.view.setName} from ${s.live ? `the live repository "${s.c.repository}"` : "the set's copy of the repository"}.`,
    actions,
    notes,
  };
}
