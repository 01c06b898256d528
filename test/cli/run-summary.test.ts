// The CLI's run summary and `list` state the set's consistency window: its length on which clock
// against the tolerance, the capture mode, and each store's point.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../src-main/cli/cli.js';
import { createHumanPrinter } from '../../src-main/cli/run-printer.js';
import type { Manifest } from '../../src-main/contract/manifest.js';
import { captureIo } from '../support/cli-io.js';
import { tempDir } from '../support/temp.js';

const skew = {
  consistencyPoint: '2026-03-02T23:00:04.123+01:00',
  repositoryCaptureEnd: '2026-03-02T23:00:04.530+01:00',
  points: {
    database: '2026-03-02T23:00:04.123+01:00',
    elasticsearch: '2026-03-02T23:00:04.346+01:00',
    repository: '2026-03-02T23:00:04.530+01:00',
  },
  captureMode: 'bracketed' as const,
  windowSeconds: 0.407,
  toleranceSeconds: 900,
  withinTolerance: true,
  clock: 'database' as const,
};

describe('the consistency window in the CLI', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('obm-cli-window-');
  });
  afterEach(async () => dir.cleanup());

  it('the run summary gives the window on its clock against the tolerance, the capture mode and the points in order', () => {
    const io = captureIo();
    createHumanPrinter(io)({
      type: 'run-finished',
      runId: 'r',
      at: '2026-03-02T22:00:09.000Z',
      status: 'succeeded',
      setName: 's',
      setPaths: [],
      manifestPaths: [],
      skew,
      warnings: 0,
    });
    expect(io.lines).toContain(
      'Consistency window: 0.4 s on the database clock (tolerance 900 s) - within tolerance; repository capture bracketed',
    );
    expect(io.lines).toContain(
      'Points: database 2026-03-02T23:00:04.123+01:00, elasticsearch 2026-03-02T23:00:04.346+01:00, repository 2026-03-02T23:00:04.530+01:00',
    );
  });

  it("list shows each set's window (a tenth of a second below 10 s) and marks one over the tolerance", async () => {
    const base = join(dir.path, 'dest', 'p');
    const write = async (name: string, s: Partial<typeof skew>): Promise<void> => {
      await mkdir(join(base, name), { recursive: true });
      const m: Partial<Manifest> = {
        formatVersion: 1,
        tool: { name: 'octane-backup-manager', version: '0.1.0' },
        setName: name,
        setId: name.slice(-8),
        profile: 'p',
        kind: 'manual',
        pinned: false,
        host: 'h',
        status: 'succeeded',
        complete: true,
        startedAt: '2026-03-02T22:00:00.000Z',
        finishedAt: '2026-03-02T22:10:00.000Z',
        components: [],
        skew: { ...skew, ...s },
        warnings: [],
      };
      await writeFile(join(base, name, 'manifest.json'), JSON.stringify(m));
    };
    await write('20260302T220000Z-manual-aaaaaaaa', {});
    await write('20260303T220000Z-manual-bbbbbbbb', { windowSeconds: 1200, withinTolerance: false });
    const io = captureIo();
    expect(await cli(['list', join(dir.path, 'dest')], io)).toBe(0);
    expect(io.lines[0]).toContain('WINDOW');
    expect(io.lines.find((l) => l.includes('aaaaaaaa'))).toContain('  0.4s');
    expect(io.lines.find((l) => l.includes('bbbbbbbb'))).toContain('  1200s!');
  });
});
