// The Elasticsearch calls the step makes, typed to the fields it reads. The wire format of
// these endpoints is the same in 7.17 and 8.x. Every call is reported to `record` once per
// method and path (polling is not repeated), bodies shortened; credentials never appear
// because they travel only in headers.
import type { EsHttp, EsRequest } from './http.js';
import { EsResponseError } from './http.js';
import { pathSegment } from './names.js';

export interface EsInfo {
  name?: string;
  cluster_name?: string;
  cluster_uuid?: string;
  version?: { number?: string; distribution?: string; build_flavor?: string };
  tagline?: string;
}

export interface EsHealth {
  cluster_name?: string;
  status: 'green' | 'yellow' | 'red';
  number_of_nodes?: number;
  unassigned_shards?: number;
}

export interface EsNodesSettings {
  nodes?: Record<string, { name?: string; roles?: string[]; settings?: { path?: { repo?: unknown } } }>;
}

export interface EsRepository {
  type: string;
  settings?: Record<string, unknown> & { location?: string; readonly?: unknown };
}

export interface EsCatIndex {
  index: string;
  health?: string | null;
  status?: string | null;
  pri?: string | null;
  rep?: string | null;
  'docs.count'?: string | null;
  'store.size'?: string | null;
  'pri.store.size'?: string | null;
}

export interface EsStats {
  file_count?: number;
  size_in_bytes?: number;
}

export interface EsShardsStats {
  initializing?: number;
  started?: number;
  finalizing?: number;
  done?: number;
  failed?: number;
  total?: number;
}

export interface EsSnapshotStatus {
  snapshot: string;
  repository?: string;
  uuid?: string;
  state: string;
  shards_stats?: EsShardsStats;
  stats?: {
    incremental?: EsStats;
    processed?: EsStats;
    total?: EsStats;
    start_time_in_millis?: number;
    time_in_millis?: number;
  };
}

export interface EsSnapshotFailure {
  index?: string;
  shard_id?: number;
  reason?: string;
  node_id?: string;
  status?: string;
}

export interface EsSnapshotInfo {
  snapshot: string;
  uuid?: string;
  repository?: string;
  version?: string;
  indices?: string[];
  state?: string;
  reason?: string;
  metadata?: Record<string, unknown> | null;
  start_time?: string;
  start_time_in_millis?: number;
  end_time?: string;
  end_time_in_millis?: number;
  duration_in_millis?: number;
  failures?: EsSnapshotFailure[];
  shards?: { total?: number; failed?: number; successful?: number };
}

export type Recorder = (statement: string) => void;

// Every repository and snapshot name is checked against Elasticsearch's rules before it becomes
// part of a path: a name like ".." must never reach a URL.
const repo = (name: string): string => pathSegment('repository', name);
const snap = (name: string): string => pathSegment('snapshot', name);

export class EsApi {
  private readonly seen = new Set<string>();

  constructor(
    readonly http: EsHttp,
    private readonly record: Recorder = () => undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /** One call, recorded once per method and path; the restore's calls go through here too. */
  async call<T>(req: EsRequest): Promise<T> {
    const q = Object.entries(req.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('&');
    const line = `${req.method} ${req.path}${q ? `?${q}` : ''}`;
    if (!this.seen.has(line)) {
      this.seen.add(line);
      this.record(req.body === undefined ? line : `${line} ${shorten(JSON.stringify(req.body))}`);
    }
    const r: EsRequest = { ...req };
    if (r.signal === undefined && this.signal) r.signal = this.signal;
    return (await this.http.request<T>(r)).body;
  }

  info(): Promise<EsInfo> {
    return this.call({ method: 'GET', path: '/' });
  }

  health(): Promise<EsHealth> {
    return this.call({ method: 'GET', path: '/_cluster/health' });
  }

  nodesSettings(): Promise<EsNodesSettings> {
    return this.call({
      method: 'GET',
      path: '/_nodes/settings',
      query: { filter_path: 'nodes.*.name,nodes.*.roles,nodes.*.settings.path.repo' },
    });
  }

  async getRepository(name: string): Promise<EsRepository | undefined> {
    try {
      const r = await this.call<Record<string, EsRepository>>({
        method: 'GET',
        path: `/_snapshot/${repo(name)}`,
      });
      return r[name];
    } catch (err) {
      if (err instanceof EsResponseError && err.status === 404) return undefined;
      throw err;
    }
  }

  async putRepository(name: string, body: EsRepository): Promise<unknown> {
    return this.call({ method: 'PUT', path: `/_snapshot/${repo(name)}`, body, timeoutMs: 120_000 });
  }

  async verifyRepository(name: string): Promise<{ nodes?: Record<string, { name?: string }> }> {
    return this.call({ method: 'POST', path: `/_snapshot/${repo(name)}/_verify`, timeoutMs: 120_000 });
  }

  catIndices(): Promise<EsCatIndex[]> {
    return this.call({
      method: 'GET',
      path: '/_cat/indices',
      query: {
        format: 'json',
        bytes: 'b',
        // open and closed, not hidden: system and hidden indices never enter a default backup.
        expand_wildcards: 'open,closed',
        h: 'index,health,status,pri,rep,docs.count,store.size,pri.store.size',
      },
    });
  }

  async createSnapshot(
    repository: string,
    snapshot: string,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    return this.call({
      method: 'PUT',
      path: `/_snapshot/${repo(repository)}/${snap(snapshot)}`,
      query: { wait_for_completion: false },
      body,
    });
  }

  async snapshotStatus(
    repository: string,
    snapshot: string,
    signal?: AbortSignal,
  ): Promise<EsSnapshotStatus | undefined> {
    const req: EsRequest = {
      method: 'GET',
      path: `/_snapshot/${repo(repository)}/${snap(snapshot)}/_status`,
    };
    if (signal) req.signal = signal;
    const r = await this.call<{ snapshots?: EsSnapshotStatus[] }>(req);
    return r.snapshots?.[0];
  }

  async getSnapshot(
    repository: string,
    snapshot: string,
    signal?: AbortSignal,
  ): Promise<EsSnapshotInfo | undefined> {
    const req: EsRequest = { method: 'GET', path: `/_snapshot/${repo(repository)}/${snap(snapshot)}` };
    if (signal) req.signal = signal;
    const r = await this.call<{ snapshots?: EsSnapshotInfo[] }>(req);
    return r.snapshots?.[0];
  }

  async listSnapshots(repository: string): Promise<EsSnapshotInfo[]> {
    const r = await this.call<{ snapshots?: EsSnapshotInfo[] }>({
      method: 'GET',
      path: `/_snapshot/${repo(repository)}/_all`,
    });
    return r.snapshots ?? [];
  }

  /** Snapshots running anywhere in the cluster (all repositories). */
  async runningSnapshots(): Promise<EsSnapshotStatus[]> {
    const r = await this.call<{ snapshots?: EsSnapshotStatus[] }>({
      method: 'GET',
      path: '/_snapshot/_status',
    });
    return r.snapshots ?? [];
  }

  /** Deleting a running snapshot aborts it; the call returns once it is gone. */
  async deleteSnapshot(repository: string, snapshot: string, signal?: AbortSignal): Promise<unknown> {
    const req: EsRequest = {
      method: 'DELETE',
      path: `/_snapshot/${repo(repository)}/${snap(snapshot)}`,
      timeoutMs: 600_000,
    };
    if (signal) req.signal = signal;
    return this.call(req);
  }
}

function shorten(s: string, max = 400): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} chars)`;
}
