// All checks, no backup: the same code the CLI's `preflight` and the UI's "Preflight" call.
import type { PreflightCheck, PreflightReport } from '../../contract/preflight.js';
import { COMPONENT_NOUNS, COMPONENT_TITLES } from '../../contract/words.js';
import { COMPONENT_IDS, type Profile, type RunSecrets } from '../../contract/profile.js';
import { resolveSecrets } from '../config/resolve-secrets.js';
import { ConfigError, validateProfile } from '../config/validate-profile.js';
import { silentLogger, type Logger } from '../logger.js';
import { ExpectedError } from '../errors.js';
import { defaultSteps, type StepRegistry } from '../steps/registry.js';
import { destinationChecks } from './destination-checks.js';
import { rotationChecks } from './rotation-checks.js';
import type { DriveInfo } from '../../contract/ui.js';

export interface PreflightOptions {
  signal?: AbortSignal;
  secrets?: RunSecrets;
  env?: NodeJS.ProcessEnv;
  steps?: StepRegistry;
  log?: Logger;
  /** The marked drives connected now (rotation checks); default: listed from the system. */
  drives?: () => Promise<DriveInfo[]>;
}

export async function runPreflight(input: unknown, opts: PreflightOptions = {}): Promise<PreflightReport> {
  let profile: Profile;
  let secrets: RunSecrets;
  const env = opts.env ?? process.env;
  try {
    profile = validateProfile(input);
    secrets = resolveSecrets(profile, env, opts.secrets);
  } catch (err) {
    if (err instanceof ConfigError)
      return {
        ok: false,
        checks: err.problems.map((p) => ({
          id: `config:${p.key}`,
          component: 'profile',
          // The label is what the form shows; the key is what the config file holds.
          title: p.label !== undefined && p.label !== p.key ? `${p.label} (${p.key})` : `Setting ${p.key}`,
          status: 'failed',
          // The title names the setting (label and key); the message is what is wrong with it.
          message: p.label !== undefined && p.label !== p.key ? p.message : `${p.key} ${p.message}`,
          fix: 'Correct this setting in the profile.',
        })),
      };
    throw err;
  }
  const checks: PreflightCheck[] = [
    ...(await destinationChecks(profile)),
    ...(await rotationChecks(profile, opts.drives)),
  ];
  const registry = opts.steps ?? defaultSteps();
  const signal = opts.signal ?? new AbortController().signal;
  for (const id of COMPONENT_IDS) {
    const step = registry[id](profile);
    if (!step) {
      checks.push({
        id: `${id}:configured`,
        component: id,
        title: COMPONENT_TITLES[id],
        status: 'warning',
        message: `The profile does not configure ${COMPONENT_NOUNS[id]}: sets will NOT be full Octane backups.`,
        fix: `Include ${COMPONENT_NOUNS[id]} in the profile to take a complete backup.`,
      });
      continue;
    }
    if (!step.preflight) continue;
    try {
      checks.push(
        ...(await step.preflight({ signal, profile, secrets, env, log: opts.log ?? silentLogger })),
      );
    } catch (err) {
      checks.push({
        id: `${id}:preflight`,
        component: id,
        title: `${step.title} checks`,
        status: 'failed',
        message:
          err instanceof ExpectedError ? err.message : `The checks could not run: ${(err as Error).message}`,
        fix:
          err instanceof ExpectedError && err.fix
            ? err.fix
            : 'See the message, correct the setting and run the preflight again.',
      });
    }
  }
  return { ok: checks.every((c) => c.status !== 'failed'), checks };
}
