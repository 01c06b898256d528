// `octane-backup rehearse`: a rehearsal through the CLI with --json, and a rehearsal killed with
// SIGKILL mid-way (the real built CLI in a child process) whose leftovers `rehearse --cleanup`
// removes from the journal — and only those. SQL Server: TDS stand-in; repository: real folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../src-main/cli/cli.js';
import { IN_PROGRESS_MARKER } from '../../src-main/contract/manifest.js';
import type { RehearsalRecord } from '../../src-main/contract/sets.js';
import { acquireProfileLock } from '../../src-main/engine/lock.js';
import { cliRehearsalCommand } from '../../src-main/engine/schedule/scheduled-command.js';
import { captureIo } from '../support/cli-io.js';
import { installation, type Installation } from '../support/restore/installation.js';
import { snapshotTree } from '../support/trees/snapshot.js';

const CLI = join(import.meta.dirname, '../../dist-cli/octane-backup.mjs');

async function setup(large = false): Promise<{ i: Installation; cfg: string; scratch: string }> {
  const i = await installation({ large });
  const db = i.profile.database;
  const cfg = join(i.setPath, '..', '..', 'rehearsal-profile.json');
  await writeFile(cfg, JSON.stringify({ ...i.profile, database: { ...db, rehearsalDir: 'S:\\Rehearsal' } }));
  const scratch = join(i.setPath, '..', '..', 'scratch');
  await mkdir(scratch);
  return { i, cfg, scratch };
}

