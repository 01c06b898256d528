// The journal of what a restore creates only for itself (staged backup files, a temporary
// repository registration, a copied folder): each object is written down and synced BEFORE it is
// created, so a crash leaves a list of exactly what to remove. After each stage the objects still
// listed are removed by the stage's own cleanup; the file goes once nothing is left.
import { open, rm } from 'node:fs/promises';
import type { RestoreStageId } from '../../contract/restore-run.js';
import type { ScratchObject } from '../../contract/restore.js';

export class RestoreJournal {
  private readonly objects = new Map<RestoreStageId, ScratchObject[]>();

  constructor(readonly file: string) {}

  async add(stage: RestoreStageId, object: ScratchObject): Promise<void> {
    await this.append({ op: 'add', stage, object });
    this.objects.set(stage, [...this.of(stage), object]);
  }

  /** The object turned out not to be ours: no cleanup may ever remove it. */
  async drop(stage: RestoreStageId, object: ScratchObject): Promise<void> {
    this.objects.set(
      stage,
      this.of(stage).filter((o) => !(o.kind === object.kind && o.name === object.name)),
    );
    await this.append({ op: 'drop', stage, object });
  }

  /** Removed by the cleanup (or found gone). */
  async settled(stage: RestoreStageId, objects: ScratchObject[]): Promise<void> {
    for (const o of objects) await this.drop(stage, o);
  }

  of(stage: RestoreStageId): ScratchObject[] {
    return this.objects.get(stage) ?? [];
  }

  get empty(): boolean {
    return [...this.objects.values()].every((l) => l.length === 0);
  }

  /** Deletes the file when nothing is left to remove; returns whether it is kept. */
  async close(): Promise<boolean> {
    if (!this.empty) return true;
    await rm(this.file, { force: true }).catch(() => undefined);
    return false;
  }

  private async append(line: unknown): Promise<void> {
    const fh = await open(this.file, 'a', 0o600);
    try {
      await fh.write(`${JSON.stringify({ at: new Date().toISOString(), ...(line as object) })}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}
