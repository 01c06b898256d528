// A thin typed HTTP layer for the few Elasticsearch REST calls the step makes.
//
// Why not @elastic/elasticsearch: the client's major must match the server's (7.x client for
// ES 7, 8.x for ES 8; the 8.x client sends "compatible-with=8" headers that ES 7 rejects), so
// speaking to both majors would mean two clients, two response shapes and two abort
// mechanisms behind an adapter — for about a dozen snapshot/cluster endpoints whose wire format
// is the same in 7.17 and 8.x. One plain layer gives one code path (proven against real 7.17 and
// 8.19 nodes), the exact calls for the manifest, and TLS options (CA file, CA fingerprint,
// "trust self-signed") handled the same way for both majors.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { ElasticsearchConfig, RunSecrets } from '../../../contract/profile.js';
import { PinnedAgent, normalizeFingerprint } from './tls-agent.js';
import { abortError } from '../../errors.js';

export interface EsResponse<T = unknown> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
}

export interface EsRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Milliseconds without a complete answer before giving up; default 60 s. */
  timeoutMs?: number;
}

/** Elasticsearch answered with an error status; type/reason come from its error body. */
export class EsResponseError extends Error {
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    readonly reason: string | undefined,
    readonly body: unknown,
    readonly request: string,
  ) {
    super(`${request} -> HTTP ${status}${type ? ` ${type}` : ''}${reason ? `: ${reason}` : ''}`);
    this.name = 'EsResponseError';
  }
}

/** No HTTP answer at all (refused, DNS, TLS, timeout, reset); `code` is Node's error code. */
export class EsConnectionError extends Error {
  constructor(
    readonly code: string,
    readonly node: string,
    message: string,
    readonly tlsFingerprints?: string[],
  ) {
    super(message);
    this.name = 'EsConnectionError';
  }
}

// Errors raised before anything was sent: safe to try the next node, whatever the method.
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECT_TIMEOUT',
]);

export class EsHttp {
  readonly nodes: URL[];
  private current = 0;
  private readonly headers: Record<string, string>;
  private readonly agents = new Map<string, http.Agent>();

  constructor(
    private readonly config: ElasticsearchConfig,
    secrets: RunSecrets,
  ) {
    const urls = config.nodes && config.nodes.length > 0 ? config.nodes : config.node ? [config.node] : [];
    this.nodes = urls.map((u) => new URL(u.endsWith('/') ? u : `${u}/`));
    this.headers = { accept: 'application/json' };
    const apiKey = secrets.elasticsearchApiKey;
    if (apiKey) {
      // "id:key" is accepted too; Elasticsearch wants base64(id:key).
      this.headers.authorization = `ApiKey ${apiKey.includes(':') ? Buffer.from(apiKey).toString('base64') : apiKey}`;
    } else if (config.username) {
      const pw = secrets.elasticsearchPassword ?? '';
      this.headers.authorization = `Basic ${Buffer.from(`${config.username}:${pw}`).toString('base64')}`;
    }
  }

  /** The node that answered last (for messages). */
  get node(): string {
    return (this.nodes[this.current] ?? this.nodes[0])?.origin ?? '(no node configured)';
  }

  async request<T = unknown>(req: EsRequest): Promise<EsResponse<T>> {
    if (this.nodes.length === 0)
      throw new EsConnectionError('NO_NODE', '', 'No Elasticsearch node is configured.');
    let lastErr: unknown;
    for (let i = 0; i < this.nodes.length; i++) {
      const idx = (this.current + i) % this.nodes.length;
      const node = this.nodes[idx] as URL;
      try {
        const res = await this.send<T>(node, req);
        this.current = idx;
        return res;
      } catch (err) {
        lastErr = err;
        if (!(err instanceof EsConnectionError) || !CONNECT_CODES.has(err.code)) throw err;
      }
    }
    throw lastErr;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agentFor(node: URL): http.Agent {
    const key = node.origin;
    let agent = this.agents.get(key);
    if (agent) return agent;
    if (node.protocol === 'https:') {
      const c = this.config;
      const ca = c.caFile ? readCa(c.caFile) : undefined;
      const opts: https.AgentOptions = { keepAlive: true, maxSockets: 4 };
      if (ca) opts.ca = ca;
      if (c.caFingerprint) agent = new PinnedAgent(opts, normalizeFingerprint(c.caFingerprint));
      else agent = new https.Agent({ ...opts, rejectUnauthorized: c.insecureSkipVerify !== true });
    } else {
      agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    }
    this.agents.set(key, agent);
    return agent;
  }

  private send<T>(node: URL, req: EsRequest): Promise<EsResponse<T>> {
    const url = new URL(req.path.replace(/^\//, ''), node);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const label = `${req.method} ${url.pathname}${url.search}`;
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    const headers: Record<string, string> = { ...this.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const mod = url.protocol === 'https:' ? https : http;
    const timeoutMs = req.timeoutMs ?? 60_000;
    return new Promise<EsResponse<T>>((resolve, reject) => {
      let settled = false;
      const done = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const r = mod.request(
        url,
        { method: req.method, headers, agent: this.agentFor(node), signal: req.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => done(() => reject(connectionError(err, node))));
          res.on('end', () =>
            done(() => {
              const text = Buffer.concat(chunks).toString('utf8');
              let body: unknown = text;
              if (text.length > 0 && /json/.test(res.headers['content-type'] ?? '')) {
                try {
                  body = JSON.parse(text);
                } catch {
                  // Keep the text: an error page from a proxy is still worth showing.
                }
              }
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve({ status, body: body as T, headers: res.headers });
              else reject(responseError(status, body, label));
            }),
          );
        },
      );
      const timer = setTimeout(() => {
        const connected = r.socket && !r.socket.connecting;
        r.destroy();
        done(() =>
          reject(
            new EsConnectionError(
              connected ? 'TIMEOUT' : 'CONNECT_TIMEOUT',
              node.origin,
              `${node.origin} did not answer ${label} within ${Math.round(timeoutMs / 1000)} s.`,
            ),
          ),
        );
      }, timeoutMs);
      r.on('error', (err) =>
        done(() => reject(req.signal?.aborted ? abortError() : connectionError(err, node))),
      );
      if (payload) r.end(payload);
      else r.end();
    });
  }
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new EsConnectionError(
      'CA_FILE_UNREADABLE',
      '',
      `The CA file ${file} cannot be read: ${(err as Error).message}`,
    );
  }
}

function responseError(status: number, body: unknown, label: string): EsResponseError {
  let type: string | undefined;
  let reason: string | undefined;
  if (body && typeof body === 'object' && 'error' in body) {
    const e = body.error;
    if (typeof e === 'string') reason = e;
    else if (e && typeof e === 'object') {
      const o = e as { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
      type = o.type;
      reason = o.reason;
      // The wrapper's reason is often generic ("failed to create repository"); the cause says why.
      if (o.caused_by?.reason && o.caused_by.reason !== reason)
        reason = `${reason ?? ''}${reason ? ': ' : ''}${o.caused_by.reason}`;
    }
  } else if (typeof body === 'string' && body.length > 0) reason = body.slice(0, 300);
  return new EsResponseError(status, type, reason, body, label);
}

function connectionError(err: unknown, node: URL): Error {
  const e = err as NodeJS.ErrnoException & { fingerprints?: string[] };
  if (e.name === 'AbortError') return e;
  return new EsConnectionError(e.code ?? 'ECONNECTION', node.origin, e.message, e.fingerprints);
}
