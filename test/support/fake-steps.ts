// Test steps for proving the runner's ordering, statuses and bookkeeping. They write real
// files through the real ComponentWriter; they stand in only for the capture logic.
import type { ComponentId, Profile } from '../../src-main/contract/profile.js';
import type { BackupStep, StepContext } from '../../src-main/engine/step.js';
import { ExpectedError, throwIfAborted } from '../../src-main/engine/errors.js';
import type { StepRegistry } from '../../src-main/engine/steps/registry.js';

export type Behaviour =
  | { kind: 'ok'; bytes?: number; warn?: string }
  | { kind: 'fail'; code: string }
  | { kind: 'wait-for-abort' }
  | { kind: 'throw-unexpected' }
  /**
   * Writes `bytes` (zeros, in 1 MiB writes) through the real writer, calling `midway` once half is
   * written: the moment a test pulls the drive, fills it or makes it fail.
   */
  | { kind: 'write'; bytes: number; midway?: () => void | Promise<void> };

export function fakeStep(id: ComponentId, b: Behaviour, calls: string[]): BackupStep {
  return {
    id,
    title: `fake ${id}`,
    async run(ctx: StepContext) {
      calls.push(id);
      if (id === 'database') {
        const before = new Date();
        // A DB clock 2 h ahead of ours, in a +02:00 zone: proves times are translated.
        const db = new Date(before.getTime() + 7_200_000 + 7_200_000);
        const iso = db.toISOString().replace('Z', '+02:00');
        ctx.clock.measure(iso, before, new Date());
        ctx.record.consistencyPoint({
          time: ctx.clock.toDb(new Date()) as string,
          description: 'fake end of backup',
        });
        ctx.record.server({ engine: 'fake', version: '1' });
      }
      switch (b.kind) {
        case 'ok': {
          const a = await ctx.out.createArtifact(`${id}.bin`);
          const total = b.bytes ?? 1000;
          for (let done = 0; done < total; done += 100) {
            throwIfAborted(ctx.signal);
            a.stream.write(Buffer.alloc(Math.min(100, total - done), id.charCodeAt(0)));
            ctx.progress.report((done + 100) / total, { bytesDone: done + 100, bytesTotal: total });
          }
          await a.commit(`fake ${id} data`);
          ctx.record.statement(`FAKE CAPTURE ${id} password=${ctx.secrets.databasePassword ?? ''}`);
          if (b.warn) ctx.record.warn('FAKE_WARNING', b.warn, `${id}/x`);
          return;
        }
        case 'fail':
          // The "server" echoes the password in its error details, as real drivers sometimes do.
          throw new ExpectedError(b.code, `fake ${id} failure`, {
            step: id,
            fix: 'do the fake fix',
            details: { serverSaid: `login with password ${ctx.secrets.databasePassword ?? ''} refused` },
          });
        case 'throw-unexpected':
          throw new TypeError('boom');
        case 'write': {
          const a = await ctx.out.createArtifact(`${id}.bin`);
          const chunk = Buffer.alloc(1024 * 1024);
          let called = false;
          try {
            for (let done = 0; done < b.bytes; done += chunk.length) {
              throwIfAborted(ctx.signal);
              if (!called && done >= b.bytes / 2) {
                called = true;
                await b.midway?.();
              }
              const piece = chunk.subarray(0, Math.min(chunk.length, b.bytes - done));
              // Waits for the disk like any real producer; a write error surfaces at commit.
              if (!a.stream.write(piece))
                await new Promise<void>((r) => {
                  const done = (): void => {
                    for (const ev of ['drain', 'close', 'error']) a.stream.off(ev, done);
                    r();
                  };
                  for (const ev of ['drain', 'close', 'error']) a.stream.once(ev, done);
                });
              if (a.stream.errored) break;
            }
            await a.commit(`fake ${id} data`);
          } catch (err) {
            await a.discard();
            throw err;
          }
          return;
        }
        case 'wait-for-abort': {
          const a = await ctx.out.createArtifact(`${id}.bin`);
          a.stream.write(Buffer.alloc(10));
          ctx.progress.report(0.5, { bytesDone: 10 });
          if (!ctx.signal.aborted)
            await new Promise<void>((resolve) =>
              ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
            );
          throwIfAborted(ctx.signal);
        }
      }
    },
  };
}

export function registry(behaviours: Partial<Record<ComponentId, Behaviour>>, calls: string[]): StepRegistry {
  const make = (id: ComponentId) => (_p: Profile) => {
    const b = behaviours[id];
    return b ? fakeStep(id, b, calls) : undefined;
  };
  return { database: make('database'), elasticsearch: make('elasticsearch'), repository: make('repository') };
}
