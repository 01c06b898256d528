// Turns raw step reports into user-facing progress: throughput over a sliding window,
// ETA, and at most one event per THROTTLE_MS (the last one is always delivered by flush()).
import type { StepCounters } from '../contract/events.js';

export const THROTTLE_MS = 100;
const WINDOW_MS = 5_000;

export class ProgressTracker {
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;
  private pending: { fraction: number; counters: StepCounters } | undefined;
  private lastFraction = 0;
  private lastCounters: StepCounters = {};
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (fraction: number, counters: StepCounters) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  report(fraction: number, counters?: StepCounters): void {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    // A bare report (the runner's closing report(1)) keeps the step's last counters on screen.
    if (counters === undefined) counters = this.lastCounters;
    else this.lastCounters = counters;
    // Progress never goes backwards on screen.
    this.lastFraction = Math.max(this.lastFraction, f);
    const t = this.now();
    const c: StepCounters = { ...counters };
    if (c.bytesDone !== undefined) {
      this.samples.push({ t, bytes: c.bytesDone });
      while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > WINDOW_MS) this.samples.shift();
      const first = this.samples[0];
      if (c.bytesPerSecond === undefined && first && t > first.t) {
        c.bytesPerSecond = Math.max(0, ((c.bytesDone - first.bytes) * 1000) / (t - first.t));
      }
      if (
        c.etaSeconds === undefined &&
        c.bytesTotal !== undefined &&
        c.bytesPerSecond &&
        c.bytesPerSecond > 0
      ) {
        c.etaSeconds = Math.max(0, (c.bytesTotal - c.bytesDone) / c.bytesPerSecond);
      }
    }
    this.pending = { fraction: this.lastFraction, counters: c };
    if (t - this.lastEmit >= THROTTLE_MS) this.flush();
    else if (!this.timer) {
      // Trailing edge: a report followed by a long silence (a DB server between progress
      // messages) must still reach the user, not wait for the next report.
      this.timer = setTimeout(() => this.flush(), THROTTLE_MS - (t - this.lastEmit));
      this.timer.unref?.();
    }
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.pending) return;
    const p = this.pending;
    this.pending = undefined;
    this.lastEmit = this.now();
    this.emit(p.fraction, p.counters);
  }
}
