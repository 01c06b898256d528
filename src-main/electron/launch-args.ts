// How the executable was started: `--run <profile> [--kind manual|scheduled|pre-upgrade] [--label text]`
// runs one backup headless (what scheduled tasks call); anything else opens the window.
// Plain module so the decision is tested without Electron.
import { EXIT_CODES } from '../contract/errors.js';
import { BACKUP_KINDS, type BackupKind } from '../contract/profile.js';

export type LaunchMode =
  | { mode: 'window' }
  | { mode: 'headless'; profile: string; kind: BackupKind; label?: string }
  | { mode: 'invalid'; message: string; exitCode: number };

const OPTIONS = ['--run', '--kind', '--label'] as const;

/**
 * `argv` is process.argv. Unknown switches (Chromium's, Electron's, a dev "." path) are left alone;
 * only our three options are read, as `--opt value` or `--opt=value`.
 */
export function parseLaunchArgs(argv: readonly string[]): LaunchMode {
  const values = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const opt = OPTIONS.find((o) => a === o || a.startsWith(`${o}=`));
    if (!opt) continue;
    if (values.has(opt)) return invalid(`${opt} is given twice.`);
    if (a.includes('=')) values.set(opt, a.slice(opt.length + 1));
    else {
      const next = argv[i + 1];
      values.set(opt, next !== undefined && !next.startsWith('--') ? next : undefined);
      if (next !== undefined && !next.startsWith('--')) i++;
    }
  }
  if (!values.has('--run')) {
    if (values.has('--kind') || values.has('--label'))
      return invalid('--kind and --label go with --run <profile>.');
    return { mode: 'window' };
  }
  const profile = values.get('--run')?.trim();
  if (!profile) return invalid('--run needs the name of a profile, e.g. --run nightly.');
  const kindText = values.get('--kind') ?? 'scheduled';
  if (!(BACKUP_KINDS as readonly string[]).includes(kindText))
    return invalid(`--kind must be one of ${BACKUP_KINDS.join(', ')} (got "${kindText}").`);
  const kind = kindText as BackupKind;
  const label = values.get('--label')?.trim();
  if (values.has('--label') && !label) return invalid('--label needs a text.');
  if (kind === 'pre-upgrade' && !label)
    return invalid('A pre-upgrade dump needs --label "<what the upgrade is>".');
  return label ? { mode: 'headless', profile, kind, label } : { mode: 'headless', profile, kind };
}

function invalid(message: string): LaunchMode {
  return { mode: 'invalid', message, exitCode: EXIT_CODES.badInput };
}

/** The CLI's exit codes: 0 success (also with warnings), 1 failed, 130 cancelled. */
/** Exit code for a run that could not start: bad input (unknown profile, invalid config) is 2, everything else 1. */
export function exitCodeForStartError(code: string): number {
  return code === 'PROFILE_NOT_FOUND' ||
    code === 'CONFIG_INVALID' ||
    code === 'BAD_REQUEST' ||
    code === 'LABEL_REQUIRED'
    ? EXIT_CODES.badInput
    : EXIT_CODES.failed;
}
