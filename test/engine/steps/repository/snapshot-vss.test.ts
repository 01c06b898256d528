// Snapshot mode on Windows, through a stand-in: PowerShell's output in the exact shape the scripts
// print (fixtures/vss/README.md says how it was made), fed through the injected CommandRunner. It
// proves the commands sent (PowerShell by full path, CIM's Win32_ShadowCopy.Create with context
// ClientAccessible, never wmic or vssadmin), the journal written before the shadow copy is used,
// the retries of codes 9 and 12, the fixes for codes 1, 6, 8, 9 and 12, the refusal of a share
// with the proposal of bracketed capture, the elevation check, and the removal of our leftovers only.
import { mkdir, readFile } from 'node:fs/promises';
import { join, win32 } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExpectedError } from '../../../../src-main/engine/errors.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import type { CommandRunner } from '../../../../src-main/engine/os/run-command.js';
import { repositorySettings } from '../../../../src-main/engine/steps/repository/config.js';
import { removeLeftovers } from '../../../../src-main/engine/steps/repository/snapshot/choose.js';
import { SnapshotJournal } from '../../../../src-main/engine/steps/repository/snapshot/journal.js';
import { snapshotCheck } from '../../../../src-main/engine/steps/repository/snapshot/preflight.js';
import type { SnapshotEnv } from '../../../../src-main/engine/steps/repository/snapshot/provider.js';
import { vssLinkOf, vssProvider } from '../../../../src-main/engine/steps/repository/snapshot/vss.js';
import { tempDir } from '../../../support/temp.js';

const ID = '{7C8D0E1F-2A3B-4C5D-8E9F-0A1B2C3D4E5F}';
const fixture = (name: string): Promise<string> =>
  readFile(join(import.meta.dirname, 'fixtures', 'vss', name), 'utf8');

interface Call {
  file: string;
  args: readonly string[];
  script: string;
}

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir('obm-vss-');
});
afterEach(async () => dir.cleanup());

/** A Windows stand-in: each script kind answers with the next queued fixture. */
async function standIn(answers: { facts?: string; create?: string[]; delete?: string[] }) {
  const calls: Call[] = [];
  const waits: number[] = [];
  const links: { made: [string, string][]; removed: string[] } = { made: [], removed: [] };
  const queue = {
    facts: answers.facts ? [await fixture(answers.facts)] : [],
    create: await Promise.all((answers.create ?? []).map(fixture)),
    delete: await Promise.all((answers.delete ?? ['delete-deleted.txt']).map(fixture)),
  };
  const run: CommandRunner = (file, args) => {
    const script = Buffer.from(args[args.length - 1] ?? '', 'base64').toString('utf16le');
    calls.push({ file, args, script });
    const kind = script.includes('WindowsPrincipal')
      ? 'facts'
      : script.includes('-MethodName Create')
        ? 'create'
        : 'delete';
    const out = queue[kind].shift();
    if (out === undefined) throw new Error(`stand-in: no answer left for ${kind}`);
    return Promise.resolve({ code: 0, stdout: out, stderr: '' });
  };
  const journal = new SnapshotJournal(join(dir.path, 'profile', '.octane-backup-snapshots.json'));
  const env: SnapshotEnv = {
    platform: 'win32',
    run,
    env: { SystemRoot: 'C:\\Windows', ProgramData: 'C:\\ProgramData' },
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    linkDir: join(dir.path, 'links'),
    link: {
      create: async (target, path) => {
        // The journal holds the shadow copy before anything reads it.
        const journaled = await journal.entries();
        expect(journaled.map((e) => e.id)).toEqual([ID]);
        links.made.push([target, path]);
      },
      remove: (path) => {
        links.removed.push(path);
        return Promise.resolve();
      },
    },
  };
  const provider = vssProvider({
    configured: 'C:\\octane\\repo',
    root: 'C:\\octane\\repo',
    name: 'octane-backup-set',
    setName: '20260302T220000Z-scheduled-1a2b3c4d',
    journal,
    snapshotDir: undefined,
    lvmSnapshotSize: undefined,
    env,
  });
  return { provider, calls, waits, links, journal, env };
}

const signal = new AbortController().signal;
const caught = async (p: Promise<unknown>): Promise<ExpectedError> => {
  try {
    await p;
  } catch (err) {
    return err as ExpectedError;
  }
  throw new Error('expected an error');
};

