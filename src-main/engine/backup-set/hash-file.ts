import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 and size of a file this run wrote itself (trusted path). */
export async function hashFile(
  path: string,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const opts: { highWaterMark: number; signal?: AbortSignal } = { highWaterMark: 1024 * 1024 };
  if (signal) opts.signal = signal;
  for await (const chunk of createReadStream(path, opts)) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    onBytes?.(b.length);
  }
  return { sha256: hash.digest('hex'), bytes };
}
