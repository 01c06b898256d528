// Source trees for the end-to-end runs: a small one that backs up at once, and a larger one of
// compressible text that takes seconds with "best" compression, so a Cancel lands mid-run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const WORDS =
  'attachment octane backup defect requirement release sprint feature story test run manual script pipeline quality entity workspace'.split(
    ' ',
  );

/** Word salad: deflate has real work to do (unlike zeros, and unlike random data, which is stored). */
function salad(bytes: number, seed: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(bytes);
  let n = 0;
  while (n < bytes) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    n += out.write(`${WORDS[x % WORDS.length]}${x % 7 === 0 ? ` ${x % 100000}` : ''} `, n);
  }
  return out;
}

export async function smallTree(root: string): Promise<{ files: number }> {
  const files: [string, string | Buffer][] = [
    ['readme.txt', 'Octane repository stand-in for the end-to-end test.\n'],
    ['attachments/2024/Q1/spec-ä.txt', 'unicode name\n'],
    ['attachments/2024/Q1/empty.bin', Buffer.alloc(0)],
    ['attachments/2024/Q2/data.bin', salad(300_000, 7)],
    ['scripts/manual/test-1.txt', 'step 1\nstep 2\n'],
  ];
  for (const [rel, data] of files) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), data);
  }
  await mkdir(join(root, 'attachments/empty-folder'), { recursive: true });
  return { files: files.length };
}

export async function largeTree(root: string, files = 12, bytesEach = 2 * 1024 * 1024): Promise<void> {
  const base = salad(bytesEach + 4096, 42);
  for (let i = 0; i < files; i++) {
    const dir = join(root, `space-${i % 3}`);
    await mkdir(dir, { recursive: true });
    // A different window of one block per file: distinct content without generating it again.
    await writeFile(join(dir, `attachment-${i}.txt`), base.subarray(i * 331, i * 331 + bytesEach));
  }
}
