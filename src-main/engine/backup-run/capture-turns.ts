// The order of the points, kept while the stores run side by side. Each store's capture stands
// for one instant (its point): the database's consistency point, Elasticsearch's snapshot start,
// the repository's freeze. The points must come in the order database → Elasticsearch →
// repository (run-backup.ts says why); the work around them need not. A store's turn comes when
// every store before it has taken its point or ended without one; a failed database ends every
// turn still waiting (nothing after it is worth taking).
import type { ComponentRecord } from '../../contract/manifest.js';
import { COMPONENT_IDS, type CaptureMode, type ComponentId } from '../../contract/profile.js';
import { abortError } from '../errors.js';
import type { CaptureTurn, DbClock, LocalPoint } from '../step.js';

/** How a store's gate opened: it took its point, it ended without one, or (database) it failed. */
type GateOutcome = 'point' | 'ended' | 'failed';

interface Gate<T> {
  promise: Promise<T>;
  open: (v: T) => void;
  opened: boolean;
}

function gate<T>(): Gate<T> {
  let open!: (v: T) => void;
  const g: Gate<T> = { promise: new Promise<T>((r) => (open = r)), open: () => undefined, opened: false };
  g.open = (v) => {
    if (g.opened) return;
    g.opened = true;
    open(v);
  };
  return g;
}

/** Resolves with `p`, or rejects with an abort as soon as `signal` fires. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

export class CaptureTurns {
  private readonly points = new Map<ComponentId, Gate<GateOutcome>>(
    COMPONENT_IDS.map((id) => [id, gate<GateOutcome>()]),
  );
  private readonly repositoryReady = gate<void>();

  constructor(
    readonly mode: CaptureMode,
    private readonly clock: DbClock,
  ) {}

  /** Bracketed: the database starts once the repository's first pass is done. */
  databaseMayStart(): Promise<void> {
    return this.repositoryReady.promise;
  }

  /** The repository will not call ready() (not taken, not phased, or not bracketed). */
  noFirstPass(): void {
    this.repositoryReady.open();
  }

  /** The database recorded its consistency point: Elasticsearch's turn. */
  databasePoint(): void {
    this.gateOf('database').open('point');
  }

  /** A store ended (or was never taken): its turn is over, with or without a point. */
  ended(id: ComponentId, failed: boolean): void {
    this.gateOf(id).open(id === 'database' && failed ? 'failed' : 'ended');
    if (id === 'repository') this.repositoryReady.open();
  }

  /** Waits until every store before `id` has taken its point or ended; a failed database stops it. */
  async before(id: ComponentId, signal: AbortSignal): Promise<void> {
    for (const earlier of COMPONENT_IDS.slice(0, COMPONENT_IDS.indexOf(id))) {
      const outcome = await untilAborted(this.gateOf(earlier).promise, signal);
      if (earlier === 'database' && outcome === 'failed') throw abortError();
    }
  }

  /**
   * The turn a step's context carries. Only a phased step's point opens the next store's turn; the
   * others' (and every step's in sequential mode) opens at its end.
   */
  forStep(id: ComponentId, rec: ComponentRecord, signal: AbortSignal, phased: boolean): CaptureTurn {
    return {
      mode: this.mode,
      turn: () => this.before(id, signal),
      taken: (p) => {
        rec.consistencyPoint = this.onDbClock(p);
        if (phased) this.gateOf(id).open('point');
      },
      ready: () => {
        if (id === 'repository') this.repositoryReady.open();
      },
    };
  }

  /** A point taken on this machine, expressed on the DB clock when it is known. */
  onDbClock(p: LocalPoint): NonNullable<ComponentRecord['consistencyPoint']> {
    const on = (d: Date): string => this.clock.toDb(d) ?? d.toISOString();
    const point: NonNullable<ComponentRecord['consistencyPoint']> = {
      time: on(p.at),
      localTime: p.at.toISOString(),
      description: p.description,
    };
    if (p.notBefore) point.notBefore = on(p.notBefore);
    return point;
  }

  private gateOf(id: ComponentId): Gate<GateOutcome> {
    return this.points.get(id) as Gate<GateOutcome>;
  }
}

/** A step run on its own (preflight experiments, unit tests): its turn is always now. */
export function soloTurn(mode: CaptureMode = 'sequential'): CaptureTurn {
  return { mode, turn: () => Promise.resolve(), taken: () => undefined, ready: () => undefined };
}
