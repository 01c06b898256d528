// The only module that touches ipcMain (lint forbids it elsewhere): binds every contract
// channel to its handler, checks the sender first, and wraps the outcome in the Result envelope.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type ApiHandlers, type EmitEvent, type InvokeChannel } from '../contract/ipc.js';
import type { Result } from '../contract/result.js';
import { toResult } from './envelope.js';

export type SenderCheck = (url: string | undefined) => boolean;

async function dispatch(
  handlers: ApiHandlers,
  channel: InvokeChannel,
  isTrusted: SenderCheck,
  event: IpcMainInvokeEvent,
  args: unknown[],
): Promise<Result<unknown>> {
  // senderFrame is null when the frame navigated away or was destroyed: refuse.
  const frame = event.senderFrame;
  if (!frame || !isTrusted(frame.url))
    return {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This window may not talk to the backup manager.' },
    };
  const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
  return toResult(() => handler(...args));
}

/** Registers every channel; returns a function that removes them again. */
export function bindIpcHandlers(handlers: ApiHandlers, isTrusted: SenderCheck): () => void {
  for (const channel of INVOKE_CHANNELS)
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      dispatch(handlers, channel, isTrusted, event, args),
    );
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Sends main -> renderer messages to whichever window is current (none: dropped). */
export function createEmitter(target: () => WebContents | undefined): EmitEvent {
  return (channel, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(channel, payload);
  };
}
