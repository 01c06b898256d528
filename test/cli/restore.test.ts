// `octane-backup restore`: the plan and its exit codes, the typed confirmation, --yes, --json and
// the runbook, against the TDS stand-in (SQL Server) and a real repository folder.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../src-main/cli/cli.js';
import type { RestoreEvent } from '../../src-main/contract/restore-run.js';
import { captureIo } from '../support/cli-io.js';
import { changeEverything, installation, type Installation } from '../support/restore/installation.js';

async function configFile(i: Installation, extra: Record<string, unknown> = {}): Promise<string> {
  const path = join(i.setPath, '..', '..', 'target-profile.json');
  await writeFile(path, JSON.stringify({ ...i.profile, ...extra }));
  return path;
}

const ONLY = ['--only', 'database,repository'];

describe('octane-backup restore (SQL Server: TDS stand-in; repository: real folder)', () => {
  it('TDS stand-in: --plan prints every precondition and every statement in order, changes nothing and exits 0', async () => {
    const i = await installation();
    await changeEverything(i);
    const io = captureIo();
    const code = await cli(['restore', i.setPath, '--config', await configFile(i), ...ONLY, '--plan'], io);
    const text = io.lines.join('\n');
    expect(code, text).toBe(0);
    expect(text).toMatch(/Preconditions:\n {2}WARN The set verified: Intact, but not a full Octane backup/);
    expect(text).toMatch(/WARN Octane stopped: The profile names neither the Octane service nor its URL/);
    const restoreAt = text.indexOf('RESTORE DATABASE [octane_site]');
    const extractAt = text.search(/Extract .*repository\.tar\.gz into /);
    expect(restoreAt).toBeGreaterThan(0);
    expect(extractAt).toBeGreaterThan(restoreAt);
    expect(text).toMatch(/NOTE: A PARTIAL restore/);
    expect(text).toContain('Ready: every precondition holds.');
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');
  });

  it('TDS stand-in: --plan exits 2 when a precondition fails (Octane answers at its URL), naming the fix', async () => {
    const i = await installation();
    const server = createServer((_q, res) => res.end('Octane'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const io = captureIo();
      const code = await cli(
        [
          'restore',
          i.setPath,
          '--config',
          await configFile(i, { octaneUrl: url }),
          ...ONLY,
          '--plan',
          '--json',
        ],
        io,
      );
      expect(code).toBe(2);
      const out = JSON.parse(io.lines.join('')) as { readiness: { ready: boolean; problems: string[] } };
      expect(out.readiness.ready).toBe(false);
      expect(out.readiness.problems.join(' ')).toMatch(
        /answers \(HTTP 200\).*Fix: Stop Octane on every node/,
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('TDS stand-in: without a terminal and without --yes it exits 2 before touching anything', async () => {
    const i = await installation();
    await changeEverything(i);
    const io = captureIo();
    const code = await cli(['restore', i.setPath, '--config', await configFile(i), ...ONLY], io);
    expect(code).toBe(2);
    expect(io.errors.join('\n')).toMatch(/run it in a terminal, or add --yes/);
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');
  });

  it('TDS stand-in: in a terminal the profile name must be typed: a wrong answer exits 130 with nothing changed, the right one restores', async () => {
    const i = await installation();
    await changeEverything(i);
    const config = await configFile(i);
    const asked: string[] = [];
    const wrong = { ...captureIo(), ask: (q: string) => (asked.push(q), Promise.resolve('yes')) };
    expect(await cli(['restore', i.setPath, '--config', config, ...ONLY], wrong)).toBe(130);
    expect(asked[0]).toMatch(
      /Octane must be stopped on every node \(the tool cannot check it: typing the name confirms it\)/,
    );
    expect(asked[0]).toContain('Type the profile name "octane-prod"');
    expect(wrong.errors.join('\n')).toMatch(/Nothing was changed/);
    expect(i.r.fake.databases[0]?.content).toBe('octane_site changed after the set');

    const right = { ...captureIo(), ask: () => Promise.resolve('octane-prod') };
    const code = await cli(['restore', i.setPath, '--config', config, ...ONLY], right);
    const text = right.lines.join('\n');
    expect(code, text).toBe(0);
    expect(i.r.fake.databases.map((d) => d.content)).toEqual(['site at the backup', 'space at the backup']);
    expect(await readFile(join(i.repo, 'readme.txt'), 'utf8')).toMatch(/stand-in/);
    expect(text).toMatch(/> Database \(SQL Server: octane_site, octane_sp_1001\)[\s\S]*> Repository folder/);
    expect(text).toMatch(/Result: SUCCEEDED/);
    expect(text).toMatch(/Next steps:\n {2}1\. Start the Octane service on every node\./);
    expect(text).toMatch(/Report: .*restore-reports.*\.json/);
  });

  it('TDS stand-in: --yes --json prints one event per line, the last one the finished restore with its report', async () => {
    const i = await installation();
    await changeEverything(i);
    const io = captureIo();
    const code = await cli(
      ['restore', i.setPath, '--config', await configFile(i), ...ONLY, '--yes', '--json'],
      io,
    );
    expect(code).toBe(0);
    const events = io.lines.map((l) => JSON.parse(l) as RestoreEvent);
    expect(events[0]?.type).toBe('restore-started');
    const last = events.at(-1);
    expect(last?.type).toBe('restore-finished');
    if (last?.type !== 'restore-finished') return;
    expect(last.report.status).toBe('succeeded');
    expect(last.report.octane.join(' ')).toMatch(/confirmed stopped on every node by the admin/);
  });

  it('bad input exits 2: an unknown --only component, no set folder, a folder that is not a set', async () => {
    const i = await installation();
    const config = await configFile(i);
    const a = captureIo();
    expect(await cli(['restore', i.setPath, '--config', config, '--only', 'database,files'], a)).toBe(2);
    expect(a.errors.join('')).toMatch(/not: files/);
    const b = captureIo();
    expect(await cli(['restore', '--config', config], b)).toBe(2);
    const c = captureIo();
    expect(await cli(['restore', i.repo, '--config', config, '--yes'], c)).toBe(2);
    expect(c.errors.join('')).toMatch(/holds no manifest\.json: it is not a backup set/);
  });

  it('TDS stand-in: --runbook - prints the runbook made now from the live targets', async () => {
    const i = await installation();
    const io = captureIo();
    expect(await cli(['restore', i.setPath, '--config', await configFile(i), '--runbook', '-'], io)).toBe(0);
    const md = io.lines.join('\n');
    expect(md).toMatch(/^# Restoring set /);
    expect(md).not.toContain('from the set alone');
    expect(md).toContain('RESTORE DATABASE [octane_sp_1001]');
  });
});
