// "Is Octane stopped?" before a restore touches anything: a running Octane writes to the database
// between the restore's statements and recreates an Elasticsearch index between its delete and its
// restore. The profile may name Octane's service (Windows service or systemd unit on this machine)
// and its URL; each is checked. With neither, the admin has to confirm it (readinessOf).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Profile } from '../../contract/profile.js';
import type { RestoreCheck } from '../../contract/restore-run.js';
import { isAbortError } from '../errors.js';
import { powershellCommand } from '../os/powershell.js';
import type { CommandRunner } from '../os/run-command.js';

export interface OctaneProbeDeps {
  runCommand: CommandRunner;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** How long the URL may take to answer before it counts as not answering, ms. */
  urlTimeoutMs?: number;
}

export interface OctaneState {
  checks: RestoreCheck[];
  /** Nothing could be checked: the admin must confirm. */
  confirmStopped: boolean;
}

export async function octaneState(
  profile: Profile,
  signal: AbortSignal,
  deps: OctaneProbeDeps,
): Promise<OctaneState> {
  const checks: RestoreCheck[] = [];
  if (profile.octaneService) checks.push(await serviceCheck(profile.octaneService, signal, deps));
  if (profile.octaneUrl) checks.push(await urlCheck(profile.octaneUrl, signal, deps.urlTimeoutMs ?? 5000));
  if (checks.length === 0)
    checks.push({
      id: 'octane.stopped',
      scope: 'octane',
      title: 'Octane stopped',
      status: 'warning',
      message:
        'The profile names neither the Octane service nor its URL, so the tool cannot check that Octane is stopped.',
      fix: 'Stop Octane on every node (and the Synchronizer) and confirm it; or add octaneService and octaneUrl to the profile so the tool checks it.',
    });
  return { checks, confirmStopped: !profile.octaneService && !profile.octaneUrl };
}

const SERVICE_TITLE = 'Octane service stopped';

async function serviceCheck(name: string, signal: AbortSignal, deps: OctaneProbeDeps): Promise<RestoreCheck> {
  const base = { id: 'octane.service', scope: 'octane' as const, title: SERVICE_TITLE };
  let state: { found: boolean; running: boolean; text: string };
  try {
    state =
      deps.platform === 'win32'
        ? await windowsService(name, signal, deps)
        : await systemdUnit(name, signal, deps);
  } catch (err) {
    if (isAbortError(err)) throw err;
    return {
      ...base,
      status: 'failed',
      message: `The state of the service "${name}" cannot be read (${(err as Error).message}).`,
      fix: 'Run the restore on the Octane server as an account that may query services, or check by hand that Octane is stopped and remove octaneService from the profile.',
    };
  }
  if (!state.found)
    return {
      ...base,
      status: 'failed',
      message: `There is no service "${name}" on this machine, so it cannot be checked.`,
      fix: 'Run the restore on the Octane server, or correct octaneService in the profile (the Windows service name or systemd unit of Octane).',
    };
  return state.running
    ? {
        ...base,
        status: 'failed',
        message: `The service "${name}" is ${state.text}: Octane is running.`,
        fix:
          deps.platform === 'win32'
            ? `Stop it (Stop-Service -Name '${name}') on every Octane node, then check again.`
            : `Stop it (systemctl stop ${name}) on every Octane node, then check again.`,
      }
    : { ...base, status: 'ok', message: `The service "${name}" is ${state.text}.` };
}

async function windowsService(
  name: string,
  signal: AbortSignal,
  deps: OctaneProbeDeps,
): Promise<{ found: boolean; running: boolean; text: string }> {
  const quoted = `'${name.replace(/'/g, "''")}'`;
  const cmd = powershellCommand(
    [
      `$s = Get-Service -Name ${quoted} -ErrorAction SilentlyContinue`,
      "if ($null -eq $s) { 'MISSING' } else { $s.Status.ToString() }",
    ].join('\n'),
    deps.env,
  );
  const r = await deps.runCommand(cmd.file, cmd.args, { signal, timeoutMs: 60_000 });
  const out = r.stdout.trim().split(/\r?\n/).at(-1)?.trim() ?? '';
  if (r.code !== 0 || out === '') throw new Error(r.stderr.trim() || `PowerShell exit code ${r.code}`);
  if (out === 'MISSING') return { found: false, running: false, text: 'missing' };
  return { found: true, running: out !== 'Stopped', text: out === 'Stopped' ? 'stopped' : out };
}

async function systemdUnit(
  name: string,
  signal: AbortSignal,
  deps: OctaneProbeDeps,
): Promise<{ found: boolean; running: boolean; text: string }> {
  const r = await deps.runCommand(
    'systemctl',
    ['show', '--property=LoadState,ActiveState,SubState', '--', name],
    { signal, timeoutMs: 30_000 },
  );
  const props = Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => l.trim().split('='))
      .filter((kv) => kv.length === 2) as [string, string][],
  );
  if (r.code !== 0 || props.ActiveState === undefined)
    throw new Error(r.stderr.trim() || `systemctl exit code ${r.code}`);
  if (props.LoadState === 'not-found') return { found: false, running: false, text: 'not found' };
  const active = props.ActiveState;
  // inactive and failed mean nothing runs; active, activating, deactivating, reloading: it runs.
  const running = active !== 'inactive' && active !== 'failed';
  return { found: true, running, text: `${active}${props.SubState ? ` (${props.SubState})` : ''}` };
}

async function urlCheck(url: string, signal: AbortSignal, timeoutMs: number): Promise<RestoreCheck> {
  const base = { id: 'octane.url', scope: 'octane' as const, title: 'Octane URL does not answer' };
  const answer = await probe(url, signal, timeoutMs);
  if (answer.kind === 'answers')
    return {
      ...base,
      status: 'failed',
      message: `${url} answers (${answer.text}): Octane (or something else on that address) is running.`,
      fix: 'Stop Octane on every node, then check again. If something else answers there, correct octaneUrl in the profile.',
    };
  if (answer.kind === 'unknown-host')
    return {
      ...base,
      status: 'failed',
      message: `The host of ${url} cannot be found (${answer.text}), so the check proves nothing.`,
      fix: 'Correct octaneUrl in the profile (the address users open Octane with).',
    };
  return { ...base, status: 'ok', message: `${url} does not answer (${answer.text}).` };
}

type Probe = { kind: 'answers' | 'silent' | 'unknown-host'; text: string };

/** One GET; any HTTP answer (even an error page or a TLS handshake) means something listens. */
function probe(url: string, signal: AbortSignal, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      // Only "does anything answer": nothing is sent that a certificate would have to protect.
      { method: 'GET', timeout: timeoutMs, signal, rejectUnauthorized: false },
      (res) => {
        res.resume();
        resolve({ kind: 'answers', text: `HTTP ${res.statusCode}` });
        req.destroy();
      },
    );
    req.on('timeout', () => {
      resolve({ kind: 'silent', text: `no answer within ${Math.round(timeoutMs / 1000)} s` });
      req.destroy();
    });
    req.on('error', (err: Error & { code?: string }) => {
      if (isAbortError(err) || signal.aborted) return reject(err);
      const code = err.code ?? err.message;
      if (code === 'ECONNREFUSED') resolve({ kind: 'silent', text: 'connection refused' });
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') resolve({ kind: 'unknown-host', text: code });
      else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT')
        resolve({ kind: 'silent', text: code });
      // A reset, a TLS or protocol error: something listens on that port.
      else resolve({ kind: 'answers', text: code });
    });
    req.end();
  });
}
