// Small I/O helpers of the Elasticsearch test harness: its own HTTP(S) client and the test
// certificates for nodes with HTTPS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';

/** HTTP(S) for the harness itself (fetch cannot take a private CA). */
export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  ca: Buffer | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts: https.RequestOptions = {
      method,
      headers:
        body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    };
    if (ca) opts.ca = ca;
    const req = (u.protocol === 'https:' ? https : http).request(u, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A CA and a node certificate for 127.0.0.1, made with openssl; the node sends node + CA like a real ES 8 install. */
export function makeCertificates(dir: string): { caFile: string; caFingerprint: string } {
  mkdirSync(dir, { recursive: true });
  const ossl = (args: string[]): string => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0] ?? ''} failed: ${r.stderr}`);
    return r.stdout;
  };
  ossl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Octane test ES CA',
  ]);
  ossl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'node.key',
    '-out',
    'node.csr',
    '-subj',
    '/CN=node-1',
  ]);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ossl([
    'x509',
    '-req',
    '-in',
    'node.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'node.crt',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  writeFileSync(
    join(dir, 'node-chain.crt'),
    readFileSync(join(dir, 'node.crt'), 'utf8') + readFileSync(join(dir, 'ca.crt'), 'utf8'),
  );
  const fp = /Fingerprint=([0-9A-F:]+)/.exec(
    ossl(['x509', '-noout', '-fingerprint', '-sha256', '-in', 'ca.crt']),
  )?.[1];
  if (!fp) throw new Error('openssl printed no fingerprint');
  return { caFile: join(dir, 'ca.crt'), caFingerprint: fp };
}
