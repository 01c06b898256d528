// The Elasticsearch calls a restore makes, on top of the backup's EsApi (same HTTP layer, same
// recording). Index lists travel as explicit, checked names only — never a pattern — and long
// lists are split so no request line grows past what a node accepts.
import type { EsApi, EsCatIndex, EsSnapshotInfo } from '../api.js';
import { chunksOf, indexPath } from '../doc-counts.js';
import { EsResponseError } from '../http.js';
import { pathSegment } from '../names.js';

export interface EsIndexDetails {
  shard_count?: number;
  size_in_bytes?: number;
}

export interface EsSnapshotWithDetails extends EsSnapshotInfo {
  /** 7.13 and later with ?index_details=true. */
  index_details?: Record<string, EsIndexDetails>;
}

export interface EsShardRecovery {
  id?: number;
  type?: string;
  stage?: string;
  primary?: boolean;
  index?: { size?: { total_in_bytes?: number; recovered_in_bytes?: number } };
}

export interface EsCatShard {
  index: string;
  shard?: string;
  prirep?: string;
  state?: string;
  'unassigned.reason'?: string | null;
}

export interface EsNodeFs {
  name?: string;
  roles?: string[];
  fs?: { total?: { available_in_bytes?: number } };
}

const repo = (n: string): string => pathSegment('repository', n);
const snap = (n: string): string => pathSegment('snapshot', n);

export class EsRestoreApi {
  constructor(
    readonly api: EsApi,
    private readonly signal?: AbortSignal,
  ) {}

  private sig(): { signal?: AbortSignal } {
    return this.signal ? { signal: this.signal } : {};
  }

  async snapshot(repository: string, snapshot: string): Promise<EsSnapshotWithDetails | undefined> {
    try {
      const r = await this.api.call<{ snapshots?: EsSnapshotWithDetails[] }>({
        method: 'GET',
        path: `/_snapshot/${repo(repository)}/${snap(snapshot)}`,
        query: { index_details: true },
        ...this.sig(),
      });
      return r.snapshots?.[0];
    } catch (err) {
      if (err instanceof EsResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  async registerReadOnly(name: string, location: string): Promise<void> {
    await this.api.call({
      method: 'PUT',
      path: `/_snapshot/${repo(name)}`,
      query: { verify: false },
      body: { type: 'fs', settings: { location, readonly: true } },
      timeoutMs: 120_000,
      ...this.sig(),
    });
  }

  /** Every node must read the repository: the per-node check of a read-only registration. */
  async verify(name: string): Promise<{ nodes?: Record<string, { name?: string }> }> {
    return this.api.call({
      method: 'POST',
      path: `/_snapshot/${repo(name)}/_verify`,
      timeoutMs: 120_000,
      ...this.sig(),
    });
  }

  async unregister(name: string, signal?: AbortSignal): Promise<void> {
    await this.api.call({
      method: 'DELETE',
      path: `/_snapshot/${repo(name)}`,
      ...(signal ? { signal } : this.sig()),
    });
  }

  async restore(repository: string, snapshot: string, body: Record<string, unknown>): Promise<void> {
    await this.api.call({
      method: 'POST',
      path: `/_snapshot/${repo(repository)}/${snap(snapshot)}/_restore`,
      query: { wait_for_completion: false },
      body,
      timeoutMs: 300_000,
      ...this.sig(),
    });
  }

  async close(names: string[]): Promise<void> {
    for (const c of chunksOf(names))
      await this.api.call({
        method: 'POST',
        path: `${indexPath(c)}/_close`,
        timeoutMs: 300_000,
        ...this.sig(),
      });
  }

  async open(names: string[], signal?: AbortSignal): Promise<void> {
    for (const c of chunksOf(names))
      await this.api.call({
        method: 'POST',
        path: `${indexPath(c)}/_open`,
        timeoutMs: 300_000,
        ...(signal ? { signal } : this.sig()),
      });
  }

  async delete(names: string[], signal?: AbortSignal): Promise<void> {
    for (const c of chunksOf(names))
      await this.api.call({
        method: 'DELETE',
        path: indexPath(c),
        query: { ignore_unavailable: true },
        timeoutMs: 300_000,
        ...(signal ? { signal } : this.sig()),
      });
  }

  /** Shard recoveries of the given indices (type SNAPSHOT while they restore). */
  async recovery(names: string[]): Promise<Record<string, { shards?: EsShardRecovery[] }>> {
    const out: Record<string, { shards?: EsShardRecovery[] }> = {};
    for (const c of chunksOf(names))
      Object.assign(
        out,
        await this.api.call<Record<string, { shards?: EsShardRecovery[] }>>({
          method: 'GET',
          path: `${indexPath(c)}/_recovery`,
          query: { ignore_unavailable: true },
          ...this.sig(),
        }),
      );
    return out;
  }

  async shards(names: string[]): Promise<EsCatShard[]> {
    const out: EsCatShard[] = [];
    for (const c of chunksOf(names))
      out.push(
        ...(await this.api.call<EsCatShard[]>({
          method: 'GET',
          path: `/_cat/shards${indexPath(c)}`,
          query: { format: 'json', h: 'index,shard,prirep,state,unassigned.reason' },
          ...this.sig(),
        })),
      );
    return out;
  }

  /** Every index, open or closed, hidden ones included (a restore must see what it may collide with). */
  async allIndices(): Promise<EsCatIndex[]> {
    return this.api.call<EsCatIndex[]>({
      method: 'GET',
      path: '/_cat/indices',
      query: {
        format: 'json',
        bytes: 'b',
        expand_wildcards: 'all',
        h: 'index,health,status,pri,rep,docs.count,store.size,pri.store.size',
      },
      ...this.sig(),
    });
  }

  /** Repositories registered now (to list before and after a rehearsal). */
  async repositories(): Promise<string[]> {
    return Object.keys(
      await this.api.call<Record<string, unknown>>({ method: 'GET', path: '/_snapshot', ...this.sig() }),
    );
  }

  async hasManage(): Promise<{ enabled: boolean; manage?: boolean; user?: string }> {
    try {
      const r = await this.api.call<{ username?: string; cluster?: Record<string, boolean> }>({
        method: 'POST',
        path: '/_security/user/_has_privileges',
        body: { cluster: ['manage'] },
        ...this.sig(),
      });
      return {
        enabled: true,
        manage: r.cluster?.manage === true,
        ...(r.username ? { user: r.username } : {}),
      };
    } catch (err) {
      // Security off: the endpoint says so (or is absent); then every request may do everything.
      if (
        err instanceof EsResponseError &&
        err.status !== 401 &&
        err.status !== 403 &&
        /security/i.test(`${err.type ?? ''} ${err.reason ?? ''}`)
      )
        return { enabled: false };
      if (
        err instanceof EsResponseError &&
        (err.status === 404 || err.status === 400) &&
        !/privilege/i.test(err.reason ?? '')
      )
        return { enabled: false };
      throw err;
    }
  }

  async nodesFs(): Promise<EsNodeFs[]> {
    const r = await this.api.call<{ nodes?: Record<string, EsNodeFs> }>({
      method: 'GET',
      path: '/_nodes/stats/fs',
      query: { filter_path: 'nodes.*.name,nodes.*.roles,nodes.*.fs.total.available_in_bytes' },
      ...this.sig(),
    });
    return Object.values(r.nodes ?? {});
  }
}
