// The keyed seal of a manifest: HMAC-SHA256 over the manifest without its `seal` field, with a key
// only the admin's machines hold. A SHA-256 in the manifest proves a file matches the manifest; the
// seal proves the manifest is the one the run wrote. Without the key nobody can forge a seal, so
// whoever edits an artifact and its hash (or sets `complete: true`) is caught wherever the key is.
//
// What is MACed: JSON.stringify of the manifest object without `seal`, in the order of its keys.
// The writer MACs the object it writes; a reader MACs the object JSON.parse gives from the file,
// which stringifies to the same text (JSON round-trips are exact for what a manifest holds).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SEAL_ALGORITHM, type Manifest, type ManifestSeal } from '../../contract/manifest.js';
import type { SealState } from '../../contract/sets.js';

// SealState: "valid" (matches a key here), "invalid" (a key is here and it matches none: the
// manifest was changed, or sealed with a key not configured here), "unsealed" (the run had no key),
// "not-checked" (sealed, but no key here).
export type { SealState };

const KEY_ID_LABEL = 'octane-backup-manager seal key id';

export function keyIdOf(key: string): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL).digest('hex').slice(0, 16);
}

function macOf(key: string, unsealed: unknown): string {
  return createHmac('sha256', key).update(JSON.stringify(unsealed)).digest('hex');
}

function withoutSeal(raw: object): Record<string, unknown> {
  const { seal: _seal, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** The manifest with its seal set (replaced) for `key`; unchanged without a key. */
export function sealManifest(manifest: Manifest, key: string | undefined): Manifest {
  if (key === undefined) {
    if (manifest.seal === undefined) return manifest;
    const { seal: _s, ...rest } = manifest;
    return rest;
  }
  const rest = withoutSeal(manifest);
  const seal: ManifestSeal = { algorithm: SEAL_ALGORITHM, keyId: keyIdOf(key), mac: macOf(key, rest) };
  return { ...(rest as unknown as Manifest), seal };
}

/**
 * Checks the seal of a manifest as parsed from its file (`raw`, before any validation or
 * reshaping) against every key given (the first seals new sets; older ones still check).
 */
export function checkSeal(raw: unknown, keys: readonly string[]): SealState {
  if (typeof raw !== 'object' || raw === null) return 'unsealed';
  const seal = (raw as { seal?: Partial<ManifestSeal> }).seal;
  if (!seal || typeof seal.mac !== 'string') return 'unsealed';
  if (keys.length === 0) return 'not-checked';
  const given = Buffer.from(seal.mac, 'hex');
  const rest = withoutSeal(raw);
  for (const key of keys) {
    const want = Buffer.from(macOf(key, rest), 'hex');
    if (given.length === want.length && timingSafeEqual(given, want)) return 'valid';
  }
  return 'invalid';
}

/** Plain words for a seal state, for verify's report. */
export function sealText(state: SealState, keyId?: string): string {
  switch (state) {
    case 'valid':
      return 'The seal is valid: the manifest is the one the run wrote.';
    case 'invalid':
      return `TAMPERED: the seal does not match${keyId ? ` (sealed with key ${keyId})` : ''}: the manifest was changed after the run, or it was sealed with a key that is not configured here.`;
    case 'unsealed':
      return 'The manifest carries no seal (the run had no seal key), so changes to it cannot be detected.';
    case 'not-checked':
      return 'The seal was NOT checked: no seal key is configured here (OCTANE_BACKUP_SEAL_KEY, or the app’s secret store).';
  }
}
