// A profile typed in the app never keeps a clear-text password: passwords move to the secret
// vault and the stored profile carries none.
import type { Profile } from '../contract/profile.js';
import type { SecretUpdate } from '../contract/ui.js';

export function stripSecrets(input: Profile): { profile: Profile; found: SecretUpdate } {
  const profile = structuredClone(input);
  const found: SecretUpdate = {};
  if (profile.database && 'password' in profile.database) {
    if (typeof profile.database.password === 'string' && profile.database.password !== '')
      found.databasePassword = profile.database.password;
    delete profile.database.password;
  }
  if (profile.elasticsearch && 'password' in profile.elasticsearch) {
    if (typeof profile.elasticsearch.password === 'string' && profile.elasticsearch.password !== '')
      found.elasticsearchPassword = profile.elasticsearch.password;
    delete profile.elasticsearch.password;
  }
  return { profile, found };
}
