import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_LOG_FILE } from '../../src-main/contract/manifest.js';
import { runHeadless } from '../../src-main/electron/headless-run.js';
import { tempDir } from '../support/temp.js';
import { makeCore } from './core-fixture.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-headless-');
});
afterEach(async () => {
  await tmp.cleanup();
});

const profile = () => ({
  profile: 'nightly',
  destination: join(tmp.path, 'dest'),
  repository: { path: join(tmp.path, 'repo') },
});

describe('headless run (--run <profile>), as scheduled tasks call it', () => {
  it('runs the engine, leaves the set run log, appends one line to the app log and exits 0', async () => {
    const { core, handlers, notes } = makeCore({ dir: tmp.path, steps: { repository: { kind: 'ok' } } });
    await handlers['profiles:save']({ profile: profile() });
    const logFile = join(tmp.path, 'logs', 'headless-runs.log');
    const lines: string[] = [];
    const code = await runHeadless(
      { mode: 'headless', profile: 'nightly', kind: 'scheduled' },
      { core, logFile, signal: new AbortController().signal, print: (l) => lines.push(l) },
    );
    expect(code).toBe(0);
    const log = await readFile(logFile, 'utf8');
    expect(log).toMatch(
      /^\S+Z profile="nightly" kind=scheduled status=succeeded-with-warnings exit=0 set="[^"]+"\n$/,
    );
    const setPath = /set="([^"]+)"/.exec(log)?.[1] ?? '';
    await expect(access(join(setPath, RUN_LOG_FILE))).resolves.toBeUndefined();
    expect(lines.some((l) => l.startsWith('Backup ') && l.includes('started'))).toBe(true);
    expect(notes[0]?.title).toBe('Backup of nightly succeeded with warnings');
  });

  it('exits 1 when a step fails and records the error code in the log', async () => {
    const { core, handlers } = makeCore({
      dir: tmp.path,
      steps: { repository: { kind: 'fail', code: 'SOURCE_GONE' } },
    });
    await handlers['profiles:save']({ profile: profile() });
    const logFile = join(tmp.path, 'h.log');
    expect(
      await runHeadless(
        { mode: 'headless', profile: 'nightly', kind: 'manual' },
        { core, logFile, signal: new AbortController().signal },
      ),
    ).toBe(1);
    expect(await readFile(logFile, 'utf8')).toContain('status=failed exit=1 set="');
  });

  it('exits 130 when cancelled (Ctrl-C / task stopped)', async () => {
    const { core, handlers } = makeCore({ dir: tmp.path, steps: { repository: { kind: 'wait-for-abort' } } });
    await handlers['profiles:save']({ profile: profile() });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const code = await runHeadless(
      { mode: 'headless', profile: 'nightly', kind: 'scheduled' },
      { core, logFile: join(tmp.path, 'h.log'), signal: ac.signal },
    );
    expect(code).toBe(130);
  });

  it('exits 2 for an unknown profile and still writes the line that says the backup did not run', async () => {
    const { core, notes } = makeCore({ dir: tmp.path });
    const logFile = join(tmp.path, 'h.log');
    const code = await runHeadless(
      { mode: 'headless', profile: 'nope', kind: 'scheduled' },
      { core, logFile, signal: new AbortController().signal },
    );
    expect(code).toBe(2);
    expect(await readFile(logFile, 'utf8')).toMatch(
      /profile="nope" kind=scheduled status=not-started exit=2 error=PROFILE_NOT_FOUND: There is no profile named "nope"\./,
    );
    expect(notes[0]?.title).toBe('Backup of nope did not start');
  });

  it('exits 1 when the backup drive is not connected', async () => {
    const { core, handlers } = makeCore({ dir: tmp.path });
    await handlers['profiles:save']({
      profile: profile(),
      volumes: { default: { volumeId: 'abc', relativePath: '', lastRoot: join(tmp.path, 'dest') } },
    });
    const logFile = join(tmp.path, 'h.log');
    expect(
      await runHeadless(
        { mode: 'headless', profile: 'nightly', kind: 'scheduled' },
        { core, logFile, signal: new AbortController().signal },
      ),
    ).toBe(1);
    expect(await readFile(logFile, 'utf8')).toContain('error=VOLUME_NOT_CONNECTED');
  });
});
