// An AppCore wired like Electron's, with stand-ins for the OS parts (named as such), the real
// engine runner, and optionally the test steps from test/support/fake-steps.ts.
import { join } from 'node:path';
import type { EventChannel, EventMap } from '../../src-main/contract/ipc.js';
import type { ComponentId } from '../../src-main/contract/profile.js';
import type { DriveInfo } from '../../src-main/contract/ui.js';
import { runBackup } from '../../src-main/engine/run-backup.js';
import { AppCore, type AppCoreDeps } from '../../src-main/electron/app-core.js';
import { createApiHandlers } from '../../src-main/electron/api-handlers.js';
import { MemoryStore } from '../../src-main/electron/key-value-store.js';
import { registry, type Behaviour } from '../support/fake-steps.js';
import { standInCipher } from './stand-in-cipher.js';

export interface Emitted {
  channel: EventChannel;
  payload: EventMap[EventChannel];
}

export function makeCore(opts: {
  dir: string;
  steps?: Partial<Record<ComponentId, Behaviour>>;
  drives?: () => Promise<DriveInfo[]>;
  deps?: Partial<AppCoreDeps>;
}) {
  const store = new MemoryStore();
  const emitted: Emitted[] = [];
  const notes: { title: string; body: string }[] = [];
  const opened: string[] = [];
  const shown: string[] = [];
  const stepCalls: string[] = [];
  const deps: AppCoreDeps = {
    store,
    cipher: standInCipher(),
    notifier: { notify: (title, body) => notes.push({ title, body }) },
    dialogs: { pickFolder: () => Promise.resolve(null), pickFile: () => Promise.resolve(null) },
    shell: {
      openPath: (p) => {
        opened.push(p);
        return Promise.resolve('');
      },
      showItemInFolder: (p) => void shown.push(p),
    },
    emit: (channel, payload) => emitted.push({ channel, payload }),
    listDrives: opts.drives ?? (() => Promise.resolve([])),
    info: {
      version: '0.1.0',
      platform: 'linux',
      headlessLogFile: join(opts.dir, 'headless.log'),
      logFolder: join(opts.dir, 'logs'),
      headlessCommand: (p) => `app --run "${p}"`,
    },
    ...opts.deps,
  };
  if (opts.steps) {
    const steps = registry(opts.steps, stepCalls);
    deps.engine = { runBackup: (p, o) => runBackup(p, { ...o, steps }), ...opts.deps?.engine };
  }
  const core = new AppCore(deps);
  return { core, handlers: createApiHandlers(core), store, emitted, notes, opened, shown, stepCalls };
}

/** Resolves when the run:done of a job has been emitted. */
export async function waitForDone(emitted: Emitted[], jobId: string): Promise<EventMap['run:done']> {
  for (let i = 0; i < 2000; i++) {
    const done = emitted.find(
      (e) => e.channel === 'run:done' && (e.payload as EventMap['run:done']).jobId === jobId,
    );
    if (done) return done.payload as EventMap['run:done'];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no run:done for ${jobId}`);
}

/** Resolves when a run event of `type` arrived for the job. */
export async function waitForEvent(emitted: Emitted[], jobId: string, type: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (
      emitted.some(
        (e) =>
          e.channel === 'run:event' &&
          (e.payload as EventMap['run:event']).jobId === jobId &&
          (e.payload as EventMap['run:event']).event.type === type,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${type} for ${jobId}`);
}
