// Secrets come from the app's secret store (passed in), an environment variable named in the
// profile, or (discouraged) the profile itself. They are never written anywhere.
import type { Profile, RunSecrets } from '../../contract/profile.js';
import { ConfigError, configProblem, type ConfigProblem } from './validate-profile.js';
import { parseSealKeys, SEAL_KEY_ENV } from '../backup-set/seal-keys.js';

export function resolveSecrets(profile: Profile, env: NodeJS.ProcessEnv, given: RunSecrets = {}): RunSecrets {
  const out: RunSecrets = { ...given };
  const problems: ConfigProblem[] = [];
  const fromEnv = (key: string, name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const v = env[name];
    if (v === undefined || v === '')
      problems.push(
        configProblem(
          key,
          `names the environment variable ${name}, which is not set. Set it for the account that runs the backup.`,
        ),
      );
    return v;
  };
  if (out.databasePassword === undefined && profile.database) {
    out.databasePassword =
      profile.database.password ?? fromEnv('database.passwordEnv', profile.database.passwordEnv);
  }
  const es = profile.elasticsearch;
  if (es) {
    if (out.elasticsearchPassword === undefined)
      out.elasticsearchPassword = es.password ?? fromEnv('elasticsearch.passwordEnv', es.passwordEnv);
    if (out.elasticsearchApiKey === undefined)
      out.elasticsearchApiKey = fromEnv('elasticsearch.apiKeyEnv', es.apiKeyEnv);
  }
  const smtp = profile.alerts?.email;
  if (smtp && out.smtpPassword === undefined)
    out.smtpPassword = fromEnv('alerts.email.passwordEnv', smtp.passwordEnv);
  if (out.sealKey === undefined) {
    // The default variable may be unset (the set is then not sealed); a variable the profile names must be set.
    const key = profile.sealKeyEnv ? fromEnv('sealKeyEnv', profile.sealKeyEnv) : env[SEAL_KEY_ENV];
    if (key !== undefined && key !== '') out.sealKey = key;
  }
  if (out.sealKey !== undefined) {
    try {
      parseSealKeys(out.sealKey, 'the seal key');
    } catch (err) {
      problems.push(configProblem('sealKeyEnv', (err as Error).message));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export { redact } from './redact.js';
