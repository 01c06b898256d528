// The database's clock is the authority for every time in a set. The database step
// measures it once (DB time taken between two local readings); later instants are
// translated with that offset. Uncertainty is half the round trip.
import type { DbClockInfo } from '../contract/manifest.js';
import type { DbClock } from './step.js';

export function parseOffset(iso: string): string | undefined {
  const m = /([+-]\d{2}:?\d{2}|Z)$/.exec(iso.trim());
  if (!m?.[1]) return undefined;
  if (m[1] === 'Z') return '+00:00';
  return m[1].includes(':') ? m[1] : `${m[1].slice(0, 3)}:${m[1].slice(3)}`;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  return sign * ((h ?? 0) * 60 + (m ?? 0));
}

/** Formats an instant as ISO-8601 in the given UTC offset, with milliseconds. */
export function formatWithOffset(instantMs: number, offset: string): string {
  const mins = offsetMinutes(offset);
  const shifted = new Date(instantMs + mins * 60_000).toISOString().replace('Z', '');
  return `${shifted}${offset}`;
}

export function createDbClock(): DbClock {
  let info: DbClockInfo | undefined;
  return {
    measure(dbTimeIso, localBefore, localAfter) {
      const dbMs = Date.parse(dbTimeIso);
      if (Number.isNaN(dbMs)) return;
      const mid = (localBefore.getTime() + localAfter.getTime()) / 2;
      const next: DbClockInfo = {
        offsetMs: Math.round(dbMs - mid),
        measuredAt: localAfter.toISOString(),
        uncertaintyMs: Math.ceil((localAfter.getTime() - localBefore.getTime()) / 2),
      };
      const off = parseOffset(dbTimeIso);
      if (off !== undefined) next.serverUtcOffset = off;
      // Keep the most precise measurement.
      if (!info || (next.uncertaintyMs ?? Infinity) <= (info.uncertaintyMs ?? Infinity)) info = next;
    },
    info: () => info,
    toDb(local) {
      if (!info) return undefined;
      return formatWithOffset(local.getTime() + info.offsetMs, info.serverUtcOffset ?? '+00:00');
    },
  };
}
