import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src-main/contract/manifest.js';
import { runCommand } from '../../src-main/cli/commands/run.js';
import { captureIo } from '../support/cli-io.js';
import { registry } from '../support/fake-steps.js';
import { tempDir } from '../support/temp.js';
import { hoursAgo, writeSet } from '../engine/retention/set-tree.js';
import { startSmtp, subjectOf, type TestSmtp } from '../engine/alerts/smtp-test-server.js';
import { SETUP_XML } from '../engine/octane-config/samples.js';

// `run` wiring of the operations features: pre-upgrade extras and the after-run alerts.
let dir: Awaited<ReturnType<typeof tempDir>>;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp({});
});
afterAll(async () => smtp.close());
beforeEach(async () => {
  dir = await tempDir('obm-cli-run-');
});
afterEach(async () => dir.cleanup());

async function config(extra: Record<string, unknown>): Promise<string> {
  const p = join(dir.path, 'nightly.json');
  await writeFile(
    p,
    JSON.stringify({
      profile: 'nightly',
      destination: join(dir.path, 'dest'),
      database: { engine: 'sqlserver', server: 'db', databases: ['octane_site'], serverBackupDir: 'D:\\b' },
      elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
      repository: { path: join(dir.path, 'repo') },
      ...extra,
    }),
  );
  return p;
}

describe('octane-backup run: operations wiring (test steps)', () => {
  it('run --kind pre-upgrade --label copies Octane config into a pinned, labelled set', async () => {
    const conf = join(dir.path, 'conf');
    await mkdir(conf);
    await writeFile(join(conf, 'setup.xml'), SETUP_XML);
    const io = captureIo();
    const cfg = await config({ octaneConfigDir: conf });
    const code = await runCommand(
      ['--config', cfg, '--kind', 'pre-upgrade', '--label', 'before 25.1 upgrade'],
      io,
      {
        steps: registry(
          { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
          [],
        ),
      },
    );
    expect(code).toBe(0);
    const setDir = join(dir.path, 'dest', 'nightly');
    const [name] = await import('node:fs/promises').then((f) => f.readdir(setDir));
    const m = JSON.parse(await readFile(join(setDir, name as string, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.pinned).toBe(true);
    expect(m.label).toBe('before 25.1 upgrade');
    expect(m.octane?.configFiles).toEqual(['octane-config/setup.xml']);
  });

  it('a failed scheduled run with an old newest good set says so and e-mails it', async () => {
    const cfg = await config({
      schedule: { targetIntervalHours: 12 },
      alerts: {
        email: { host: '127.0.0.1', port: smtp.port, from: 'b@corp', to: ['ops@corp'], when: 'failure' },
      },
    });
    await writeSet(join(dir.path, 'dest'), 'nightly', { startedAt: hoursAgo(new Date(), 30) });
    const io = captureIo();
    const before = smtp.received.length;
    const code = await runCommand(['--config', cfg, '--kind', 'scheduled'], io, {
      steps: registry(
        {
          database: { kind: 'fail', code: 'DB_DOWN' },
          elasticsearch: { kind: 'ok' },
          repository: { kind: 'ok' },
        },
        [],
      ),
    });
    expect(code).toBe(1);
    expect(io.lines.join('\n')).toMatch(/ALERT: No good backup for 30\.\d h: longer than the 12\.0 h/);
    expect(io.lines.join('\n')).toMatch(/Alert e-mail sent to ops@corp\./);
    expect(subjectOf(smtp.received[before]?.raw ?? '')).toMatch(/NO GOOD BACKUP/);
  });
});
