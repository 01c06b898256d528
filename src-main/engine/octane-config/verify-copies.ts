// Re-hashes the Octane config copies a pre-upgrade set records (manifest.octane.artifacts).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../contract/manifest.js';

/** Problems in the words verify uses (MISSING / ALTERED); empty when all copies are intact. */
export async function verifyOctaneConfigCopies(
  setPath: string,
  manifest: Manifest,
  signal?: AbortSignal,
): Promise<string[]> {
  const problems: string[] = [];
  for (const a of manifest.octane?.artifacts ?? []) {
    signal?.throwIfAborted();
    const path = join(setPath, ...a.path.split('/'));
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of createReadStream(path, signal ? { signal } : {})) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
    } catch (err) {
      if (signal?.aborted) throw err;
      problems.push(`MISSING: ${a.path} (Octane config copy, expected at ${path}).`);
      continue;
    }
    const sha = hash.digest('hex');
    if (bytes !== a.bytes)
      problems.push(`ALTERED: ${a.path} has ${bytes} bytes, the manifest says ${a.bytes}.`);
    else if (sha !== a.sha256)
      problems.push(`ALTERED: ${a.path} has SHA-256 ${sha}, the manifest says ${a.sha256}.`);
  }
  return problems;
}
