import type { ComponentId } from '../contract/profile.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger that prefixes lines with a step id. */
  child(step: ComponentId): Logger;
}

export type LogSink = (level: LogLevel, message: string, step?: ComponentId) => void;

export function createLogger(sink: LogSink, step?: ComponentId): Logger {
  return {
    info: (m) => sink('info', m, step),
    warn: (m) => sink('warn', m, step),
    error: (m) => sink('error', m, step),
    child: (s) => createLogger(sink, s),
  };
}

export const silentLogger: Logger = createLogger(() => undefined);
