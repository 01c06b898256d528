// The Windows parts of removable media through stand-ins: PowerShell is not run here; its outputs
// (the JSON the scripts print, as recorded on Windows 10 / Server 2019 with PowerShell 5.1) are fed
// back through the injected command runner. Proved: the Eject verb result is read as "can be
// unplugged" or "still in use" with the holders; volume-arrival events lead to one action per
// drive connected; and the script run is the one PowerShell path with the expected verbs.
import { describe, expect, it } from 'vitest';
import type { DriveInfo } from '../../../src-main/contract/ui.js';
import { abortError, isAbortError } from '../../../src-main/engine/errors.js';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import {
  parseVolumeArrival,
  watchDrives,
  windowsVolumeSource,
} from '../../../src-main/engine/removable/drive-watcher.js';
import { ejectDrive } from '../../../src-main/engine/removable/eject.js';

/** A runner that answers each call with the next recorded output and keeps the scripts it was given. */
function standIn(outputs: { code?: number; stdout: string }[], whenDone?: AbortController) {
  const scripts: string[] = [];
  const files: string[] = [];
  const run: CommandRunner = (file, args) => {
    files.push(file);
    const enc = args[args.indexOf('-EncodedCommand') + 1] ?? '';
    scripts.push(Buffer.from(enc, 'base64').toString('utf16le'));
    const next = outputs.shift();
    if (!next) {
      // The recording is over: the watch is stopped as Cancel would stop it.
      whenDone?.abort();
      return Promise.reject(abortError());
    }
    return Promise.resolve({ code: next.code ?? 0, stdout: next.stdout, stderr: '' });
  };
  return { run, scripts, files };
}

describe('eject on Windows (stand-in: recorded PowerShell outputs)', () => {
  it('the Eject verb took the drive away: it can be unplugged', async () => {
    const s = standIn([{ stdout: '\uFEFF{"state":"gone","holders":[]}\r\n' }]);
    const r = await ejectDrive('e:\\', { platform: 'win32', run: s.run });
    expect(r).toMatchObject({ ejected: true, root: 'e:\\' });
    expect(r.message).toBe('E: was ejected: it can be unplugged now.');
    expect(s.files[0]).toMatch(/System32\\WindowsPowerShell\\v1\.0\\powershell\.exe$/);
    expect(s.scripts[0]).toContain("$drive = 'E:'");
    expect(s.scripts[0]).toContain("InvokeVerb('Eject')");
  });

  it('the drive is still there after the verb: still in use, with the processes that hold it', async () => {
    const s = standIn([{ stdout: '{"state":"present","holders":["EXCEL (pid 4242)"]}' }]);
    const r = await ejectDrive('F:\\', { platform: 'win32', run: s.run });
    expect(r).toMatchObject({ ejected: false, reason: 'busy', holders: ['EXCEL (pid 4242)'] });
    expect(r.message).toMatch(/F: is still in use and was not ejected: do not unplug it/);
    expect(r.fix).toMatch(/an Explorer window/);
  });

  it('no such drive, a folder instead of a drive, and PowerShell failing are each said', async () => {
    expect(
      (
        await ejectDrive('G:\\', {
          platform: 'win32',
          run: standIn([{ stdout: '{"state":"not-found"}' }]).run,
        })
      ).reason,
    ).toBe('not-found');
    expect((await ejectDrive('\\\\server\\share', { platform: 'win32', run: standIn([]).run })).reason).toBe(
      'not-found',
    );
    const failed = await ejectDrive('E:\\', {
      platform: 'win32',
      run: standIn([{ code: 1, stdout: '' }]).run,
    });
    expect(failed).toMatchObject({ ejected: false, reason: 'failed' });
    expect(failed.fix).toMatch(/Eject it from the system tray/);
  });
});

describe('volume arrival on Windows (stand-in: recorded Win32_VolumeChangeEvent outputs)', () => {
  it('parses an arrival, a timeout, and ignores a removal', () => {
    expect(parseVolumeArrival('{"arrived":true,"driveName":"E:","eventType":2}\r\n')).toEqual({
      arrived: true,
      driveName: 'E:',
    });
    expect(parseVolumeArrival('\uFEFF{"arrived":false}')).toEqual({ arrived: false });
    expect(parseVolumeArrival('{"arrived":true,"driveName":"E:","eventType":3}').arrived).toBe(false);
  });

  it('one action when the rotation drive arrives; none for other drives; none again while it stays', async () => {
    const ours: DriveInfo = {
      root: 'E:\\',
      removable: true,
      marker: {
        tool: 'octane-backup-manager',
        formatVersion: 1,
        id: 'AAAA-1',
        createdAt: '2026-01-01T00:00:00Z',
      },
    };
    const other: DriveInfo = {
      root: 'F:\\',
      removable: true,
      marker: {
        tool: 'octane-backup-manager',
        formatVersion: 1,
        id: 'BBBB-2',
        createdAt: '2026-01-01T00:00:00Z',
      },
    };
    // What the drive list says at each look: nothing; a foreign drive; ours arrives; ours stays.
    const looks: DriveInfo[][] = [[], [other], [other, ours], [ours]];
    const ac = new AbortController();
    const s = standIn(
      [
        { stdout: '{"arrived":false}' },
        { stdout: '{"arrived":true,"driveName":"F:","eventType":2}' },
        { stdout: '{"arrived":true,"driveName":"E:","eventType":2}' },
      ],
      ac,
    );
    const fired: string[] = [];
    const source = windowsVolumeSource(
      s.run,
      () => {
        const l = looks.shift();
        if (!l) ac.abort();
        return Promise.resolve(l ?? []);
      },
      30,
    );
    const err = await watchDrives(source, {
      ids: ['aaaa-1'],
      signal: ac.signal,
      onConnected: (d) => {
        fired.push(d.root);
        return Promise.resolve();
      },
    }).catch((e: unknown) => e);
    expect(fired).toEqual(['E:\\']);
    expect(isAbortError(err)).toBe(true);
    expect(s.scripts[0]).toContain('SELECT * FROM Win32_VolumeChangeEvent WHERE EventType = 2');
    expect(s.scripts[0]).toContain('Wait-Event -SourceIdentifier $id -Timeout 30');
  });
});