const jsonLines = (lines: string[]): Record<string, unknown>[] =>
  lines
    .join('\n')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('octane-backup rehearse (SQL Server: TDS stand-in; repository: real folder)', () => {
  it('TDS stand-in: --json streams the stages and ends with the record; exit 0; the live stores untouched, nothing left', async () => {
    const { i, cfg, scratch } = await setup();
    const live = await snapshotTree(i.repo);
    const io = captureIo();
    const code = await cli(['rehearse', i.setPath, '--config', cfg, '--scratch', scratch, '--json'], io);
    const events = jsonLines(io.lines);
    expect(code, io.lines.join('\n')).toBe(0);
    expect(events.filter((e) => e.type === 'stage-started').map((e) => e.stage)).toEqual([
      'database',
      'repository',
    ]);
    const last = events.at(-1) as { type: string; record: RehearsalRecord };
    expect(last.type).toBe('rehearsal-finished');
    expect(last.record.result).toBe('passed');
    expect(last.record.stores.map((s) => [s.id, s.status])).toEqual([
      ['database', 'passed'],
      ['elasticsearch', 'not-run'],
      ['repository', 'passed'],
    ]);
    expect(i.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001']);
    expect(await snapshotTree(i.repo)).toEqual(live);
    expect(await readdir(scratch)).toEqual([]);
    const io2 = captureIo();
    expect(await cli(['rehearse', i.setPath, '--config', cfg, '--cleanup'], io2)).toBe(0);
    expect(io2.lines.join('\n')).toContain('nothing to remove');
    // `list` says when each set was last rehearsed.
    const list = captureIo();
    expect(await cli(['list', i.profile.destination], list)).toBe(0);
    expect(list.lines.join('\n')).toMatch(
      /\n {36}Restore rehearsed on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: OK, \d+ s/,
    );
  });

  it('TDS stand-in: --newest rehearses the newest usable set of the profile, passing over a newer unfinished one', async () => {
    const { i, cfg, scratch } = await setup();
    // A newer set folder that a run is still writing (or left when it crashed): never rehearsed.
    const unfinished = join(i.setPath, '..', '29991231T235959Z-scheduled-abcdef12');
    await mkdir(unfinished);
    await writeFile(join(unfinished, IN_PROGRESS_MARKER), 'run abcdef12\n');
    const io = captureIo();
    const code = await cli(['rehearse', '--newest', '--config', cfg, '--scratch', scratch, '--json'], io);
    expect(code, io.lines.join('\n')).toBe(0);
    const events = jsonLines(io.lines);
    expect(events[0]).toMatchObject({ type: 'set-chosen', setName: basename(i.setPath), setPath: i.setPath });
    expect(events.at(-1)).toMatchObject({ type: 'rehearsal-finished', record: { result: 'passed' } });
    expect(existsSync(join(i.setPath, 'rehearsal.json'))).toBe(true);
    expect(existsSync(join(unfinished, 'rehearsal.json'))).toBe(false);
  });

  it('TDS stand-in: --newest with no usable set exits 2, says so and how to fix it, and rehearses nothing', async () => {
    const { i, cfg, scratch } = await setup();
    // The only set's run failed: not a usable backup.
    const manifest = join(i.setPath, 'manifest.json');
    const m = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, unknown>;
    await writeFile(manifest, JSON.stringify({ ...m, status: 'failed', complete: false }));
    const io = captureIo();
    const code = await cli(['rehearse', '--newest', '--config', cfg, '--scratch', scratch], io);
    expect(code, [...io.lines, ...io.errors].join('\n')).toBe(2);
    expect(io.errors.join('\n')).toMatch(
      /^Not rehearsed: The profile "[^"]+" has no usable set to rehearse \(1 set found, none complete, undamaged and finished\)\.\nFix: Run a backup of the profile/,
    );
    expect(existsSync(join(i.setPath, 'rehearsal.json'))).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
    expect(i.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001']);
  });

  it("TDS stand-in: the weekly job's own command line, run as a process, rehearses the newest usable set and records it in that set", async () => {
    const { i, cfg, scratch } = await setup();
    // Exactly what the scheduled task or systemd unit runs (no --scratch: the system's temp folder).
    const job = cliRehearsalCommand(cfg, CLI, process.execPath, 'linux');
    expect(job.args.slice(1)).toEqual(['rehearse', '--newest', '--config', cfg]);
    const child = spawn(job.program, job.args, {
      cwd: job.workingDirectory,
      env: { ...process.env, TMPDIR: scratch },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(code, out).toBe(0);
    expect(out).toContain(`Rehearsing the newest usable set of profile "${i.profile.profile}": ${i.setPath}`);
    expect(out).toMatch(/Rehearsal PASSED in /);
    const records = JSON.parse(await readFile(join(i.setPath, 'rehearsal.json'), 'utf8')) as unknown;
    expect(JSON.stringify(records)).toContain('"result":"passed"');
    expect(await readdir(scratch)).toEqual([]);
  });

  it('refuses a set folder together with --newest (exit 2)', async () => {
    const io = captureIo();
    expect(await cli(['rehearse', 'some-set', '--newest', '--config', 'x.json'], io)).toBe(2);
    expect(io.errors.join('')).toContain('either a set folder or --newest, not both');
  });

  it('TDS stand-in: refuses the live repository folder as scratch target (exit 2, names the fix)', async () => {
    const { i, cfg } = await setup();
    const io = captureIo();
    expect(await cli(['rehearse', i.setPath, '--config', cfg, '--scratch', i.repo], io)).toBe(2);
    expect(io.errors.join('')).toMatch(
      /never restores into the live installation[\s\S]*Fix: Give a scratch folder outside/,
    );
  });

  it('TDS stand-in: a scratch target that fails its preflight (no database.rehearsalDir) exits 2 naming the fix, rehearses and records nothing', async () => {
    const { i, scratch } = await setup();
    const cfg = join(i.setPath, '..', '..', 'no-rehearsal-dir.json');
    await writeFile(cfg, JSON.stringify(i.profile));
    const io = captureIo();
    expect(await cli(['rehearse', i.setPath, '--config', cfg, '--scratch', scratch], io)).toBe(2);
    expect(io.errors.join('')).toMatch(
      /^Not rehearsed: Nothing was rehearsed: 1 check\(s\) of the scratch targets failed\./,
    );
    expect(io.errors.join('')).toContain('Set database.rehearsalDir');
    expect(existsSync(join(i.setPath, 'rehearsal.json'))).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('TDS stand-in: a second rehearsal or cleanup of a set while one runs is refused (exit 2): it would take the live journal for a crashed one', async () => {
    const { i, cfg, scratch } = await setup();
    const reports = join(i.setPath, 'restore-reports');
    await mkdir(reports, { recursive: true });
    const held = await acquireProfileLock(join(reports, '.rehearsal.lock'), 'running1', 'octane-prod');
    try {
      for (const extra of [['--scratch', scratch], ['--cleanup']]) {
        const io = captureIo();
        expect(await cli(['rehearse', i.setPath, '--config', cfg, ...extra], io)).toBe(2);
        expect(io.errors.join('')).toContain('A rehearsal of this set is running: nothing was started.');
      }
    } finally {
      await held.release();
    }
    expect(await readdir(scratch)).toEqual([]);
    expect(await cli(['rehearse', i.setPath, '--config', cfg, '--scratch', scratch], captureIo())).toBe(0);
  });

  it('TDS stand-in: killed (SIGKILL) while extracting the repository, then --cleanup removes exactly the journaled scratch folder; a look-alike survives', async () => {
    const { i, cfg, scratch } = await setup(true);
    const child = spawn(
      process.execPath,
      [CLI, 'rehearse', i.setPath, '--config', cfg, '--scratch', scratch, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('close', (_c, sig) => res(sig)));
    let out = '';
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/"type":"stage-progress"[^\n]*"stage":"repository"[^\n]*"fraction":0\.[1-9]/.test(out)) res();
      });
      child.on('close', () => rej(new Error(`the rehearsal ended before it could be killed:\n${out}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The crash left its journal and its half-extracted scratch folder.
    const reports = join(i.setPath, 'restore-reports');
    const journals = (await readdir(reports)).filter((f) => f.endsWith('.journal.jsonl'));
    expect(journals).toHaveLength(1);
    const left = await readdir(scratch);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^octane-rehearsal-[0-9a-f]+-[0-9a-f]+$/);
    // Someone's folder named like a rehearsal's, not in any journal: never touched.
    const lookAlike = join(scratch, `octane-rehearsal-${i.setPath.slice(-8)}-feedf00d`);
    await mkdir(lookAlike);
    const io = captureIo();
    const code = await cli(['rehearse', i.setPath, '--config', cfg, '--cleanup', '--json'], io);
    expect(code, io.lines.join('\n')).toBe(0);
    const c = JSON.parse(io.lines.join('')) as { removed: string[]; failed: unknown[] };
    expect(c.removed).toEqual([`${join(scratch, left[0] ?? '')} (folder)`]);
    expect(c.failed).toEqual([]);
    expect(await readdir(scratch)).toEqual([`octane-rehearsal-${i.setPath.slice(-8)}-feedf00d`]);
    expect((await readdir(reports)).filter((f) => f.endsWith('.journal.jsonl'))).toEqual([]);
    // A killed rehearsal proved nothing: no record claims it.
    expect(existsSync(join(i.setPath, 'rehearsal.json'))).toBe(false);
    // The live stores are as they were.
    expect(i.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', 'octane_sp_1001']);
  }, 120_000);
});
