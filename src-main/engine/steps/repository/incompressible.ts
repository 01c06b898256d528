// Most attachments are compressed already (JPEG, PNG, PDF, Office files, zips). Deflating them
// again costs the CPU time of a level-1 pass and gains nothing (the output is larger than the
// input), so data whose byte entropy is that of random data is stored instead. The test is cheap
// (three 16 KiB byte histograms) and errs towards compressing: one low-entropy sample is enough.
import type { FileSource } from './file-reader.js';

export const SAMPLE = 16 * 1024;
/** Bits per byte above which a sample counts as random. Random 16 KiB samples measure ~7.99; text ~4.5-5.5. */
const RANDOM_BITS = 7.9;

export function byteEntropy(buf: Buffer, start: number, end: number): number {
  const counts = new Uint32Array(256);
  for (let i = start; i < end; i++) counts[buf[i] as number]!++;
  const n = end - start;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Samples at the start, middle and end of buf[0..length) all look random. Short buffers never do. */
export function looksIncompressible(buf: Buffer, length = buf.length): boolean {
  if (length < 3 * SAMPLE) return false;
  const mid = Math.floor(length / 2 - SAMPLE / 2);
  for (const at of [0, mid, length - SAMPLE])
    if (byteEntropy(buf, at, at + SAMPLE) < RANDOM_BITS) return false;
  return true;
}

/** The same test on a file, by three positional reads (used by zip to store a whole entry). */
export async function fileLooksIncompressible(source: FileSource, size: number): Promise<boolean> {
  if (size < 4 * SAMPLE) return false;
  const buf = Buffer.allocUnsafe(3 * SAMPLE);
  const mid = Math.floor(size / 2 - SAMPLE / 2);
  let filled = 0;
  for (const at of [0, mid, size - SAMPLE]) {
    const bytesRead = await source.read(buf, filled, SAMPLE, at);
    if (bytesRead < SAMPLE) return false;
    filled += SAMPLE;
  }
  for (let i = 0; i < 3; i++) if (byteEntropy(buf, i * SAMPLE, (i + 1) * SAMPLE) < RANDOM_BITS) return false;
  return true;
}
