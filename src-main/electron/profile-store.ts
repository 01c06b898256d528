// The profiles the app keeps (without passwords) and the drive bindings of their destinations.
// Whole-object reads/writes: profile names may contain dots, which key paths would split.
import type { Profile } from '../contract/profile.js';
import type { DestinationSlot, VolumeBinding } from '../contract/ui.js';
import type { KeyValueStore } from './key-value-store.js';

export interface StoredProfile {
  profile: Profile;
  volumes: Partial<Record<DestinationSlot, VolumeBinding>>;
  updatedAt: string;
}

const KEY = 'profiles';

export class ProfileStore {
  constructor(private readonly store: KeyValueStore) {}

  private all(): Record<string, StoredProfile> {
    const v = this.store.get(KEY);
    return typeof v === 'object' && v !== null ? (v as Record<string, StoredProfile>) : {};
  }

  list(): StoredProfile[] {
    return Object.values(this.all()).sort((a, b) => a.profile.profile.localeCompare(b.profile.profile));
  }

  get(name: string): StoredProfile | undefined {
    return this.all()[name];
  }

  put(entry: StoredProfile, previousName?: string): void {
    const all = this.all();
    if (previousName !== undefined && previousName !== entry.profile.profile) delete all[previousName];
    all[entry.profile.profile] = entry;
    this.store.set(KEY, all);
  }

  delete(name: string): boolean {
    const all = this.all();
    if (!(name in all)) return false;
    delete all[name];
    this.store.set(KEY, all);
    return true;
  }
}
