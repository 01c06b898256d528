// The page's API backed by the real main-side handlers (the same createApiHandlers Electron binds),
// with the same envelope; events go back through page.evaluate in order.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import {
  INVOKE_CHANNELS,
  type ApiHandlers,
  type EmitEvent,
  type InvokeChannel,
} from '../../../src-main/contract/ipc.js';
import { toResult } from '../../../src-main/electron/envelope.js';

let pageScript: string | undefined;

async function bundledPageScript(): Promise<string> {
  if (pageScript) return pageScript;
  const r = await build({
    entryPoints: [fileURLToPath(new URL('./page-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  pageScript = r.outputFiles[0]?.text ?? '';
  return pageScript;
}

export interface Bridge {
  emit: EmitEvent;
  /** Every channel the page invoked, in order. */
  calls: string[];
}

/** Call before page.goto. `handlers` is resolved lazily so the core can be built with bridge.emit. */
export async function installBridge(page: Page, handlers: () => ApiHandlers): Promise<Bridge> {
  const calls: string[] = [];
  await page.exposeBinding('__octaneInvoke', async (_source, channel: unknown, args: unknown) => {
    if (typeof channel !== 'string' || !(INVOKE_CHANNELS as readonly string[]).includes(channel))
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${String(channel)}.` },
      };
    calls.push(channel);
    const h = handlers()[channel as InvokeChannel] as (...a: unknown[]) => Promise<unknown>;
    return toResult(() => h(...(Array.isArray(args) ? (args as unknown[]) : [])));
  });
  await page.addInitScript({ content: await bundledPageScript() });
  // One chain: events reach the page in the order the engine sent them.
  let chain: Promise<unknown> = Promise.resolve();
  const emit: EmitEvent = (channel, payload) => {
    chain = chain
      .then(() =>
        page.evaluate(
          ([c, p]) =>
            (globalThis as unknown as { __octaneEmit?: (c: string, p: unknown) => void }).__octaneEmit?.(
              c,
              p,
            ),
          [channel, payload] as const,
        ),
      )
      .catch(() => undefined);
  };
  return { emit, calls };
}
