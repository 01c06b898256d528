// Which indices a backup takes. Octane's index names are not documented and differ per site,
// so nothing here knows a prefix: the default is every index that is not a system index
// (dot-prefixed or hidden — the listing already leaves hidden ones out), and the admin may
// narrow it with patterns ("*" wildcards, "-pattern" to exclude, as in Elasticsearch).
import type { EsCatIndex } from './api.js';

export interface IndexRecord {
  name: string;
  health?: string;
  /** "open" or "close". */
  status?: string;
  /** Documents (primaries, as _cat/indices counts them); absent when unknown (closed or red index). */
  docs?: number;
  storeBytes?: number;
  primaryStoreBytes?: number;
  primaries?: number;
  replicas?: number;
}

export interface IndexSelection {
  selected: IndexRecord[];
  /** Include patterns that matched no index. */
  unmatched: string[];
  /** Patterns naming system indices, which are never taken. */
  systemPatterns: string[];
}

export function isSystemIndex(name: string): boolean {
  return name.startsWith('.');
}

function num(v: string | null | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function toIndexRecord(c: EsCatIndex): IndexRecord {
  const r: IndexRecord = { name: c.index };
  if (c.health) r.health = c.health;
  if (c.status) r.status = c.status;
  const docs = num(c['docs.count']);
  if (docs !== undefined) r.docs = docs;
  const store = num(c['store.size']);
  if (store !== undefined) r.storeBytes = store;
  const pstore = num(c['pri.store.size']);
  if (pstore !== undefined) r.primaryStoreBytes = pstore;
  const pri = num(c.pri);
  if (pri !== undefined) r.primaries = pri;
  const rep = num(c.rep);
  if (rep !== undefined) r.replicas = rep;
  return r;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Splits "a,b" entries and trims; empty entries are dropped. */
export function normalizePatterns(patterns: string[] | undefined): string[] {
  return (patterns ?? [])
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function selectIndices(all: EsCatIndex[], patterns: string[] | undefined): IndexSelection {
  const candidates = all.filter((c) => !isSystemIndex(c.index)).map(toIndexRecord);
  const list = normalizePatterns(patterns);
  const includes = list.filter((p) => !p.startsWith('-'));
  const excludes = list.filter((p) => p.startsWith('-')).map((p) => globToRegExp(p.slice(1)));
  const systemPatterns = includes.filter((p) => isSystemIndex(p));
  const unmatched: string[] = [];
  let chosen: IndexRecord[];
  if (includes.length === 0) chosen = candidates;
  else {
    const picked = new Set<string>();
    for (const p of includes) {
      if (isSystemIndex(p)) continue;
      const re = globToRegExp(p);
      const hits = candidates.filter((c) => re.test(c.name));
      if (hits.length === 0) unmatched.push(p);
      for (const h of hits) picked.add(h.name);
    }
    chosen = candidates.filter((c) => picked.has(c.name));
  }
  const selected = chosen
    .filter((c) => !excludes.some((re) => re.test(c.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { selected, unmatched, systemPatterns };
}
