// The pinned CA fingerprint ("caFingerprint") against real TLS servers presenting real and forged
// certificate chains, all made by openssl. The forged chain is what a man in the middle can
// build without any secret: a leaf of its own whose issuer NAME equals the real CA's, sent
// together with the real (public) CA certificate.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElasticsearchConfig } from '../../../../src-main/contract/profile.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { EsApi } from '../../../../src-main/engine/steps/elasticsearch/api.js';
import { connect } from '../../../../src-main/engine/steps/elasticsearch/checks.js';
import { esError } from '../../../../src-main/engine/steps/elasticsearch/errors.js';
import { EsHttp } from '../../../../src-main/engine/steps/elasticsearch/http.js';
import { makeCertificates } from '../../../support/elasticsearch/harness-io.js';
import { tempDir } from '../../../support/temp.js';

interface Server {
  url: string;
  /** Authorization headers of every request that reached the server. */
  seen: (string | undefined)[];
  close(): Promise<void>;
}

async function server(key: string, cert: string): Promise<Server> {
  const seen: (string | undefined)[] = [];
  const srv = https.createServer({ key, cert }, (req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(JSON.stringify({ name: 'n1', cluster_name: 'octane', version: { number: '8.19.8' } }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

let dir: Awaited<ReturnType<typeof tempDir>>;
const servers: Server[] = [];
let caFingerprint: string;
let genuine: Server;
let forged: Server;
let wrongHost: Server;
let expired: Server;
let nodeFingerprint: string;

function ossl(args: string[]): string {
  const r = spawnSync('openssl', args, { cwd: dir.path, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A leaf signed by `ca`; `days` may be negative (already expired); `extra`: more extension lines. */
function leaf(name: string, ca: string, san: string, days = 2, extra: string[] = []): void {
  ossl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(join(dir.path, `${name}.cnf`), [`subjectAltName=${san}`, ...extra, ''].join('\n'));
  ossl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    String(days),
    '-extfile',
    `${name}.cnf`,
  ]);
}

const read = (f: string): string => readFileSync(join(dir.path, f), 'utf8');
const fingerprintOf = (f: string): string =>
  /Fingerprint=([0-9A-F:]+)/.exec(ossl(['x509', '-noout', '-fingerprint', '-sha256', '-in', f]))?.[1] ?? '';

beforeAll(async () => {
  dir = await tempDir('obm-es-pin-');
  // The real CA and a genuine node certificate, as Elasticsearch 8 sets them up.
  ({ caFingerprint } = makeCertificates(dir.path));
  nodeFingerprint = fingerprintOf('node.crt');
  // The attacker's CA carries the real CA's NAME, with a key of its own.
  ossl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'evil-ca.key',
    '-out',
    'evil-ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Octane test ES CA',
  ]);
  // Its leaf names the real CA as issuer in every field a chain builder matches on: the issuer
  // name, and an authority key id copied from the real CA certificate (public information).
  const realKeyId = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(
    ossl(['x509', '-noout', '-ext', 'subjectKeyIdentifier', '-in', 'ca.crt']),
  )?.[1];
  if (!realKeyId) throw new Error('openssl printed no subject key identifier for the CA');
  leaf('forged', 'evil-ca', 'IP:127.0.0.1,DNS:localhost', 2, [
    `2.5.29.35=DER:30:16:80:14:${realKeyId}`,
    'subjectKeyIdentifier=none',
  ]);
  // Signed by the real CA, but for another host; and one that has expired.
  leaf('elsewhere', 'ca', 'DNS:elsewhere.example');
  leaf('expired', 'ca', 'IP:127.0.0.1', -1);
  genuine = await server(read('node.key'), read('node.crt') + read('ca.crt'));
  // The man in the middle sends its forged leaf followed by the REAL CA certificate.
  forged = await server(read('forged.key'), read('forged.crt') + read('ca.crt'));
  wrongHost = await server(read('elsewhere.key'), read('elsewhere.crt') + read('ca.crt'));
  expired = await server(read('expired.key'), read('expired.crt') + read('ca.crt'));
  servers.push(genuine, forged, wrongHost, expired);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await dir.cleanup();
});

const cfg = (node: string, pin: string): ElasticsearchConfig => ({
  node,
  username: 'elastic',
  caFingerprint: pin,
  repository: 'octane_backup',
  location: '/srv/es-snapshots',
});

async function attempt(c: ElasticsearchConfig): Promise<string | ExpectedError> {
  const h = new EsHttp(c, { elasticsearchPassword: 'pinned-secret' });
  try {
    return (await connect(new EsApi(h), { node: c.node ?? '' })).version;
  } catch (err) {
    return esError(err, { node: c.node ?? '' }) as ExpectedError;
  } finally {
    h.close();
  }
}

describe('caFingerprint: the pinned certificate is the only trust anchor of a full verification', () => {
  it('connects to the genuine node whose chain leads to the pinned CA', async () => {
    expect(await attempt(cfg(genuine.url, caFingerprint))).toBe('8.19.8');
    expect(genuine.seen.at(-1)).toMatch(/^Basic /);
  });

  it('refuses a forged leaf sent with the real CA certificate, before any credential is sent', async () => {
    const r = await attempt(cfg(forged.url, caFingerprint));
    expect(r).toBeInstanceOf(ExpectedError);
    expect((r as ExpectedError).code).toBe('ES_TLS_PINNED_CHAIN_INVALID');
    expect((r as ExpectedError).fix).toMatch(/in between/);
    // Not one request (and so no Basic header) reached the man in the middle.
    expect(forged.seen).toEqual([]);
  });

  it('checks the host name even with a pin', async () => {
    const r = await attempt(cfg(wrongHost.url, caFingerprint));
    expect((r as ExpectedError).code).toBe('ES_TLS_WRONG_HOST');
    expect(wrongHost.seen).toEqual([]);
  });

  it('checks the validity dates even with a pin', async () => {
    const r = await attempt(cfg(expired.url, caFingerprint));
    expect((r as ExpectedError).code).toBe('ES_TLS_EXPIRED');
    expect(expired.seen).toEqual([]);
  });

  it('accepts a pin of the node certificate itself (a CA-issued leaf)', async () => {
    expect(await attempt(cfg(genuine.url, nodeFingerprint))).toBe('8.19.8');
  });

  it('refuses a server that does not present the pinned certificate at all', async () => {
    const r = await attempt(cfg(genuine.url, fingerprintOf('evil-ca.crt')));
    expect((r as ExpectedError).code).toBe('ES_TLS_FINGERPRINT_MISMATCH');
  });
});
