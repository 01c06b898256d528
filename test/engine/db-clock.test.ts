import { describe, expect, it } from 'vitest';
import { createDbClock, formatWithOffset, parseOffset } from '../../src-main/engine/db-clock.js';
import { ProgressTracker } from '../../src-main/engine/progress.js';

describe('DB clock', () => {
  it('measures the offset against the midpoint of the round trip and keeps the DB zone', () => {
    const clock = createDbClock();
    const before = new Date('2026-01-01T10:00:00.000Z');
    const after = new Date('2026-01-01T10:00:00.200Z');
    // DB says 12:00:05.100 at +02:00 = 10:00:05.100Z: 5 s ahead of our midpoint (10:00:00.100Z).
    clock.measure('2026-01-01T12:00:05.100+02:00', before, after);
    expect(clock.info()).toMatchObject({ offsetMs: 5000, uncertaintyMs: 100, serverUtcOffset: '+02:00' });
    expect(clock.toDb(new Date('2026-01-01T11:00:00.000Z'))).toBe('2026-01-01T13:00:05.000+02:00');
  });

  it('keeps the most precise of several measurements', () => {
    const clock = createDbClock();
    clock.measure(
      '2026-01-01T10:00:10.000Z',
      new Date('2026-01-01T10:00:00.000Z'),
      new Date('2026-01-01T10:00:02.000Z'),
    );
    clock.measure(
      '2026-01-01T10:00:03.000Z',
      new Date('2026-01-01T10:00:02.990Z'),
      new Date('2026-01-01T10:00:03.010Z'),
    );
    expect(clock.info()?.offsetMs).toBe(0);
  });

  it('parses offsets in the forms databases print', () => {
    expect(parseOffset('2026-01-01T10:00:00.000-05:30')).toBe('-05:30');
    expect(parseOffset('2026-01-01T10:00:00.000+0100')).toBe('+01:00');
    expect(parseOffset('2026-01-01T10:00:00Z')).toBe('+00:00');
    expect(formatWithOffset(Date.parse('2026-01-01T00:30:00Z'), '-05:30')).toBe(
      '2025-12-31T19:00:00.000-05:30',
    );
  });
});

describe('progress tracker', () => {
  it('throttles, never goes backwards, computes throughput and ETA, and flushes the last report', () => {
    let t = 0;
    const seen: { f: number; bps?: number; eta?: number }[] = [];
    const tracker = new ProgressTracker(
      (f, c) => {
        const e: { f: number; bps?: number; eta?: number } = { f };
        if (c.bytesPerSecond !== undefined) e.bps = c.bytesPerSecond;
        if (c.etaSeconds !== undefined) e.eta = c.etaSeconds;
        seen.push(e);
      },
      () => t,
    );
    for (let i = 1; i <= 100; i++) {
      t = i * 10; // 10 ms apart, 1 MB each
      tracker.report(i / 200, { bytesDone: i * 1_000_000, bytesTotal: 200_000_000 });
    }
    tracker.report(0.1, { bytesDone: 100_000_000, bytesTotal: 200_000_000 });
    tracker.flush();
    expect(seen.length).toBeLessThanOrEqual(12);
    expect(seen.length).toBeGreaterThanOrEqual(9);
    const last = seen.at(-1)!;
    expect(last.f).toBe(0.5);
    // 1 MB per 10 ms = 100 MB/s; 100 MB left → 1 s.
    expect(last.bps).toBeCloseTo(100_000_000, -5);
    expect(last.eta).toBeCloseTo(1, 1);
  });

  it('delivers a report that arrives inside the throttle window even when no further report follows', async () => {
    const seen: number[] = [];
    const tracker = new ProgressTracker((f) => seen.push(f));
    tracker.report(0.1);
    tracker.report(0.34);
    expect(seen).toEqual([0.1]);
    await new Promise((r) => setTimeout(r, 250));
    expect(seen).toEqual([0.1, 0.34]);
  });

  it('keeps the last counters when the step is closed with a bare report', () => {
    const seen: { f: number; done?: number }[] = [];
    let t = 0;
    const tracker = new ProgressTracker(
      (f, c) => {
        const e: { f: number; done?: number } = { f };
        if (c.bytesDone !== undefined) e.done = c.bytesDone;
        seen.push(e);
      },
      () => t,
    );
    tracker.report(0.9, { bytesDone: 900, bytesTotal: 1000 });
    t = 1000;
    tracker.report(1);
    expect(seen.at(-1)).toEqual({ f: 1, done: 900 });
  });
});
