// "Is Octane stopped?": the service through systemctl (Linux) or PowerShell (Windows) — their
// answers recorded, fed through the CommandRunner seam — and the URL against real sockets.
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { validateProfile, ConfigError } from '../../../src-main/engine/config/validate-profile.js';
import type { CommandRunner } from '../../../src-main/engine/os/run-command.js';
import { octaneState } from '../../../src-main/engine/restore-set/octane-state.js';

const base: Profile = { profile: 'p', destination: '/tmp/x', repository: { path: '/opt/octane/repo' } };
const signal = new AbortController().signal;

function runner(
  stdout: string,
  code = 0,
): { run: CommandRunner; calls: { file: string; args: readonly string[] }[] } {
  const calls: { file: string; args: readonly string[] }[] = [];
  return {
    calls,
    run: (file, args) => {
      calls.push({ file, args });
      return Promise.resolve({ code, stdout, stderr: '' });
    },
  };
}

describe('Octane service (recorded systemctl and PowerShell answers)', () => {
  it.each([
    [
      'LoadState=loaded\nActiveState=active\nSubState=running\n',
      'failed',
      /is active \(running\): Octane is running/,
    ],
    ['LoadState=loaded\nActiveState=activating\nSubState=start\n', 'failed', /activating/],
    ['LoadState=loaded\nActiveState=inactive\nSubState=dead\n', 'ok', /is inactive \(dead\)/],
    ['LoadState=loaded\nActiveState=failed\nSubState=failed\n', 'ok', /is failed/],
    ['LoadState=not-found\nActiveState=inactive\nSubState=dead\n', 'failed', /There is no service "octane"/],
  ])('systemd: %j is %s', async (stdout, status, message) => {
    const r = runner(stdout);
    const s = await octaneState({ ...base, octaneService: 'octane' }, signal, {
      runCommand: r.run,
      platform: 'linux',
      env: {},
    });
    expect(r.calls[0]).toEqual({
      file: 'systemctl',
      args: ['show', '--property=LoadState,ActiveState,SubState', '--', 'octane'],
    });
    expect(s.checks[0]?.status).toBe(status);
    expect(s.checks[0]?.message).toMatch(message);
    if (status === 'failed') expect(s.checks[0]?.fix).toBeTruthy();
    expect(s.confirmStopped).toBe(false);
  });

  it.each([
    ['Running\r\n', 'failed', /"ALM Octane" is Running/],
    ['StopPending\r\n', 'failed', /StopPending/],
    ['Stopped\r\n', 'ok', /is stopped/],
    ['MISSING\r\n', 'failed', /There is no service/],
  ])('Windows: Get-Service says %j: %s', async (stdout, status, message) => {
    const r = runner(stdout);
    const s = await octaneState({ ...base, octaneService: 'ALM Octane' }, signal, {
      runCommand: r.run,
      platform: 'win32',
      env: { SystemRoot: 'C:\\Windows' },
    });
    expect(r.calls[0]?.file).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    const script = Buffer.from(String(r.calls[0]?.args.at(-1)), 'base64').toString('utf16le');
    expect(script).toContain("Get-Service -Name 'ALM Octane'");
    expect(s.checks[0]?.status).toBe(status);
    expect(s.checks[0]?.message).toMatch(message);
  });

  it('a service state that cannot be read fails the check (not proven stopped)', async () => {
    const s = await octaneState({ ...base, octaneService: 'octane' }, signal, {
      runCommand: runner('', 1).run,
      platform: 'linux',
      env: {},
    });
    expect(s.checks[0]?.status).toBe('failed');
    expect(s.checks[0]?.message).toMatch(/cannot be read/);
  });

  it('the profile refuses a service name PowerShell or systemctl could misread', () => {
    expect(() => validateProfile({ ...base, octaneService: "octane'; Stop-Computer; '" })).toThrow(
      ConfigError,
    );
    expect(() => validateProfile({ ...base, octaneUrl: 'octane.example.com' })).toThrow(ConfigError);
    expect(
      validateProfile({ ...base, octaneService: 'octane@1.service', octaneUrl: 'https://o:8443' })
        .octaneService,
    ).toBe('octane@1.service');
  });
});

describe('Octane URL (real sockets)', () => {
  const deps = { runCommand: runner('').run, platform: 'linux' as const, env: {}, urlTimeoutMs: 500 };

  it('a port that accepts but never answers counts as not answering after the timeout; one that resets counts as answering', async () => {
    const silent = createTcpServer(() => undefined);
    const reset = createTcpServer((sock) => sock.destroy());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => reset.listen(0, '127.0.0.1', r));
    try {
      const a = await octaneState(
        { ...base, octaneUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` },
        signal,
        deps,
      );
      expect(a.checks[0]).toMatchObject({
        status: 'ok',
        message: expect.stringMatching(/no answer within/) as unknown,
      });
      const b = await octaneState(
        { ...base, octaneUrl: `http://127.0.0.1:${(reset.address() as AddressInfo).port}` },
        signal,
        deps,
      );
      expect(b.checks[0]?.status).toBe('failed');
    } finally {
      silent.close();
      reset.close();
    }
  });

  it('neither service nor URL: a warning, and the admin must confirm', async () => {
    const s = await octaneState(base, signal, deps);
    expect(s.confirmStopped).toBe(true);
    expect(s.checks).toEqual([expect.objectContaining({ id: 'octane.stopped', status: 'warning' })]);
  });
});
