// The set's consistency window: from the database's consistency point to the point of the last
// store captured (Elasticsearch: its snapshot's start; the repository: its freeze, or the end of
// its capture when nothing froze it), all on the DB clock when the database step measured it,
// otherwise on this machine's. A store without a recorded point counts from its end.
import type { SkewInfo } from '../../contract/events.js';
import type { ComponentRecord, Manifest } from '../../contract/manifest.js';
import type { CaptureMode, ComponentId } from '../../contract/profile.js';
import type { DbClock } from '../step.js';

const captured = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

/**
 * A store's point on the window's clock: the database's own point as recorded (DB clock); the
 * others' from this machine's clock at their point (or their end), translated when the DB clock is
 * known. The translation is redone here because the clock's best measurement may be newer.
 */
function pointOf(c: ComponentRecord, clock: DbClock, onDb: boolean): string | undefined {
  const cp = c.consistencyPoint;
  if (onDb && cp && cp.localTime === undefined) return cp.time;
  const local = cp?.localTime ?? c.finishedAt;
  if (local === undefined) return undefined;
  return onDb ? (clock.toDb(new Date(local)) ?? local) : local;
}

export function computeWindow(
  m: Manifest,
  clock: DbClock,
  toleranceSeconds: number,
  /** How the repository was captured; undefined when the profile takes no repository. */
  mode: CaptureMode | undefined,
): SkewInfo {
  const db = m.components.find((c) => c.id === 'database');
  const taken = m.components.filter((c) => captured(c.status));
  // The DB's point is on the DB clock: without a measured clock nothing can be compared with it.
  const onDb = !!(db && captured(db.status) && db.consistencyPoint) && clock.info() !== undefined;
  const info: SkewInfo = { toleranceSeconds, clock: onDb ? 'database' : 'local' };
  if (mode) info.captureMode = mode;
  if (taken.length === 0) {
    info.note = 'Nothing was captured, so there is no consistency window.';
    return info;
  }
  const points: Partial<Record<ComponentId, string>> = {};
  for (const c of taken) {
    const p = pointOf(c, clock, onDb);
    if (p !== undefined) points[c.id] = p;
  }
  let startIso: string | undefined;
  if (onDb) startIso = db?.consistencyPoint?.time;
  else {
    startIso = taken.map((c) => points[c.id] ?? c.startedAt).find((x) => x !== undefined);
    info.note =
      "No database consistency point in this set: the window is measured from the first store's point on this machine's clock.";
  }
  if (startIso === undefined) return info;
  info.points = points;
  info.consistencyPoint = startIso;
  if (points.repository !== undefined) info.repositoryCaptureEnd = points.repository;
  else
    info.note = `${info.note ? info.note + ' ' : ''}The repository folder was not captured; the window ends with the last store that was.`;
  const ends = Object.values(points).map((p) => Date.parse(p));
  const seconds = (Math.max(...ends, Date.parse(startIso)) - Date.parse(startIso)) / 1000;
  info.windowSeconds = Math.max(0, Math.round(seconds * 1000) / 1000);
  info.withinTolerance = info.windowSeconds <= toleranceSeconds;
  return info;
}
