// Error paths and TLS options of the step's HTTP layer against a local stand-in HTTP(S) server
// that answers with Elasticsearch's error bodies. The real behaviour is proven against real
// nodes in the *.real-node tests; these cover answers a test node cannot easily give.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElasticsearchConfig, RunSecrets } from '../../../../src-main/contract/profile.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { EsApi } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import {
  connect,
  registerRepository,
  verifyRepository,
} from '../../../../src-main/engine/steps/elasticsearch/checks.js';
import { esError } from '../../../../src-main/engine/steps/elasticsearch/errors.js';
import { EsHttp } from '../../../../src-main/engine/steps/elasticsearch/http.js';
import { testElasticsearchConnection } from '../../../../src-main/engine/steps/elasticsearch/index.js';
import { takeSnapshot } from '../../../../src-main/engine/steps/elasticsearch/snapshot.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import { makeCertificates } from '../../../support/elasticsearch/harness-io.js';
import { freePort } from '../../../support/elasticsearch/node.js';
import { tempDir } from '../../../support/temp.js';

type Reply = [number, unknown];
interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

const ROOT: Reply = [
  200,
  {
    name: 'n1',
    cluster_name: 'octane',
    cluster_uuid: 'uuid-1',
    version: { number: '8.19.8' },
    tagline: 'You Know, for Search',
  },
];

function esErrorBody(status: number, type: string, reason: string): Reply {
  return [status, { error: { root_cause: [{ type, reason }], type, reason }, status }];
}

async function standIn(
  routes: Record<string, Reply>,
  tls?: { key: string; cert: string },
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', body };
      if (req.headers.authorization) s.authorization = req.headers.authorization;
      seen.push(s);
      const key = `${req.method} ${(req.url ?? '').split('?')[0]}`;
      const [status, payload] = routes[key] ?? esErrorBody(404, 'stand_in_no_route', key);
      res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(payload));
    });
  };
  const srv = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => srv.close(() => r())),
  };
}

const cfg = (node: string, extra: Partial<ElasticsearchConfig> = {}): ElasticsearchConfig => ({
  node,
  repository: 'r',
  location: '/snap',
  ...extra,
});

async function failureOf(p: Promise<unknown>): Promise<ExpectedError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ExpectedError);
    return err as ExpectedError;
  }
  throw new Error('expected a failure');
}

