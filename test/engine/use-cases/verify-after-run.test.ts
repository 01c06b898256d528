// "Verify after every run" (profile.verifyAfterRun): the backup use-case verifies the new set after
// the run and before retention; a set found damaged stops the prune, raises a problem and makes the
// CLI exit 1. The damage is done between the run's end and the verify (at run-finished), as a bad
// disk or cable would.
import { access, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-main/contract/events.js';
import { VERIFICATION_FILE } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import { runCommand } from '../../../src-main/cli/commands/run.js';
import { backUp } from '../../../src-main/engine/use-cases/back-up.js';
import { hoursAgo, writeSet } from '../retention/set-tree.js';
import { captureIo } from '../../support/cli-io.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';

const exists = (p: string): Promise<boolean> =>
  promisify(access)(p).then(
    () => true,
    () => false,
  );
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-vafter-');
});
afterEach(async () => dir.cleanup());

const profile = (): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'dest'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
  repository: { path: join(dir.path, 'repo') },
  verifyAfterRun: true,
  retention: { keepLast: 1, pruneAfterRun: true },
});
const steps = () =>
  registry({ database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } }, []);

/** Flips a byte of the new set's repository file the moment the run has finished. */
const damageAtFinish =
  (on: boolean) =>
  (e: RunEvent): void => {
    if (!on || e.type !== 'run-finished') return;
    const file = join(e.setPaths[0] as string, 'repository', 'repository.bin');
    const b = readFileSync(file);
    b[0] = (b[0] ?? 0) ^ 0xff;
    writeFileSync(file, b);
  };

describe('verify after every run', () => {
  it('verifies the new set before retention, leaves its record, and then prunes (never the new set)', async () => {
    const p = profile();
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(new Date(), 48) });
    const notes: string[] = [];
    const outcome = await backUp(
      { profile: p, kind: 'scheduled', signal: new AbortController().signal, onNote: (m) => notes.push(m) },
      { steps: steps(), alerts: { platform: 'linux' } },
    );
    if (!outcome.started) throw new Error('not started');
    expect(outcome.verification?.verdict).toBe('intact');
    expect(notes).toContain('Verify after the run: 3 file(s) intact.');
    expect(await exists(join(outcome.result.setPaths[0] as string, VERIFICATION_FILE))).toBe(true);
    expect(outcome.after.prune?.outcome?.deleted).toEqual(old.paths);
  });

  it('a new set found damaged stops the prune, is a problem, and makes the CLI exit 1', async () => {
    const p = profile();
    const old = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(new Date(), 48) });
    const outcome = await backUp(
      { profile: p, kind: 'scheduled', signal: new AbortController().signal, onEvent: damageAtFinish(true) },
      { steps: steps(), alerts: { platform: 'linux' } },
    );
    if (!outcome.started) throw new Error('not started');
    expect(outcome.result.status).toBe('succeeded');
    expect(outcome.verification?.verdict).toBe('damaged');
    expect(outcome.after.prune).toEqual({
      pruned: false,
      reason: 'Verify found the new set damaged; older sets are kept.',
    });
    expect(outcome.after.problems.join('\n')).toMatch(
      /Verify after the run found the new set DAMAGED: .*ALTERED/,
    );
    expect(await exists(old.paths[0] as string)).toBe(true);

    const cfg = join(dir.path, 'nightly.json');
    await writeFile(cfg, JSON.stringify(p));
    const io = captureIo();
    const code = await runCommand(['--config', cfg], io, { steps: steps(), alerts: { platform: 'linux' } });
    expect(code).toBe(0);
    const bad = captureIo();
    // The CLI's run with the damage: exit 1 although the run itself succeeded.
    const failing = await runCommand(['--config', cfg, '--json'], bad, {
      steps: steps(),
      alerts: { platform: 'linux' },
      runBackup: async (prof, opts) => {
        const { runBackup } = await import('../../../src-main/engine/run-backup.js');
        return runBackup(prof, { ...opts, onEvent: (e) => (opts?.onEvent?.(e), damageAtFinish(true)(e)) });
      },
    });
    expect(failing).toBe(1);
    expect(bad.errors.join('\n')).toMatch(/Verify after the run: the new set is DAMAGED/);
  });
});
