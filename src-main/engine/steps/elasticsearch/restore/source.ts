// What a set holds for Elasticsearch, read from its manifest (untrusted input: every name is
// checked against Elasticsearch's rules, every file path against the set folder).
import type { ArtifactRecord } from '../../../../contract/manifest.js';
import { ExpectedError } from '../../../errors.js';
import {
  componentOf,
  count,
  detailArray,
  detailObject,
  text,
  type RestoreSetView,
} from '../../restore/primitive.js';
import { artifactsOf } from '../../restore/set-files.js';
import { REPOSITORY_DIR } from '../copy-repository.js';
import { isSystemIndex } from '../indices.js';
import { assertEsName } from '../names.js';

export interface SetIndex {
  name: string;
  primaries?: number;
  primaryStoreBytes?: number;
  storeBytes?: number;
  /** Top-level documents just before and just after the snapshot (sets taken from this version on). */
  before?: number;
  after?: number;
}

export interface EsSetView {
  setName: string;
  snapshot: string;
  uuid?: string;
  /** Elasticsearch version that wrote the snapshot (or, for older sets, the cluster's version). */
  version?: string;
  /** The live repository the backup wrote to. */
  repository: string;
  indices: SetIndex[];
  /** Indices whose shards failed in a PARTIAL snapshot: not restorable as a whole. */
  failedIndices: string[];
  /** The copy of the repository folder in the set (empty when the backup had no copyFrom). */
  files: ArtifactRecord[];
  copyBytes: number;
}

const SOURCE = "the set's manifest";

export function readEsSet(set: RestoreSetView, only?: string[]): EsSetView {
  const c = componentOf(set, 'elasticsearch');
  const snap = detailObject(c, 'snapshot') ?? {};
  const repo = detailObject(c, 'repository') ?? {};
  const cluster = detailObject(c, 'cluster') ?? {};
  const counts = (detailObject(c, 'docCounts')?.indices ?? {}) as Record<
    string,
    { before?: unknown; after?: unknown }
  >;
  const snapshot = assertEsName('snapshot', text(snap.name), SOURCE);
  const repository = assertEsName('repository', text(repo.name), SOURCE);
  const inSnapshot = (Array.isArray(snap.indices) ? snap.indices : []).map((n) =>
    assertEsName('index', n, SOURCE),
  );
  const failed = new Set(
    (Array.isArray(snap.failures) ? (snap.failures as Record<string, unknown>[]) : [])
      .map((f) => text(f?.index))
      .filter((n): n is string => n !== undefined),
  );
  const recorded = new Map(
    detailArray(c, 'indices').map((r) => [
      text((r as Record<string, unknown>)?.name) ?? '',
      r as Record<string, unknown>,
    ]),
  );
  let names = inSnapshot.filter((n) => !isSystemIndex(n)).sort();
  if (only && only.length > 0) {
    const missing = only.filter((o) => !names.includes(o));
    if (missing.length > 0)
      throw new ExpectedError(
        'RESTORE_INDEX_NOT_IN_SET',
        `The snapshot of this set holds no index ${missing.join(', ')}.`,
        {
          step: 'elasticsearch',
          fix: `Choose among the snapshot's indices: ${names.join(', ')}.`,
        },
      );
    names = names.filter((n) => only.includes(n));
  }
  if (names.length === 0)
    throw new ExpectedError(
      'RESTORE_SET_MANIFEST_INVALID',
      "The set's Elasticsearch record names no index to restore.",
      {
        step: 'elasticsearch',
        fix: 'The manifest was edited or damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
  const indices = names.map((name) => {
    const r = recorded.get(name) ?? {};
    const i: SetIndex = { name };
    const set = (k: keyof SetIndex, v: number | undefined): void =>
      void (v !== undefined && Object.assign(i, { [k]: v }));
    set('primaries', count(r.primaries));
    set('primaryStoreBytes', count(r.primaryStoreBytes));
    set('storeBytes', count(r.storeBytes));
    set('before', count(counts[name]?.before));
    set('after', count(counts[name]?.after));
    return i;
  });
  const files = artifactsOf(c).filter((a) => a.path.startsWith(`elasticsearch/${REPOSITORY_DIR}/`));
  const view: EsSetView = {
    setName: set.manifest.setName,
    snapshot,
    repository,
    indices,
    failedIndices: [...failed].filter((n) => names.includes(n)),
    files,
    copyBytes: files.reduce((a, f) => a + f.bytes, 0),
  };
  const uuid = text(snap.uuid);
  if (uuid) view.uuid = uuid;
  const version = text(snap.version) ?? text(cluster.version);
  if (version) view.version = version;
  return view;
}

/** "8.19.8" → [8, 19, 8] */
export function esVersion(v: string | undefined): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * Whether a cluster of version `cluster` can restore a snapshot written by `snapshot`: never into an
 * older version, and across at most one major (8.x reads 7.x indices, 9.x only 8.x).
 */
export function canRead(cluster: string, snapshot: string): { ok: boolean; why?: string } {
  const c = esVersion(cluster);
  const s = esVersion(snapshot);
  if (!c || !s) return { ok: true };
  const older = c[0] < s[0] || (c[0] === s[0] && (c[1] < s[1] || (c[1] === s[1] && c[2] < s[2])));
  if (older)
    return {
      ok: false,
      why: `a snapshot of Elasticsearch ${snapshot} cannot be restored into an older version (${cluster})`,
    };
  if (c[0] - s[0] > 1)
    return {
      ok: false,
      why: `Elasticsearch ${cluster} reads indices of ${c[0] - 1}.x and ${c[0]}.x only; this snapshot is of ${snapshot}`,
    };
  return { ok: true };
}

/** rehearsal-<set id>-<index> (what rename_replacement "rehearsal-<set id>-$1" makes of it). */
export function scratchIndexName(index: string, setId: string): string {
  return `${scratchPrefix(setId)}${index}`;
}

export const scratchPrefix = (setId: string): string => `rehearsal-${setId.toLowerCase()}-`;

export const scratchRepositoryName = (setId: string): string => `octane-restore-${setId.toLowerCase()}`;
