// Document counts per index, the same way at backup and at restore: GET /<index>/_count, which
// counts top-level documents (not the hidden nested ones _cat/indices includes), after a refresh
// so that every document indexed before the count is visible. At backup time the count is taken
// just before and just after the snapshot; what the snapshot holds lies between the two when
// documents are only added, so a restored index must count within that bracket.
import type { EsApi } from './api.js';
import { pathSegment } from './names.js';

/** A URL path carries a comma-separated list of indices; keep each list well under the 4 KiB line. */
const MAX_PATH = 3000;

export function chunksOf(names: string[], max = MAX_PATH): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let len = 0;
  for (const n of names) {
    const l = encodeURIComponent(n).length + 1;
    if (cur.length > 0 && len + l > max) {
      out.push(cur);
      cur = [];
      len = 0;
    }
    cur.push(n);
    len += l;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** "/a,b,c": every name checked against Elasticsearch's rules before it is part of a path. */
export function indexPath(names: string[]): string {
  return `/${names.map((n) => pathSegment('index', n)).join(',')}`;
}

export async function refresh(api: EsApi, names: string[], signal?: AbortSignal): Promise<void> {
  for (const chunk of chunksOf(names))
    await api.call({
      method: 'POST',
      path: `${indexPath(chunk)}/_refresh`,
      query: { ignore_unavailable: true, allow_no_indices: true },
      timeoutMs: 120_000,
      ...(signal ? { signal } : {}),
    });
}

/**
 * The indices whose primaries are all active now. A red index is left out of refreshes and counts:
 * a refresh waits (a minute by default) for an unassigned primary, and its count would be wrong.
 */
export async function notRed(api: EsApi, names: string[], signal?: AbortSignal): Promise<string[]> {
  const ok = new Set<string>();
  for (const chunk of chunksOf(names)) {
    const r = await api.http.request<{ index: string; health?: string; status?: string }[]>({
      method: 'GET',
      path: `/_cat/indices${indexPath(chunk)}`,
      query: {
        format: 'json',
        h: 'index,health,status',
        expand_wildcards: 'open,closed',
        ignore_unavailable: true,
      },
      ...(signal ? { signal } : {}),
    });
    for (const i of r.body) if (i.health !== 'red' && i.status !== 'close') ok.add(i.index);
  }
  return names.filter((n) => ok.has(n));
}

/**
 * Top-level document count of each index; an index that is red, closed or gone is left out (never
 * counted as 0). A few requests run at once: enough for hundreds of indices, gentle on the cluster.
 */
export async function countDocuments(
  api: EsApi,
  all: string[],
  o: { refresh: boolean; signal?: AbortSignal; record?: (statement: string) => void } = { refresh: false },
): Promise<Record<string, number>> {
  const names = await notRed(api, all, o.signal);
  if (o.refresh) await refresh(api, names, o.signal);
  o.record?.(`GET /<index>/_count for each of ${names.length} index(es)`);
  const out: Record<string, number> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < names.length; i = next++) {
      const name = names[i] as string;
      try {
        // Straight to the HTTP layer: one line in the manifest for all of them, not one per index.
        const r = await api.http.request<{ count?: number }>({
          method: 'GET',
          path: `${indexPath([name])}/_count`,
          ...(o.signal ? { signal: o.signal } : {}),
        });
        if (typeof r.body.count === 'number') out[name] = r.body.count;
      } catch (err) {
        if (o.signal?.aborted) throw err;
        // Closed (400 index_closed_exception) or deleted (404): no count rather than a wrong one.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, names.length) }, worker));
  return Object.fromEntries(names.filter((n) => n in out).map((n) => [n, out[n] as number]));
}

export interface DocCountRecord {
  /** How the counts were taken, for whoever reads the manifest. */
  method: string;
  indices: Record<string, { before?: number; after?: number }>;
}

export const DOC_COUNT_METHOD =
  'GET /<index>/_count (top-level documents) just before the snapshot and, after a refresh, just after it';
