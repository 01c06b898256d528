import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Profile } from '../contract/profile.js';
import { ConfigError, validateProfile } from '../engine/config/validate-profile.js';
import { CliError } from './cli-error.js';

/** Reads and validates a config file; every problem names the file and the key. */
export async function loadConfig(file: string | undefined): Promise<Profile> {
  if (!file)
    throw new CliError('--config <file> is required: the JSON profile to use (see README, "Config file").');
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(
      `Cannot read the config file ${path} (${(err as { code?: string }).code ?? (err as Error).message}). Check the path.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CliError(
      `The config file ${path} is not valid JSON: ${(err as Error).message}. ` +
        'Remember that backslashes in Windows paths must be doubled ("C:\\\\octane\\\\repo").',
    );
  }
  try {
    return validateProfile(json);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`${path}: ${err.message}`);
    throw err;
  }
}
