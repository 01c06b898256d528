import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/events.js';
import { cli } from '../../src-main/cli/cli.js';
import { runCommand } from '../../src-main/cli/commands/run.js';
import { registry } from '../support/fake-steps.js';
import { captureIo } from '../support/cli-io.js';
import { tempDir } from '../support/temp.js';

const CLI = 'dist-cli/octane-backup.mjs';
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(() => {
  // The suite runs after `npm run build`; build here too so this file also runs on its own.
  if (!existsSync(CLI)) spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
});
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

function spawnCli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function writeConfig(obj: unknown): Promise<string> {
  const p = join(dir.path, 'config.json');
  await writeFile(p, typeof obj === 'string' ? obj : JSON.stringify(obj));
  return p;
}

const goodConfig = () => ({
  profile: 'nightly',
  destination: join(dir.path, 'dest'),
  database: { engine: 'sqlserver', server: 'db', databases: ['octane_site'], serverBackupDir: 'D:\\b' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
});

describe('octane-backup CLI (built bundle)', () => {
  it('exits 2 and names the key when the config is invalid', async () => {
    const cfg = await writeConfig({
      profile: 'x',
      destination: '/tmp/x',
      repository: { path: '/r', format: 'rar' },
    });
    const r = spawnCli(['run', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('repository.format: must be one of "zip", "tar", "tar.gz".');
  });

  it('exits 2 with a hint about backslashes when the config is not JSON', async () => {
    const cfg = await writeConfig('{ "profile": "x", "destination": "C:\\octane" }');
    const r = spawnCli(['run', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not valid JSON.*backslashes/s);
  });

  it('exits 2 when a single backslash turned a Windows path into a control character', async () => {
    const cfg = await writeConfig(
      '{ "profile": "x", "destination": "C:\\backups", "repository": { "path": "/r" } }',
    );
    const r = spawnCli(['run', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'destination: contains a control character: in JSON, write each backslash of a Windows path twice',
    );
  });

  it('exits 2 for an unknown command or option, with usage', () => {
    expect(spawnCli(['backup']).code).toBe(2);
    const r = spawnCli(['run', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Usage:/);
  });

  it('exits 2 when the environment variable holding a password is missing', async () => {
    const cfg = await writeConfig({
      ...goodConfig(),
      database: { ...goodConfig().database, passwordEnv: 'NO_SUCH_VAR_OBM' },
    });
    const r = spawnCli(['run', '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'database.passwordEnv: names the environment variable NO_SUCH_VAR_OBM, which is not set',
    );
  });

  it('prints its version', () => {
    const r = spawnCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('octane-backup CLI commands (in process, test steps)', () => {
  it('run --json prints one JSON event per line, the last carrying the set paths; exit 0', async () => {
    const cfg = await writeConfig(goodConfig());
    const io = captureIo();
    const code = await runCommand(['--config', cfg, '--json'], io, {
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
        [],
      ),
    });
    expect(code).toBe(0);
    const events = io.lines.map((l) => JSON.parse(l) as RunEvent);
    const last = events.at(-1);
    expect(last?.type).toBe('run-finished');
    if (last?.type !== 'run-finished') throw new Error('unreachable');
    expect(last.status).toBe('succeeded');
    expect(last.setPaths[0]).toContain(join(dir.path, 'dest', 'nightly'));
    expect(existsSync(join(last.setPaths[0] as string, 'manifest.json'))).toBe(true);
  });

  it('run exits 1 when a step fails and 130 when cancelled', async () => {
    const cfg = await writeConfig(goodConfig());
    const failed = await runCommand(['--config', cfg], captureIo(), {
      steps: registry({ database: { kind: 'fail', code: 'X' } }, []),
    });
    expect(failed).toBe(1);
    const ac = new AbortController();
    const io = captureIo(ac.signal);
    io.out = (l) => {
      io.lines.push(l);
      if (l.startsWith('> ')) ac.abort();
    };
    const cancelled = await runCommand(['--config', cfg], io, {
      steps: registry({ database: { kind: 'wait-for-abort' } }, []),
    });
    expect(cancelled).toBe(130);
    expect(io.lines.join('\n')).toContain('Result: CANCELLED');
  });

  it('verify exits 0 on an intact set and 1 naming a damaged artifact; list shows both', async () => {
    const cfg = await writeConfig(goodConfig());
    const io = captureIo();
    await runCommand(['--config', cfg, '--json'], io, {
      steps: registry(
        { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
        [],
      ),
    });
    const fin = JSON.parse(io.lines.at(-1) as string) as { setPaths: string[] };
    const set = fin.setPaths[0] as string;
    const ok = captureIo();
    expect(await cli(['verify', set], ok)).toBe(0);
    expect(ok.lines.at(-1)).toMatch(/^OK: 3 artifact\(s\) intact/);
    const file = join(set, 'repository', 'repository.bin');
    const data = await readFile(file);
    data[0] = (data[0] as number) ^ 1;
    await writeFile(file, data);
    const bad = captureIo();
    expect(await cli(['verify', set], bad)).toBe(1);
    expect(bad.lines.join('\n')).toMatch(/ALTERED\s+repository\/repository\.bin/);
    const list = captureIo();
    expect(await cli(['list', join(dir.path, 'dest'), '--json'], list)).toBe(0);
    const sets = JSON.parse(list.lines[0] as string) as { status: string; complete: boolean }[];
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ status: 'succeeded', complete: true });
  });

  it('preflight exits 2 on a config problem and names it', async () => {
    const cfg = await writeConfig({ ...goodConfig(), skewToleranceSeconds: 'soon' });
    const io = captureIo();
    expect(await cli(['preflight', '--config', cfg], io)).toBe(2);
    // Named by the form's label and the config file's key, then what is wrong.
    expect(io.lines.join('\n')).toContain(
      '[FAIL] Skew tolerance (seconds) (skewToleranceSeconds): must be a number of at least 0.',
    );
  });
});

describe('verify of a set that leaves components out on purpose', () => {
  it('exits 0 and says plainly it is intact but NOT a full Octane backup; a damaged one still exits 1', async () => {
    const cfg = await writeConfig({
      profile: 'p',
      destination: join(dir.path, 'dest'),
      repository: { path: join(dir.path, 'repo') },
    });
    const io = captureIo();
    await runCommand(['--config', cfg, '--json'], io, {
      steps: registry({ repository: { kind: 'ok' } }, []),
    });
    const set = (JSON.parse(io.lines.at(-1) as string) as { setPaths: string[] }).setPaths[0] as string;
    const ok = captureIo();
    expect(await cli(['verify', set], ok)).toBe(0);
    expect(ok.lines.at(-1)).toMatch(
      /^INTACT: 1 artifact\(s\) match the manifest, but this is NOT a full Octane backup/,
    );
    await writeFile(join(set, 'repository', 'repository.bin'), 'tampered');
    const bad = captureIo();
    expect(await cli(['verify', set], bad)).toBe(1);
    expect(bad.lines.at(-1)).toMatch(/^DAMAGED OR INCOMPLETE/);
  });
});
