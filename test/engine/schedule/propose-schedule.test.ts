import { describe, expect, it } from 'vitest';
import { proposeSchedule } from '../../../src-main/engine/schedule/propose-schedule.js';

const BERLIN = 'Europe/Berlin';
const NIGHT = { start: '22:00', end: '05:00' };

describe('proposeSchedule', () => {
  it('24 h with a 22:00–05:00 window runs daily at 22:00 local time', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 24, quietWindow: NIGHT },
      new Date('2025-03-10T12:00:00Z'),
      BERLIN,
    );
    expect(p.intervalHours).toBe(24);
    expect(p.everyDays).toBe(1);
    expect(p.startTimes).toEqual(['22:00']);
    expect(p.startTimesInWindow).toEqual(['22:00']);
    expect(p.nextRuns.map((r) => r.local)).toEqual([
      '2025-03-10 22:00',
      '2025-03-11 22:00',
      '2025-03-12 22:00',
      '2025-03-13 22:00',
      '2025-03-14 22:00',
    ]);
    // 22:00 in Berlin in March (CET, UTC+1) is 21:00 UTC.
    expect(p.nextRuns[0]?.at).toBe('2025-03-10T21:00:00.000Z');
    expect(p.nextRuns.every((r) => r.inQuietWindow)).toBe(true);
    expect(p.explanation.join(' ')).toMatch(
      /daily at 22:00, the start of your quiet window \(22:00–05:00, across midnight\)/,
    );
  });

  it('12 h with a window puts one run in the window and one 12 h later, and says why', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 12, quietWindow: NIGHT },
      new Date('2025-03-10T12:00:00Z'),
      BERLIN,
    );
    expect(p.startTimes).toEqual(['22:00', '10:00']);
    expect(p.startTimesInWindow).toEqual(['22:00']);
    const text = p.explanation.join(' ');
    expect(text).toMatch(/One run starts inside your quiet window/);
    expect(text).toMatch(/other run follows 12 h later \(10:00\)/);
    expect(text).toMatch(/fits only 1 start into a 7 h window/);
    expect(p.nextRuns.map((r) => [r.local, r.inQuietWindow])).toEqual([
      ['2025-03-10 22:00', true],
      ['2025-03-11 10:00', false],
      ['2025-03-11 22:00', true],
      ['2025-03-12 10:00', false],
      ['2025-03-12 22:00', true],
    ]);
  });

  it('an interval shorter than the window puts several runs inside it, across midnight', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 4, quietWindow: NIGHT },
      new Date('2025-03-10T12:00:00Z'),
      BERLIN,
    );
    expect(p.startTimes).toEqual(['22:00', '02:00', '06:00', '10:00', '14:00', '18:00']);
    expect(p.startTimesInWindow).toEqual(['22:00', '02:00']);
    const q = proposeSchedule(
      { targetIntervalHours: 1, quietWindow: NIGHT },
      new Date('2025-03-10T12:00:00Z'),
      BERLIN,
    );
    expect(q.startTimesInWindow).toEqual(['22:00', '23:00', '00:00', '01:00', '02:00', '03:00', '04:00']);
  });

  it('all runs inside a window that is long enough', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 12, quietWindow: { start: '20:00', end: '09:00' } },
      new Date('2025-03-10T12:00:00Z'),
      'UTC',
    );
    expect(p.startTimesInWindow).toEqual(['20:00', '08:00']);
    expect(p.explanation.join(' ')).toMatch(/All 2 daily runs/);
  });

  it('a custom RPO that does not divide the day gets the next shorter interval', () => {
    const p = proposeSchedule({ targetIntervalHours: 5 }, new Date('2025-03-10T12:00:00Z'), 'UTC');
    expect(p.intervalHours).toBe(4);
    expect(p.explanation[0]).toMatch(/5 h does not divide a day evenly/);
    expect(proposeSchedule({ targetIntervalHours: 36 }, new Date(), 'UTC').intervalHours).toBe(24);
    expect(proposeSchedule({ targetIntervalHours: 0.5 }, new Date(), 'UTC').intervalHours).toBe(0.5);
    expect(proposeSchedule({ targetIntervalHours: 23 }, new Date(), 'UTC').intervalHours).toBe(12);
  });

  it('48 h runs every second day at the window start', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 48, quietWindow: NIGHT },
      new Date('2025-03-10T22:30:00Z'),
      'UTC',
    );
    expect(p.everyDays).toBe(2);
    expect(p.firstRunDate).toBe('2025-03-11');
    expect(p.nextRuns.map((r) => r.local)).toEqual([
      '2025-03-11 22:00',
      '2025-03-13 22:00',
      '2025-03-15 22:00',
      '2025-03-17 22:00',
      '2025-03-19 22:00',
    ]);
  });

  it('15 minutes runs all day; the window does not change it', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 0.25, quietWindow: NIGHT },
      new Date('2025-03-10T12:07:00Z'),
      'UTC',
    );
    expect(p.startTimes).toHaveLength(96);
    expect(p.nextRuns.map((r) => r.local.slice(11))).toEqual(['12:15', '12:30', '12:45', '13:00', '13:15']);
    expect(p.explanation.join(' ')).toMatch(/all day/);
  });

  it('without a window anchors at 01:00 and says so', () => {
    const p = proposeSchedule({ targetIntervalHours: 6 }, new Date('2025-03-10T12:00:00Z'), 'UTC');
    expect(p.startTimes).toEqual(['01:00', '07:00', '13:00', '19:00']);
    expect(p.explanation.join(' ')).toMatch(/No quiet window was given/);
    expect(p.quietWindow).toBeUndefined();
  });

  it('a window that starts and ends at the same time is ignored, with a reason', () => {
    const p = proposeSchedule(
      { targetIntervalHours: 24, quietWindow: { start: '03:00', end: '03:00' } },
      new Date(),
      'UTC',
    );
    expect(p.quietWindow).toBeUndefined();
    expect(p.explanation.join(' ')).toMatch(/starts and ends at 03:00, so it is ignored/);
  });

  it('a start time skipped by the spring-forward change moves forward by the gap', () => {
    // Berlin, 2025-03-30: 02:00 CET jumps to 03:00 CEST.
    const p = proposeSchedule(
      { targetIntervalHours: 4, quietWindow: NIGHT },
      new Date('2025-03-29T20:00:00Z'),
      BERLIN,
    );
    expect(p.nextRuns.map((r) => r.at)).toEqual([
      '2025-03-29T21:00:00.000Z', // 22:00 CET
      '2025-03-30T01:00:00.000Z', // 02:00 does not exist: 03:00 CEST
      '2025-03-30T04:00:00.000Z', // 06:00 CEST
      '2025-03-30T08:00:00.000Z',
      '2025-03-30T12:00:00.000Z',
    ]);
  });

  it('an ambiguous time when clocks go back runs once, at the first occurrence', () => {
    // Berlin, 2025-10-26: 03:00 CEST goes back to 02:00 CET; 02:00 happens twice.
    const p = proposeSchedule(
      { targetIntervalHours: 24, quietWindow: { start: '02:00', end: '04:00' } },
      new Date('2025-10-25T12:00:00Z'),
      BERLIN,
    );
    expect(p.nextRuns[0]?.at).toBe('2025-10-26T00:00:00.000Z');
    expect(p.nextRuns[1]?.at).toBe('2025-10-27T01:00:00.000Z');
  });

  it('never plans a gap longer than the tolerated data loss', () => {
    const targets = [0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 7, 8, 10, 12, 13, 20, 23, 24, 30, 48, 72, 100];
    const windows = [undefined, NIGHT, { start: '00:30', end: '01:00' }, { start: '13:15', end: '23:45' }];
    for (const t of targets)
      for (const w of windows) {
        const p = proposeSchedule(
          w ? { targetIntervalHours: t, quietWindow: w } : { targetIntervalHours: t },
          new Date('2025-06-01T09:41:00Z'),
          'UTC',
        );
        expect(p.intervalHours).toBeLessThanOrEqual(t);
        expect(p.nextRuns).toHaveLength(5);
        const at = p.nextRuns.map((r) => Date.parse(r.at));
        for (let k = 1; k < at.length; k++) {
          const gapH = ((at[k] as number) - (at[k - 1] as number)) / 3_600_000;
          expect(gapH).toBeGreaterThan(0);
          expect(gapH).toBeLessThanOrEqual(t);
        }
      }
  });

  it('refuses an unknown time zone and a too-small interval', () => {
    expect(() => proposeSchedule({ targetIntervalHours: 24 }, new Date(), 'Mars/Olympus')).toThrow(
      /not a known time zone/,
    );
    expect(() => proposeSchedule({ targetIntervalHours: 0.1 }, new Date(), 'UTC')).toThrow(/at least 0.25 h/);
  });
});
