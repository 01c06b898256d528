// What the Overview last read from each profile's destination: its newest set and its newest good
// set, with the time of that look. When the drive is unplugged the card shows these ("as last seen")
// instead of pretending there is no backup. Only hints for display: never used to decide a run,
// retention or a restore.
import type { SetSummary } from '../contract/sets.js';
import type { KeyValueStore } from './key-value-store.js';

const KEY = 'seenSets';

export interface SeenSets {
  /** When the destination was read (ISO). */
  at: string;
  /** Newest first: the newest set and, when another, the newest good one. */
  sets: SetSummary[];
}

export class SeenSetsStore {
  constructor(private readonly store: KeyValueStore) {}

  private all(): Record<string, SeenSets> {
    const v = this.store.get(KEY);
    return typeof v === 'object' && v !== null ? (v as Record<string, SeenSets>) : {};
  }

  recall(profile: string): SeenSets | undefined {
    const seen = this.all()[profile];
    return seen && typeof seen.at === 'string' && Array.isArray(seen.sets) ? seen : undefined;
  }

  remember(profile: string, seen: SeenSets): void {
    this.store.set(KEY, { ...this.all(), [profile]: seen });
  }

  /** A deleted or renamed profile's look is not another profile's. */
  forget(profile: string): void {
    const all = this.all();
    if (!(profile in all)) return;
    delete all[profile];
    this.store.set(KEY, all);
  }
}
