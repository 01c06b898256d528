// Byte-level progress of the archive pass. The fraction weighs bytes plus a small cost per
// entry, so a folder of many empty files still moves the bar.
//
// Totals come from the scanner, which runs ahead of the archive (scanner.ts). While it is still
// counting, the totals are only a lower bound: no total and no ETA is reported (the runner derives
// an ETA only from a total), the message says how much was found so far, and the fraction is at
// most half of done/found, so the bar never runs ahead of the truth and never has to go back.
import type { ProgressReporter } from '../../step.js';
import { formatBytes } from '../../../contract/format.js';
import { entryCount, type TreeTotals } from './walk.js';

/** What one entry costs in "bytes" for the fraction: roughly a header and an open/close. */
const ENTRY_COST = 4096;
/** Reports more often than this are dropped here (the runner throttles again for the user). */
const MIN_INTERVAL_MS = 20;

/** Running totals of the tree, and whether they are final. */
export interface TotalsSource {
  readonly totals: TreeTotals;
  readonly done: boolean;
}

export class ArchiveProgress {
  bytesDone = 0;
  itemsDone = 0;
  private message = '';
  private last = 0;

  constructor(
    private readonly reporter: ProgressReporter,
    private readonly source: TotalsSource,
  ) {}

  current(rel: string): void {
    this.message = rel;
    this.report(false);
  }

  /** A step after the last file (e.g. flushing to disk): says so instead of naming the last file. */
  phase(message: string): void {
    this.message = message;
    this.report(true);
  }

  bytes(n: number): void {
    if (n <= 0) return;
    this.bytesDone += n;
    this.report(false);
  }

  itemDone(): void {
    this.itemsDone++;
    this.report(false);
  }

  /** Sends a report now, or when MIN_INTERVAL_MS has passed since the last one. */
  report(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.last < MIN_INTERVAL_MS) return;
    this.last = now;
    const t = this.source.totals;
    // The tree may have grown since it was counted: never claim more than 100 %.
    const bytesTotal = Math.max(t.bytes, this.bytesDone);
    const itemsTotal = Math.max(entryCount(t), this.itemsDone);
    const denom = bytesTotal + itemsTotal * ENTRY_COST;
    const ratio = denom === 0 ? 1 : (this.bytesDone + this.itemsDone * ENTRY_COST) / denom;
    if (!this.source.done) {
      this.reporter.report(Math.min(ratio, 1) * 0.5, {
        bytesDone: this.bytesDone,
        itemsDone: this.itemsDone,
        message: `${this.message} (still counting: ${itemsTotal} entries, ${formatBytes(bytesTotal)} found so far)`,
      });
      return;
    }
    this.reporter.report(Math.min(ratio, 0.999), {
      bytesDone: this.bytesDone,
      bytesTotal,
      itemsDone: this.itemsDone,
      itemsTotal,
      message: this.message,
    });
  }
}
