// The plain-text run log kept inside every set folder (secrets already removed by the caller).
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { RUN_LOG_FILE } from '../../contract/manifest.js';
import type { ComponentId } from '../../contract/profile.js';
import { PRIVATE_FILE_MODE } from './private-modes.js';

export class RunLog {
  private readonly streams: WriteStream[] = [];

  addFile(setRoot: string): void {
    const s = createWriteStream(join(setRoot, RUN_LOG_FILE), { flags: 'a', mode: PRIVATE_FILE_MODE });
    // A vanished destination must not crash the run through an unhandled stream error.
    s.on('error', () => undefined);
    this.streams.push(s);
  }

  line(level: string, message: string, step?: ComponentId): void {
    const text = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${step ? `[${step}] ` : ''}${message}\n`;
    for (const s of this.streams) if (!s.destroyed) s.write(text);
  }

  /** Never throws and never hangs: a stream whose drive vanished is simply dropped. */
  async close(): Promise<void> {
    const streams = this.streams.splice(0);
    await Promise.all(
      streams.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.destroyed || s.errored || s.closed) return resolve();
            s.once('close', () => resolve());
            s.once('error', () => resolve());
            s.end();
          }),
      ),
    );
  }
}
