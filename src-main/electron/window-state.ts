// The main window reopens where the admin left it: size, position and maximized state, kept in the
// app's store. A saved place that no screen shows any more (a monitor unplugged, a resolution
// changed) is not restored: the window would open out of reach. No electron import.
import type { KeyValueStore } from './key-value-store.js';

export const WINDOW_STATE_KEY = 'window.state';

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Area {
  maximized: boolean;
}

/** How much of the title bar must be on a screen for the admin to grab it (px). */
const GRAB = { width: 120, height: 32 };

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The saved state when it is well formed and its title bar lies on one of the work areas. */
export function restoredWindowState(
  saved: unknown,
  workAreas: readonly Area[],
  min: { width: number; height: number },
): WindowState | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const s = saved as Record<string, unknown>;
  if (!finite(s.x) || !finite(s.y) || !finite(s.width) || !finite(s.height)) return undefined;
  const width = Math.max(min.width, Math.round(s.width));
  const height = Math.max(min.height, Math.round(s.height));
  const x = Math.round(s.x);
  const y = Math.round(s.y);
  const reachable = workAreas.some((a) => {
    const left = Math.max(x, a.x);
    const right = Math.min(x + width, a.x + a.width);
    return right - left >= GRAB.width && y >= a.y && y + GRAB.height <= a.y + a.height;
  });
  if (!reachable) return undefined;
  return { x, y, width, height, maximized: s.maximized === true };
}

export function loadWindowState(
  store: KeyValueStore,
  workAreas: readonly Area[],
  min: { width: number; height: number },
): WindowState | undefined {
  return restoredWindowState(store.get(WINDOW_STATE_KEY), workAreas, min);
}

/** Saves the normal (not maximized) bounds, so un-maximizing after a restart gives them back. */
export function saveWindowState(store: KeyValueStore, normal: Area, maximized: boolean): void {
  store.set(WINDOW_STATE_KEY, { ...normal, maximized });
}
