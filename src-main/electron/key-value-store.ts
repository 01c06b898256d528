// The persistence the app needs, small enough that electron-store (which imports electron at
// module top) sits behind it and tests use the in-memory one.
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, string>();

  get(key: string): unknown {
    const v = this.data.get(key);
    // Stored as JSON so callers get copies, as with the file-backed store.
    return v === undefined ? undefined : JSON.parse(v);
  }

  set(key: string, value: unknown): void {
    this.data.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  /** Everything stored, as text: lets tests prove that no clear-text secret was written. */
  dump(): string {
    return JSON.stringify([...this.data.entries()]);
  }
}
