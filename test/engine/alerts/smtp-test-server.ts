// A real SMTP listener (smtp-server) on 127.0.0.1 for the e-mail tests: STARTTLS with a
// self-signed certificate made by openssl, AUTH PLAIN/LOGIN, and every message kept.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
  user?: string;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  auths: { user: string; password: string; secure: boolean }[];
  close(): Promise<void>;
}

export async function makeCert(dir: string): Promise<{ key: Buffer; cert: Buffer; certFile: string }> {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { key: await readFile(keyFile), cert: await readFile(certFile), certFile };
}

export async function startSmtp(opts: {
  tls?: { key: Buffer; cert: Buffer };
  users?: Record<string, string>;
  hideStartTls?: boolean;
}): Promise<TestSmtp> {
  const received: Received[] = [];
  const auths: TestSmtp['auths'] = [];
  const options: SMTPServerOptions = {
    logger: false,
    disabledCommands: opts.tls ? [] : ['STARTTLS'],
    hideSTARTTLS: opts.hideStartTls ?? false,
    authOptional: !opts.users,
    // Plain-text AUTH is allowed by the server on purpose: the client must refuse it on its own.
    allowInsecureAuth: true,
    onAuth(auth, session, cb) {
      auths.push({ user: auth.username ?? '', password: auth.password ?? '', secure: session.secure });
      if (opts.users && opts.users[auth.username ?? ''] === auth.password) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const r: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
        };
        if (typeof session.user === 'string') r.user = session.user;
        received.push(r);
        cb();
      });
    },
  };
  if (opts.tls) {
    options.key = opts.tls.key;
    options.cert = opts.tls.cert;
  }
  const server = new SMTPServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    auths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Subject header of a raw message, unfolded and with RFC 2047 words (Q and B) decoded. */
export function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]/g, ' ');
  const line = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  return line
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}
