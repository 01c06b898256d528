// "Is this set intact?", for the CLI's verify, the window's History and "verify after every run"
// alike, with one verdict and one record in the set.
import { basename, resolve } from 'node:path';
import type { ComponentId, Profile } from '../../contract/profile.js';
import type { VerifyReport, VerifyVerdict } from '../../contract/sets.js';
import { sealKeysFor } from '../backup-set/seal-keys.js';
import { setRoots } from '../backup-set/set-layout.js';
import { verifySet, type VerifyOptions } from '../backup-set/verify.js';

export type { VerifyVerdict };

export interface VerifyRequest extends Pick<VerifyOptions, 'signal' | 'onProgress' | 'record' | 'now'> {
  /**
   * The profile the set belongs to. A component kept on another destination is read there only
   * when the folder given is one of this profile's own set folders: a copy elsewhere (a USB drive,
   * a restore share) is judged by its own files alone.
   */
  profile?: Profile;
  /** The seal key(s) from the app's secret store; the environment variable is read too. */
  sealKey?: string;
  env?: NodeJS.ProcessEnv;
}

/** The set folder of each component on the destination the profile configures for it. */
export function configuredPlaces(
  profile: Profile,
  setPath: string,
): Partial<Record<ComponentId, string>> | undefined {
  const { byComponent, roots } = setRoots(profile, basename(resolve(setPath)));
  const own = roots.some((r) => resolve(r) === resolve(setPath));
  return own ? byComponent : undefined;
}

export async function verifyBackupSet(setPath: string, req: VerifyRequest = {}): Promise<VerifyReport> {
  const opts: VerifyOptions = {
    sealKeys: sealKeysFor(req.env ?? process.env, req.profile, req.sealKey),
  };
  if (req.profile) {
    const places = configuredPlaces(req.profile, setPath);
    if (places) opts.places = places;
  }
  if (req.signal) opts.signal = req.signal;
  if (req.onProgress) opts.onProgress = req.onProgress;
  if (req.record !== undefined) opts.record = req.record;
  if (req.now) opts.now = req.now;
  return verifySet(setPath, opts);
}