describe('Elasticsearch HTTP errors in plain words (HTTP stand-in)', () => {
  let server: Awaited<ReturnType<typeof standIn>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const session = (c: ElasticsearchConfig, secrets: RunSecrets = {}) => {
    const httpLayer = new EsHttp(c, secrets);
    const statements: string[] = [];
    const api = new EsApi(httpLayer, (s) => statements.push(s));
    const ec = {
      node: c.node ?? '',
      repository: c.repository,
      location: c.location,
      ...(c.username ? { username: c.username } : {}),
    };
    return { httpLayer, api, ec, statements };
  };

  it('a refused connection says nothing answers there and how to fix it (no server at all)', async () => {
    const port = await freePort();
    const { api, ec, httpLayer } = session(cfg(`http://127.0.0.1:${port}`));
    const e = await failureOf(connect(api, ec));
    httpLayer.close();
    expect(e.code).toBe('ES_UNREACHABLE');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.fix).toMatch(/Start Elasticsearch/);
  });

  it('tries the next node of the list when the first refuses the connection (HTTP stand-in)', async () => {
    server = await standIn({ 'GET /': ROOT });
    const dead = `http://127.0.0.1:${await freePort()}`;
    const { api, ec, httpLayer } = session(cfg(dead, { nodes: [dead, server.url] }));
    const facts = await connect(api, ec);
    httpLayer.close();
    expect(facts.version).toBe('8.19.8');
    expect(facts.clusterUuid).toBe('uuid-1');
  });

  it('401 names the user and asks to check the password; the password is neither in statements nor messages (HTTP stand-in)', async () => {
    server = await standIn({
      'GET /': esErrorBody(401, 'security_exception', 'unable to authenticate user [backup]'),
    });
    const secret = 'Very-S3cret-pw';
    const { api, ec, httpLayer, statements } = session(cfg(server.url, { username: 'backup' }), {
      elasticsearchPassword: secret,
    });
    const e = await failureOf(connect(api, ec));
    httpLayer.close();
    expect(e.code).toBe('ES_AUTH_FAILED');
    expect(e.message).toContain('"backup"');
    expect(e.fix).toMatch(/password/);
    expect(server.seen[0]?.authorization).toBe(`Basic ${Buffer.from(`backup:${secret}`).toString('base64')}`);
    expect(JSON.stringify([statements, e.message, e.fix, e.details])).not.toContain(secret);
  });

  it('sends an API key as "ApiKey", encoding "id:key" (HTTP stand-in)', async () => {
    server = await standIn({ 'GET /': ROOT });
    const { api, ec, httpLayer } = session(cfg(server.url, { username: 'ignored' }), {
      elasticsearchApiKey: 'id1:key1',
    });
    await connect(api, ec);
    httpLayer.close();
    expect(server.seen[0]?.authorization).toBe(`ApiKey ${Buffer.from('id1:key1').toString('base64')}`);
  });

  it('403 says which call was refused and which privileges the account needs (HTTP stand-in)', async () => {
    server = await standIn({
      'PUT /_snapshot/r': esErrorBody(
        403,
        'security_exception',
        'action [cluster:admin/repository/put] is unauthorized for user [backup]',
      ),
    });
    const { api, ec, httpLayer } = session(cfg(server.url, { username: 'backup' }), {
      elasticsearchPassword: 'pw',
    });
    const e = await failureOf(registerRepository(api, ec, 'r', '/snap'));
    httpLayer.close();
    expect(e.code).toBe('ES_FORBIDDEN');
    expect(e.message).toContain('PUT /_snapshot/r');
    expect(e.fix).toMatch(/"manage"/);
  });

  it('repository_verification_exception says the nodes cannot write the folder and how to share it (HTTP stand-in)', async () => {
    server = await standIn({
      'POST /_snapshot/r/_verify': esErrorBody(
        500,
        'repository_verification_exception',
        "[r] [[node2, 'RemoteTransportException[...] store location [/snap] is not accessible on the node']]",
      ),
    });
    const { api, ec, httpLayer } = session(cfg(server.url));
    const e = await failureOf(verifyRepository(api, ec, 'r'));
    httpLayer.close();
    expect(e.code).toBe('ES_REPOSITORY_VERIFICATION');
    expect(e.message).toContain('/snap');
    expect(e.fix).toMatch(/shared storage/);
  });

  it('concurrent_snapshot_execution_exception says another snapshot runs and what to do (HTTP stand-in)', async () => {
    server = await standIn({
      'PUT /_snapshot/r/s1': esErrorBody(
        503,
        'concurrent_snapshot_execution_exception',
        '[r:s1] cannot snapshot while a snapshot deletion is in-progress',
      ),
    });
    const { api, ec, httpLayer } = session(cfg(server.url));
    const ac = new AbortController();
    const e = await failureOf(
      takeSnapshot(
        api,
        ec,
        { repository: 'r', name: 's1', indices: ['a'], metadata: {} },
        { signal: ac.signal, log: silentLogger, progress: () => undefined },
        { pollMs: 10, unreachableGraceMs: 10 },
      ),
    );
    httpLayer.close();
    expect(e.code).toBe('ES_SNAPSHOT_RUNNING');
    expect(e.fix).toMatch(/_snapshot\/_status/);
  });

  it('OpenSearch is refused as not Elasticsearch (HTTP stand-in)', async () => {
    server = await standIn({ 'GET /': [200, { version: { number: '2.11.0', distribution: 'opensearch' } }] });
    const { api, ec, httpLayer } = session(cfg(server.url));
    const e = await failureOf(connect(api, ec));
    httpLayer.close();
    expect(e.code).toBe('ES_NOT_ELASTICSEARCH');
  });

  it('the Test button reports the version when it works and the fix when it does not (HTTP stand-in)', async () => {
    server = await standIn({
      'GET /': ROOT,
      'GET /_cluster/health': [200, { status: 'yellow', number_of_nodes: 1 }],
    });
    const ok = await testElasticsearchConnection(cfg(server.url), {});
    expect(ok).toMatchObject({ ok: true, serverVersion: '8.19.8' });
    expect(ok.message).toContain('yellow');
    const bad = await testElasticsearchConnection(cfg(`http://127.0.0.1:${await freePort()}`), {});
    expect(bad.ok).toBe(false);
    expect(bad.fix).toMatch(/Start Elasticsearch/);
  });

  it('maps an unknown error body to its type and reason (HTTP stand-in)', async () => {
    server = await standIn({ 'GET /': esErrorBody(400, 'illegal_argument_exception', 'something odd') });
    const { api, ec, httpLayer } = session(cfg(server.url));
    const e = await failureOf(connect(api, ec));
    httpLayer.close();
    expect(e.code).toBe('ES_REQUEST_FAILED');
    expect(e.message).toContain('illegal_argument_exception');
    expect(e.message).toContain('something odd');
  });
});

