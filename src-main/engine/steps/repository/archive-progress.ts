// Byte-level progress of the archive pass. The fraction weighs bytes plus a small cost per
// entry, so a folder of many empty files still moves the bar. Totals come from the pre-scan and
// grow if the tree grew since (progress never claims more than 100 %).
import type { ProgressReporter } from '../../step.js';
import { entryCount, type TreeTotals } from './walk.js';

/** What one entry costs in "bytes" for the fraction: roughly a header and an open/close. */
const ENTRY_COST = 4096;
/** Reports more often than this are dropped here (the runner throttles again for the user). */
const MIN_INTERVAL_MS = 20;

export class ArchiveProgress {
  bytesDone = 0;
  itemsDone = 0;
  private bytesTotal: number;
  private itemsTotal: number;
  private message = '';
  private last = 0;

  constructor(
    private readonly reporter: ProgressReporter,
    totals: TreeTotals,
  ) {
    this.bytesTotal = totals.bytes;
    this.itemsTotal = entryCount(totals);
  }

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
    this.bytesTotal = Math.max(this.bytesTotal, this.bytesDone);
    this.itemsTotal = Math.max(this.itemsTotal, this.itemsDone);
    const denom = this.bytesTotal + this.itemsTotal * ENTRY_COST;
    const fraction = denom === 0 ? 1 : (this.bytesDone + this.itemsDone * ENTRY_COST) / denom;
    this.reporter.report(Math.min(fraction, 0.999), {
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      itemsDone: this.itemsDone,
      itemsTotal: this.itemsTotal,
      message: this.message,
    });
  }
}
