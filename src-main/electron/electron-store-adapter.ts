// electron-store (ESM-only, imports electron at module top) behind the KeyValueStore interface.
// Only app-main.ts imports this file; tests use MemoryStore.
import Store from 'electron-store';
import type { KeyValueStore } from './key-value-store.js';

/** The app's store; `name` gives a separate file (the window's place is kept apart from profiles). */
export function createElectronStore(name = 'octane-backup-manager'): KeyValueStore {
  const store = new Store<Record<string, unknown>>({
    name,
    // Profile names may contain dots: never treat keys as paths.
    accessPropertiesByDotNotation: false,
  });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
