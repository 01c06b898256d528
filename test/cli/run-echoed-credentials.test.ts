// A server that echoes the credentials it received — the Authorization header as sent, its
// decoded text, and the password JSON- and URL-escaped — in its error answer. The real
// Elasticsearch step talks to it (HTTP stand-in) inside a real `octane-backup run --json` with
// an alert e-mail to a real SMTP listener: no form of the credential may reach the --json
// output, run.log, manifest.json or the e-mail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src-main/cli/commands/run.js';
import { defaultSteps } from '../../src-main/engine/steps/registry.js';
import { captureIo } from '../support/cli-io.js';
import { registry } from '../support/fake-steps.js';
import { tempDir } from '../support/temp.js';
import { startSmtp, type TestSmtp } from '../engine/alerts/smtp-test-server.js';

const PASSWORD = 'Echo"me\\back wörd+/';
const API_KEY = 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw';
const API_KEY_ENV = 'OBM_TEST_ECHO_API_KEY';

let dir: Awaited<ReturnType<typeof tempDir>>;
let smtp: TestSmtp;
let echo: http.Server;
let echoUrl: string;
const received: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp({});
  echo = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    received.push(auth);
    const [, token = ''] = auth.split(' ');
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const secret = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : decoded;
    res.writeHead(500, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(
      JSON.stringify({
        error: {
          type: 'security_exception',
          reason:
            `unable to authenticate with [${auth}] decoded [${decoded}] json [${JSON.stringify({ password: secret })}]` +
            ` url [http://elastic:${encodeURIComponent(secret)}@es01:9200/]`,
          header: auth,
        },
        status: 500,
      }),
    );
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await smtp.close();
  await new Promise<void>((r) => echo.close(() => r()));
});
beforeEach(async () => {
  dir = await tempDir('obm-echo-');
});
afterEach(async () => {
  delete process.env[API_KEY_ENV];
  await dir.cleanup();
});

/** Every form of `secret` (and of the header it travelled in) that must not appear anywhere. */
function forms(secret: string, header: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    json,
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(secret),
    header,
    header.split(' ')[1] ?? '',
    Buffer.from(secret).toString('base64'),
  ].filter((f) => f.length > 0);
}

async function runAgainstEcho(es: Record<string, unknown>): Promise<{ everything: string; code: number }> {
  const cfg = join(dir.path, 'profile.json');
  await writeFile(
    cfg,
    JSON.stringify({
      profile: 'echo',
      destination: join(dir.path, 'dest'),
      database: { engine: 'sqlserver', server: 'db', databases: ['octane_site'], serverBackupDir: 'D:\\b' },
      elasticsearch: { node: echoUrl, repository: 'octane_backup', location: '/es/repo', ...es },
      repository: { path: join(dir.path, 'repo') },
      alerts: {
        email: { host: '127.0.0.1', port: smtp.port, from: 'b@corp', to: ['ops@corp'], when: 'failure' },
      },
    }),
  );
  const io = captureIo();
  const before = smtp.received.length;
  const code = await runCommand(['--config', cfg, '--json'], io, {
    steps: {
      ...registry({ database: { kind: 'ok' }, repository: { kind: 'ok' } }, []),
      elasticsearch: defaultSteps().elasticsearch,
    },
  });
  const setsDir = join(dir.path, 'dest', 'echo');
  const [set] = await readdir(setsDir).then((n) => n.filter((x) => !x.startsWith('.')));
  const runLog = await readFile(join(setsDir, set as string, 'run.log'), 'utf8');
  const manifest = await readFile(join(setsDir, set as string, 'manifest.json'), 'utf8');
  const mail = smtp.received.slice(before).map((m) => m.raw);
  expect(mail).toHaveLength(1);
  // The server's words did reach every output (only the credential was cut out of them).
  for (const text of [io.lines.join('\n'), runLog, manifest, mail.join('\n')])
    expect(text).toMatch(/unable to authenticate/);
  return {
    everything: [io.lines.join('\n'), io.errors.join('\n'), runLog, manifest, ...mail].join('\n'),
    code,
  };
}

describe('credentials echoed by a server never reach --json, run.log, manifest.json or the alert e-mail (HTTP stand-in)', () => {
  it('HTTP Basic: the password in plain, base64 (user:password), JSON- and URL-escaped forms', async () => {
    const { everything, code } = await runAgainstEcho({ username: 'elastic', password: PASSWORD });
    expect(code).toBe(1);
    const header = received.at(-1) ?? '';
    expect(header).toBe(`Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`);
    for (const f of forms(PASSWORD, header)) expect(everything, f).not.toContain(f);
  });

  it('ApiKey given as id:key: the key and its base64 header form', async () => {
    process.env[API_KEY_ENV] = API_KEY;
    const { everything, code } = await runAgainstEcho({ apiKeyEnv: API_KEY_ENV });
    expect(code).toBe(1);
    const header = received.at(-1) ?? '';
    expect(header).toBe(`ApiKey ${Buffer.from(API_KEY).toString('base64')}`);
    for (const f of forms(API_KEY, header)) expect(everything, f).not.toContain(f);
    expect(everything).not.toContain('ui2lp2axTNmsyakw9tvNnw');
  });
});
