// The scanner counts the tree while the archive is already being written (as restic's scanner
// does): archiving starts at once instead of after a full pre-scan, and the totals (for progress,
// ETA and the FAT32 rule) grow as the scanner runs ahead. Both walks share the main thread; each
// lets the other through every few milliseconds (yielder.ts), and the scanner's readdir/lstat
// warm the caches for the archive pass. Problems are left to the archive pass, which reports them.
import { isAbortError } from '../../errors.js';
import type { TotalsSource } from './archive-progress.js';
import { emptyTotals, scanTree, type TreeTotals, type WalkEntry } from './walk.js';

export interface ScannerOptions {
  signal: AbortSignal;
  exclude?: ReadonlySet<string>;
  rootDev?: number;
  /** Called per counted entry; a throw stops the scan and becomes `fatal` (e.g. the FAT32 limit). */
  onEntry?: (t: TreeTotals, e: WalkEntry) => void;
  /** Test seam: awaited after each counted entry. */
  pace?: (rel: string) => void | Promise<void>;
}

export class Scanner implements TotalsSource {
  readonly totals: TreeTotals = emptyTotals();
  done = false;
  /** An error raised by onEntry: the archive pass throws it at its next entry. */
  fatal: Error | undefined;
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly root: string,
    private readonly opts: ScannerOptions,
  ) {}

  start(): void {
    const signal = AbortSignal.any([this.opts.signal, this.stopper.signal]);
    this.running = scanTree(this.root, {
      signal,
      into: this.totals,
      ...(this.opts.exclude && { exclude: this.opts.exclude }),
      ...(this.opts.rootDev !== undefined && { rootDev: this.opts.rootDev }),
      ...(this.opts.onEntry && { onEntry: this.opts.onEntry }),
      ...(this.opts.pace && { pace: this.opts.pace }),
    }).then(
      () => {
        this.done = true;
      },
      (err: unknown) => {
        // Stopped or cancelled: the totals stay a lower bound. Anything else stops counting too.
        if (!isAbortError(err)) this.fatal ??= err instanceof Error ? err : new Error(String(err));
        this.done = true;
      },
    );
  }

  /** Throws what onEntry raised, if anything. */
  check(): void {
    if (this.fatal) throw this.fatal;
  }

  /** Waits until the count is complete. */
  async finished(): Promise<void> {
    await this.running;
  }

  /** Stops counting (the archive pass finished first, or failed). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }
}
