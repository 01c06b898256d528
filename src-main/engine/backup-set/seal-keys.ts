// Where the seal key comes from. The app keeps it in its secret store (encrypted with the OS, per
// profile); the CLI and scheduled tasks read an environment variable: the one the profile names in
// `sealKeyEnv`, else OCTANE_BACKUP_SEAL_KEY. The value may hold several keys separated by commas or
// white space: the first seals new sets, every one checks seals (so a key can be rotated without
// making older sets look tampered). docs/verification.md, "The keyed seal".
import type { Profile } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';

export const SEAL_KEY_ENV = 'OCTANE_BACKUP_SEAL_KEY';
/** Characters; a short key can be guessed, and then a forged seal is as good as a real one. */
export const MIN_SEAL_KEY_LENGTH = 16;

/** The keys in a key text, first (sealing) key first; refuses keys too short to be secret. */
export function parseSealKeys(text: string | undefined, source: string): string[] {
  const keys = (text ?? '').split(/[\s,]+/).filter((k) => k !== '');
  if (keys.some((k) => k.length < MIN_SEAL_KEY_LENGTH))
    throw new ExpectedError(
      'SEAL_KEY_TOO_SHORT',
      `A seal key in ${source} is shorter than ${MIN_SEAL_KEY_LENGTH} characters.`,
      {
        step: 'config',
        fix: 'Use a long random key, e.g. the output of `openssl rand -hex 32`, and keep it where only the backup account can read it.',
      },
    );
  return keys;
}

/** The seal keys for a profile: the app's stored key first, then the environment variable. */
export function sealKeysFor(
  env: NodeJS.ProcessEnv,
  profile: Pick<Profile, 'sealKeyEnv'> | undefined,
  stored?: string,
): string[] {
  const name = profile?.sealKeyEnv ?? SEAL_KEY_ENV;
  const keys = [
    ...parseSealKeys(stored, "the app's secret store"),
    ...parseSealKeys(env[name], `the environment variable ${name}`),
  ];
  return [...new Set(keys)];
}
