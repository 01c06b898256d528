// The walk and small-file reads use synchronous calls (see file-reader.ts); this keeps the event
// loop turning between them — write completions, gzip results, cancel requests, the UI's IPC —
// at least every BUDGET_MS.
const BUDGET_MS = 8;

export class EventLoopYielder {
  private last = performance.now();

  /** Resolves at once, or after one turn of the event loop when the budget is used up. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < BUDGET_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
