// Passwords and API keys, encrypted with the OS (Electron safeStorage: DPAPI on Windows) and
// stored per profile. Values leave this module only as RunSecrets for a run or a connection
// test inside the main process; the renderer sees set / not set.
import type { RunSecrets } from '../contract/profile.js';
import { SECRET_KEYS, type SecretKey, type SecretState, type SecretUpdate } from '../contract/ui.js';
import { ExpectedError } from '../engine/errors.js';
import type { KeyValueStore } from './key-value-store.js';

export interface Cipher {
  /** False when the OS offers no secure store (then nothing may be saved). */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  /** shouldReEncrypt: the OS rotated its key; store the value again, encrypted anew. */
  decrypt(encrypted: Buffer): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}

const KEY = 'secrets';
type Stored = Record<string, Partial<Record<SecretKey, string>>>;

export class SecretVault {
  constructor(
    private readonly store: KeyValueStore,
    private readonly cipher: Cipher,
  ) {}

  private all(): Stored {
    const v = this.store.get(KEY);
    return typeof v === 'object' && v !== null ? (v as Stored) : {};
  }

  state(profile: string): SecretState {
    const mine = this.all()[profile] ?? {};
    return Object.fromEntries(SECRET_KEYS.map((k) => [k, typeof mine[k] === 'string'])) as SecretState;
  }

  async update(profile: string, update: SecretUpdate): Promise<void> {
    const entries = SECRET_KEYS.filter((k) => update[k] !== undefined);
    if (entries.length === 0) return;
    const sets = entries.filter((k) => typeof update[k] === 'string' && update[k] !== '');
    if (sets.length > 0 && !(await this.cipher.available()))
      throw new ExpectedError(
        'SECRETS_UNAVAILABLE',
        'This computer offers no secure store for passwords, so they cannot be saved.',
        {
          fix: 'Set the password in an environment variable and name it in the profile (passwordEnv), or run the app as a normal desktop user.',
          step: 'app',
        },
      );
    const all = this.all();
    const mine = { ...(all[profile] ?? {}) };
    for (const k of entries) {
      const v = update[k];
      if (v === null || v === '') delete mine[k];
      else if (typeof v === 'string') mine[k] = (await this.cipher.encrypt(v)).toString('base64');
    }
    all[profile] = mine;
    this.store.set(KEY, all);
  }

  /** Decrypts this profile's secrets for a run (main process only). */
  async resolve(profile: string): Promise<RunSecrets> {
    const mine = this.all()[profile] ?? {};
    const out: RunSecrets = {};
    const renew: SecretUpdate = {};
    for (const k of SECRET_KEYS) {
      const enc = mine[k];
      if (typeof enc !== 'string') continue;
      try {
        const { plain, shouldReEncrypt } = await this.cipher.decrypt(Buffer.from(enc, 'base64'));
        out[k] = plain;
        if (shouldReEncrypt) renew[k] = plain;
      } catch (err) {
        throw new ExpectedError(
          'SECRET_UNREADABLE',
          `The stored ${k.replace(/([A-Z])/g, ' $1').toLowerCase()} of profile "${profile}" cannot be decrypted (${(err as Error).message}).`,
          {
            fix: 'Passwords decrypt only for the Windows user who saved them. Run the app (and scheduled tasks) as that user, or enter the password again.',
            step: 'app',
          },
        );
      }
    }
    if (Object.keys(renew).length > 0) await this.update(profile, renew).catch(() => undefined);
    return out;
  }

  rename(from: string, to: string): void {
    const all = this.all();
    const mine = all[from];
    if (mine === undefined) return;
    delete all[from];
    all[to] = mine;
    this.store.set(KEY, all);
  }

  remove(profile: string): void {
    const all = this.all();
    delete all[profile];
    this.store.set(KEY, all);
  }
}
