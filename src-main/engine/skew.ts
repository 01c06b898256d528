// The skew window: from the DB consistency point to the end of the repository capture,
// measured on the DB clock when the database step measured it, otherwise on this machine's.
import type { SkewInfo } from '../contract/events.js';
import type { Manifest } from '../contract/manifest.js';
import type { DbClock } from './step.js';

const captured = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

export function computeSkew(m: Manifest, clock: DbClock, toleranceSeconds: number): SkewInfo {
  const db = m.components.find((c) => c.id === 'database');
  const taken = m.components.filter((c) => captured(c.status) && c.finishedAt);
  const info: SkewInfo = { toleranceSeconds, clock: clock.info() ? 'database' : 'local' };
  if (taken.length === 0) {
    info.note = 'Nothing was captured, so there is no skew window.';
    return info;
  }
  const last = taken[taken.length - 1]!;
  const repo = m.components.find((c) => c.id === 'repository');
  const endComp = repo && captured(repo.status) ? repo : last;
  const endLocal = new Date(endComp.finishedAt as string);
  const endDb = clock.toDb(endLocal);
  let startIso: string | undefined;
  if (db && captured(db.status) && db.consistencyPoint) {
    startIso = db.consistencyPoint.time;
  } else {
    const first = taken[0]!;
    startIso = first.startedAt;
    info.note =
      "No database consistency point in this set: the window is measured from the first capture on this machine's clock.";
    info.clock = 'local';
  }
  const endIso = info.clock === 'database' && endDb ? endDb : endLocal.toISOString();
  if (startIso === undefined) return info;
  info.consistencyPoint = startIso;
  info.repositoryCaptureEnd = endIso;
  if (endComp.id !== 'repository') {
    info.note = `${info.note ? info.note + ' ' : ''}The repository folder was not captured; the window ends with the ${endComp.id} capture.`;
  }
  const seconds = (Date.parse(endIso) - Date.parse(startIso)) / 1000;
  info.windowSeconds = Math.max(0, Math.round(seconds * 1000) / 1000);
  info.withinTolerance = info.windowSeconds <= toleranceSeconds;
  return info;
}
