// Writes into an artifact stream with backpressure, and turns the stream's failure (ENOSPC,
// a vanished drive ...) into the destination's plain-words ExpectedError at the next write — never lost,
// never an unhandled 'error' event.
import type { Writable } from 'node:stream';
import { destinationError } from '../../backup-set/fs-errors.js';
import type { ExpectedError } from '../../errors.js';
import { abortError, throwIfAborted } from '../../errors.js';

/**
 * Bytes handed to the stream but not yet on disk before write() waits. Larger than the stream's own
 * highWaterMark so that reading the next blocks overlaps with writing the previous ones.
 */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

export class ArtifactOutput {
  private failure: ExpectedError | undefined;
  private readonly waiters = new Set<(err: Error) => void>();
  private inFlight = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly stream: Writable,
    private readonly path: string,
    private readonly signal: AbortSignal,
  ) {
    stream.on('error', (err) => {
      this.failure ??= destinationError(err, path, 'repository');
      for (const w of this.waiters) w(this.failure);
    });
  }

  /** Throws the destination error if the stream failed, or an AbortError if cancelled. */
  check(): void {
    if (this.failure) throw this.failure;
    throwIfAborted(this.signal);
  }

  /**
   * Queues `chunk`; waits only while more than MAX_IN_FLIGHT bytes are not yet written.
   * `written` is called once the stream is done with the chunk (its buffer may then be reused).
   */
  async write(chunk: Buffer, written?: () => void): Promise<void> {
    this.check();
    const n = chunk.length;
    this.inFlight += n;
    this.stream.write(chunk, (err) => {
      if (!err) written?.();
      this.inFlight -= n;
      if (this.wake && this.inFlight <= MAX_IN_FLIGHT) {
        const wake = this.wake;
        this.wake = undefined;
        wake();
      }
    });
    if (this.inFlight > MAX_IN_FLIGHT)
      await this.until<void>((resolve) => {
        this.wake = resolve;
        return () => {
          if (this.wake === resolve) this.wake = undefined;
        };
      });
    this.check();
  }

  /**
   * Waits for `start` to call resolve, unless the stream fails or the run is cancelled first.
   * `start` returns its cleanup.
   */
  until<T>(start: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (this.signal.aborted) return reject(abortError());
      // `start` may settle before it returns its cleanup; run the cleanup as soon as both are known.
      const state: { cleanup?: () => void; settled: boolean } = { settled: false };
      const done = (): void => {
        state.settled = true;
        state.cleanup?.();
        this.waiters.delete(fail);
        this.signal.removeEventListener('abort', onAbort);
      };
      const fail = (err: Error): void => {
        done();
        reject(err);
      };
      const onAbort = (): void => fail(abortError());
      this.waiters.add(fail);
      this.signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = start((v) => {
        done();
        resolve(v);
      }, fail);
      if (state.settled) cleanup();
      else state.cleanup = cleanup;
    });
  }
}