describe("Volume Shadow Copy (stand-in: PowerShell output in the scripts' shape)", () => {
  it('creates a ClientAccessible shadow copy of the volume through CIM, journals its ID before use, reads through a link and deletes it', async () => {
    const s = await standIn({ facts: 'facts-elevated.json', create: ['create-0.txt'] });
    await s.provider.prepare(signal);
    await mkdir(join(dir.path, 'links'), { recursive: true });
    const view = await s.provider.freeze(signal);
    const link = win32.join(join(dir.path, 'links'), '7C8D0E1F-2A3B-4C5D-8E9F-0A1B2C3D4E5F');
    expect(s.links.made).toEqual([['\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy12\\', link]]);
    expect(view.root).toBe(win32.join(link, 'octane\\repo'));
    expect(view.facts).toMatchObject({
      method: 'vss',
      id: ID,
      volume: 'C:\\',
      installDate: '2026-03-02T22:00:04.1870000Z',
    });
    for (const c of s.calls) {
      expect(c.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
      expect(c.args.slice(0, 4)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass']);
      expect(c.script).not.toMatch(/wmic|vssadmin/i);
    }
    expect(s.calls[1]?.script).toContain(
      "Invoke-CimMethod -ClassName Win32_ShadowCopy -MethodName Create -Arguments @{ Volume = 'C:\\'; Context = 'ClientAccessible' }",
    );
    await view.release();
    expect(s.links.removed).toEqual([link]);
    expect(s.calls[2]?.script).toContain(`Get-CimInstance Win32_ShadowCopy -Filter "ID='${ID}'"`);
    expect(s.calls[2]?.script).toContain('Remove-CimInstance');
    expect(await s.journal.entries()).toEqual([]);
  });

  it('picks the longest volume mount path that holds the folder (a volume mounted in a folder)', async () => {
    const s = await standIn({ facts: 'facts-elevated.json', create: ['create-0.txt'] });
    const p = vssProvider(inputFor(s, 'D:\\mnt\\octane\\repo'));
    await p.prepare(signal);
    await mkdir(join(dir.path, 'links'), { recursive: true });
    const view = await p.freeze(signal);
    expect(s.calls[1]?.script).toContain("Volume = 'D:\\mnt\\octane\\'");
    expect(view.root.endsWith('\\repo')).toBe(true);
  });

  it('code 9 (another shadow copy in progress): waits 5 s, then 10 s, and succeeds', async () => {
    const s = await standIn({
      facts: 'facts-elevated.json',
      create: ['create-9.txt', 'create-9.txt', 'create-0.txt'],
    });
    await s.provider.prepare(signal);
    await mkdir(join(dir.path, 'links'), { recursive: true });
    const view = await s.provider.freeze(signal);
    expect(s.waits).toEqual([5_000, 10_000]);
    expect(view.facts.id).toBe(ID);
  });

  it('code 12 (provider failure) four times: retried three times, then the error names the event log and the service to restart', async () => {
    const s = await standIn({ facts: 'facts-elevated.json', create: Array(4).fill('create-12.txt') });
    await s.provider.prepare(signal);
    const e = await caught(s.provider.freeze(signal));
    expect(s.waits).toEqual([5_000, 10_000, 10_000]);
    expect(e.code).toBe('VSS_PROVIDER_FAILURE');
    expect(e.message).toContain('returned 12, 4 attempts');
    expect(e.fix).toContain('"Volume Shadow Copy" service');
    expect(await s.journal.entries()).toEqual([]);
  });

  it('code 9 that never clears: the error says another program holds VSS and to move a schedule', async () => {
    const s = await standIn({ facts: 'facts-elevated.json', create: Array(4).fill('create-9.txt') });
    await s.provider.prepare(signal);
    const e = await caught(s.provider.freeze(signal));
    expect(e.code).toBe('VSS_IN_PROGRESS');
    expect(e.fix).toContain('Move one of the two schedules');
  });

  it.each([
    ['create-1.txt', 'VSS_ACCESS_DENIED', 'with highest privileges'],
    ['create-6.txt', 'VSS_INSUFFICIENT_STORAGE', 'vssadmin resize shadowstorage'],
    ['create-8.txt', 'VSS_MAX_SHADOW_COPIES', 'vssadmin delete shadows'],
  ])('%s: no retry, error %s with its fix', async (file, code, fix) => {
    const s = await standIn({ facts: 'facts-elevated.json', create: [file] });
    await s.provider.prepare(signal);
    const e = await caught(s.provider.freeze(signal));
    expect(s.waits).toEqual([]);
    expect(e.code).toBe(code);
    expect(e.fix).toContain(fix);
  });

  it('a shadow copy made whose device cannot be read is journaled, so the next run deletes it', async () => {
    const s = await standIn({ facts: 'facts-elevated.json', create: ['create-0-no-device.txt'] });
    await s.provider.prepare(signal);
    const e = await caught(s.provider.freeze(signal));
    expect(e.code).toBe('VSS_DEVICE_UNKNOWN');
    expect((await s.journal.entries()).map((x) => x.id)).toEqual([ID]);
  });

  it('not elevated: refused before the database starts, with the fix (elevated task, or bracketed)', async () => {
    const s = await standIn({ facts: 'facts-not-elevated.json' });
    const e = await caught(s.provider.prepare(signal));
    expect(e.code).toBe('VSS_NOT_ELEVATED');
    expect(e.fix).toContain('Run as administrator');
    expect(e.fix).toContain('"bracketed"');
  });

  it('a share (UNC path, or a drive letter mapped to one) is refused with the proposal of bracketed capture', async () => {
    const mapped = await standIn({ facts: 'facts-mapped-share.json' });
    const p = vssProvider(inputFor(mapped, 'Z:\\repo'));
    const e = await caught(p.prepare(signal));
    expect(e.code).toBe('SNAPSHOT_ON_SHARE');
    expect(e.message).toContain('\\\\fs01\\octane');
    expect(e.fix).toContain('repository.capture "bracketed"');
    const unc = await standIn({ facts: 'facts-elevated.json' });
    const e2 = await caught(vssProvider(inputFor(unc, '\\\\fs01\\octane\\repo')).prepare(signal));
    expect(e2.code).toBe('SNAPSHOT_ON_SHARE');
  });

  it('the preflight says the same as a warning (a run would archive live), with the fix', async () => {
    const s = await standIn({ facts: 'facts-not-elevated.json' });
    const settings = repositorySettings({
      profile: 'p',
      destination: dir.path,
      repository: { path: 'C:\\octane\\repo', capture: 'snapshot', snapshotMethod: 'vss' },
    });
    const c = await snapshotCheck(settings, 'C:\\octane\\repo', signal, {}, s.env);
    expect(c.status).toBe('warning');
    expect(c.message).toContain('not elevated');
    expect(c.fix).toContain('with highest privileges');
  });

  it('deletes a shadow copy a crashed run journaled (by its ID only), and keeps it journaled when it cannot', async () => {
    const s = await standIn({ delete: ['delete-deleted.txt'] });
    const link = vssLinkOf(s.env, ID);
    await s.journal.add({
      method: 'vss',
      id: ID,
      volume: 'C:\\',
      link,
      setName: 'old',
      createdAt: '2026-03-01T22:00:00Z',
    });
    const warnings: string[] = [];
    await removeLeftovers(s.journal, s.env, silentLogger, (m) => warnings.push(m));
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]?.script).toContain(`ID='${ID}'`);
    expect(s.links.removed).toEqual([link]);
    expect(await s.journal.entries()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('leaves alone a journal entry whose link is not one of ours (planted on the destination): no delete, no link removed, dropped with a warning', async () => {
    const s = await standIn({});
    await s.journal.add({
      method: 'vss',
      id: ID,
      volume: 'C:\\',
      link: 'C:\\Users\\admin\\Documents',
      setName: 'old',
      createdAt: '2026-03-01T22:00:00Z',
    });
    const warnings: string[] = [];
    await removeLeftovers(s.journal, s.env, silentLogger, (m) => warnings.push(m));
    expect(s.calls).toEqual([]);
    expect(s.links.removed).toEqual([]);
    expect(await s.journal.entries()).toEqual([]);
    expect(warnings.join('\n')).toMatch(
      /that this tool did not make \(C:\\Users\\admin\\Documents is not where/,
    );
  });
});

function inputFor(s: Awaited<ReturnType<typeof standIn>>, path: string) {
  return {
    configured: path,
    root: path,
    name: 'octane-backup-set',
    setName: 'set',
    journal: s.journal,
    snapshotDir: undefined,
    lvmSnapshotSize: undefined,
    env: s.env,
  };
}
