// A restore's fraction (0..1) across several items (databases, files) done one after the other:
// each item weighs its size in bytes, and within it each phase weighs what it roughly costs per
// byte. Unknown sizes take the average of the known ones, so one unknown size cannot stall the bar.
export interface Phase<P extends string> {
  name: P;
  /** Cost per byte relative to the other phases. */
  weight: number;
}

export class PhasePlan<P extends string> {
  readonly sizes: number[];
  readonly totalBytes: number;
  private readonly perByte: number;

  constructor(
    sizes: (number | undefined)[],
    private readonly phases: Phase<P>[],
  ) {
    const known = sizes.filter((s): s is number => s !== undefined && s > 0);
    const avg = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    this.sizes = sizes.map((s) => (s !== undefined && s > 0 ? s : avg));
    this.totalBytes = this.sizes.reduce((a, b) => a + b, 0);
    this.perByte = phases.reduce((a, p) => a + p.weight, 0);
  }

  /** Fraction of the whole when item `index` is in `phase`, that phase `f` (0..1) done. */
  fraction(index: number, phase: P, f: number): number {
    const total = this.totalBytes * this.perByte;
    if (total <= 0) return 0;
    let done = 0;
    for (let i = 0; i < index; i++) done += (this.sizes[i] ?? 0) * this.perByte;
    const size = this.sizes[index] ?? 0;
    for (const p of this.phases) {
      if (p.name === phase) {
        done += size * p.weight * Math.min(1, Math.max(0, f));
        break;
      }
      done += size * p.weight;
    }
    return Math.min(1, done / total);
  }
}
