// Octane-like indices on a real test node, and their documents read back whole for comparison.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { EsTestNode } from '../../../../support/elasticsearch/node.js';

/** A single test node or a test cluster: what these helpers need of either. */
export type EsTarget = Pick<EsTestNode, 'api' | 'bulk'>;

export interface IndexSpec {
  name: string;
  docs: number;
  shards?: number;
  replicas?: number;
  /** Each document carries this many nested "comments" (hidden Lucene docs _cat/indices would count). */
  nested?: number;
}

export async function createIndex(node: EsTarget, s: IndexSpec): Promise<void> {
  const r = await node.api('PUT', `/${s.name}`, {
    settings: { number_of_shards: s.shards ?? 1, number_of_replicas: s.replicas ?? 0 },
    mappings: {
      properties: { n: { type: 'long' }, title: { type: 'keyword' }, comments: { type: 'nested' } },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (let start = 0; start < s.docs; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, s.docs - start) }, (_, i) => ({
      n: start + i,
      title: `${s.name} item ${start + i}`,
      body: randomBytes(48).toString('hex'),
      comments: Array.from({ length: s.nested ?? 0 }, (_, k) => ({ by: `user${k}`, text: `comment ${k}` })),
    }));
    await node.bulk(s.name, batch);
  }
}

/** Every document of an index as id → source, read with one search (test indices are small). */
export async function documents(node: EsTarget, index: string): Promise<Map<string, unknown>> {
  const r = await node.api<{ hits: { hits: { _id: string; _source: unknown }[]; total: { value: number } } }>(
    'POST',
    `/${index}/_search?size=10000&track_total_hits=true`,
    { sort: ['_doc'], query: { match_all: {} } },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.hits.hits.length).toBe(r.body.hits.total.value);
  return new Map(r.body.hits.hits.map((h) => [h._id, h._source]));
}

export function sameDocuments(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, src] of a) if (JSON.stringify(b.get(id)) !== JSON.stringify(src)) return false;
  return true;
}

/** Non-system index names and registered repositories: what a rehearsal must leave as it found. */
export async function clusterObjects(node: EsTarget): Promise<{ indices: string[]; repositories: string[] }> {
  const i = await node.api<{ index: string }[]>(
    'GET',
    '/_cat/indices?format=json&h=index&expand_wildcards=all',
  );
  const r = await node.api<Record<string, unknown>>('GET', '/_snapshot');
  return {
    indices: i.body
      .map((x) => x.index)
      .filter((n) => !n.startsWith('.'))
      .sort(),
    repositories: Object.keys(r.body).sort(),
  };
}