describe('HTTPS options: CA file, CA fingerprint, trust self-signed (HTTPS stand-in)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let tls: { key: string; cert: string };
  let caFile: string;
  let caFingerprint: string;
  let server: Awaited<ReturnType<typeof standIn>>;

  beforeAll(async () => {
    dir = await tempDir('obm-es-tls-');
    // openssl (an independent tool) makes the CA, the node certificate and the CA fingerprint as an admin would copy it.
    ({ caFile, caFingerprint } = makeCertificates(dir.path));
    // Like Elasticsearch, the node sends its certificate followed by the CA's.
    tls = {
      key: readFileSync(join(dir.path, 'node.key'), 'utf8'),
      cert: readFileSync(join(dir.path, 'node-chain.crt'), 'utf8'),
    };
    server = await standIn({ 'GET /': ROOT }, tls);
  });
  afterAll(async () => {
    await server.close();
    await dir.cleanup();
  });

  const attempt = async (c: ElasticsearchConfig): Promise<string> => {
    const h = new EsHttp(c, {});
    try {
      return (await connect(new EsApi(h), { node: c.node ?? '' })).version;
    } finally {
      h.close();
    }
  };

  it('refuses an untrusted self-signed chain with the three ways to trust it', async () => {
    const e = await failureOf(attempt(cfg(server.url)));
    expect(e.code).toBe('ES_TLS_UNTRUSTED');
    expect(e.fix).toMatch(/caFile/);
    expect(e.fix).toMatch(/caFingerprint/);
    expect(e.fix).toMatch(/insecureSkipVerify/);
  });

  it('trusts the chain with the CA file', async () => {
    expect(await attempt(cfg(server.url, { caFile }))).toBe('8.19.8');
  });

  it('trusts the chain with the CA fingerprint in openssl notation', async () => {
    expect(caFingerprint).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(await attempt(cfg(server.url, { caFingerprint }))).toBe('8.19.8');
  });

  it('refuses a wrong fingerprint before sending any request', async () => {
    const before = server.seen.length;
    const e = await failureOf(attempt(cfg(server.url, { caFingerprint: 'AA:'.repeat(31) + 'AA' })));
    expect(e.code).toBe('ES_TLS_FINGERPRINT_MISMATCH');
    expect(server.seen.length).toBe(before);
  });

  it('connects with "trust self-signed" (insecureSkipVerify)', async () => {
    expect(await attempt(cfg(server.url, { insecureSkipVerify: true }))).toBe('8.19.8');
  });

  it('a plain http:// address against an HTTPS node suggests https://', async () => {
    const plain = server.url.replace('https:', 'http:');
    const h = new EsHttp(cfg(plain), {});
    const raw = await h.request({ method: 'GET', path: '/' }).then(
      () => new Error('answered'),
      (err: unknown) => err,
    );
    h.close();
    const e = esError(raw, { node: plain }) as ExpectedError;
    expect(e.code).toBe('ES_CONNECTION_DROPPED');
    expect(e.fix).toMatch(/https:\/\//);
  });
});
