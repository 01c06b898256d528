// The step's fraction (0..1) across all databases: each database weighs its size (used pages),
// and within it the phases weigh what they roughly cost: the server writes the backup (1),
// reads it back to verify (0.5), this PC copies the file into the set (0.5).
export type Phase = 'backup' | 'verify' | 'copy';

export const PHASE_WEIGHT: Record<Phase, number> = { backup: 1, verify: 0.5, copy: 0.5 };
const ORDER: Phase[] = ['backup', 'verify', 'copy'];

export class ProgressPlan {
  /** Estimated bytes per database (unknown sizes take the average of the known ones). */
  readonly sizes: number[];
  /** Sum of the estimated sizes: the "bytes" the step's counters talk about. */
  readonly totalBytes: number;
  /** True when at least one size was measured: byte counters mean something. */
  readonly bytesKnown: boolean;
  private readonly phases: Phase[];
  private readonly perByte: number;

  constructor(sizes: (number | undefined)[], enabled: { verify: boolean; copy: boolean }) {
    const known = sizes.filter((s): s is number => s !== undefined && s > 0);
    const avg = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    this.sizes = sizes.map((s) => (s !== undefined && s > 0 ? s : avg));
    this.totalBytes = this.sizes.reduce((a, b) => a + b, 0);
    this.bytesKnown = known.length > 0;
    this.phases = ORDER.filter((p) => p === 'backup' || enabled[p]);
    this.perByte = this.phases.reduce((a, p) => a + PHASE_WEIGHT[p], 0);
  }

  /** Step fraction when database `index` is in `phase`, that phase `phaseFraction` (0..1) done. */
  fraction(index: number, phase: Phase, phaseFraction: number): number {
    const total = this.totalBytes * this.perByte;
    if (total <= 0) return 0;
    let done = 0;
    for (let i = 0; i < index; i++) done += (this.sizes[i] ?? 0) * this.perByte;
    const size = this.sizes[index] ?? 0;
    for (const p of this.phases) {
      if (p === phase) {
        done += size * PHASE_WEIGHT[p] * Math.min(1, Math.max(0, phaseFraction));
        break;
      }
      done += size * PHASE_WEIGHT[p];
    }
    return Math.min(1, done / total);
  }
}

/** "N percent processed." (message 3211, from BACKUP/RESTORE ... WITH STATS) → N, else undefined. */
export function percentOf(message: string): number | undefined {
  const m = /(\d{1,3}) percent processed/i.exec(message);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  return n >= 0 && n <= 100 ? n : undefined;
}
