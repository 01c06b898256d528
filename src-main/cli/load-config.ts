// Reads a config file for the CLI. Windows tools write JSON in several encodings (PowerShell 5.1's
// `>` writes UTF-16 LE with a BOM, Notepad may add a UTF-8 BOM): all are read. A relative path of
// this computer (destination, repository.path, copyFrom ...) is read relative to the config file's
// folder — never the current directory, which for a scheduled task is "/" or System32 — and the
// CLI says so. Everything else is the engine's validation, the same for the app.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isAbsoluteOn, isWindowsAbsolute, pathPlatform } from '../contract/local-paths.js';
import type { Profile } from '../contract/profile.js';
import { LOCAL_PATH_KEYS } from '../contract/profile-schema.js';
import { ConfigError, validateProfile } from '../engine/config/validate-profile.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';

/** The text of a config file in UTF-8 (with or without BOM), UTF-16 LE or UTF-16 BE (BOM or not). */
export function decodeConfigText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return swapBytes(buf.subarray(2)).toString('utf16le');
  // No BOM: JSON starts with an ASCII character, so a zero byte next to it gives UTF-16 away.
  if (buf.length >= 2 && buf[0] !== 0 && buf[1] === 0) return buf.toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0 && buf[1] !== 0) return swapBytes(buf).toString('utf16le');
  return buf.toString('utf8');
}

function swapBytes(buf: Buffer): Buffer {
  const out = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
  return out.swap16();
}

/**
 * Resolves every relative local path against `base` (the config file's folder); returns a note
 * for each. A path of another platform's kind (E:\ on Linux) is left for validation to refuse.
 */
export function resolveRelativePaths(json: unknown, base: string, platform: NodeJS.Platform): string[] {
  const notes: string[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return notes;
  const kind = pathPlatform(platform);
  for (const key of LOCAL_PATH_KEYS) {
    const parts = key.split('.');
    let holder: Record<string, unknown> | undefined = json as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) {
      const next: unknown = holder?.[p];
      holder =
        typeof next === 'object' && next !== null && !Array.isArray(next)
          ? (next as Record<string, unknown>)
          : undefined;
    }
    const last = parts.at(-1) as string;
    if (!holder) continue;
    const fix = (v: unknown): unknown => {
      if (typeof v !== 'string' || v.trim() === '' || isAbsoluteOn(v, kind)) return v;
      // Not resolved: other platforms' paths, "~", "C:x" and "\x" are refused by validation with the reason.
      if (
        isWindowsAbsolute(v) ||
        /^[A-Za-z]:/.test(v) ||
        /^[\\/~]/.test(v) ||
        (kind === 'posix' && v.includes('\\'))
      )
        return v;
      const abs = resolve(base, v);
      notes.push(`${key} "${v}" is a relative path: read as ${abs} (relative to the config file's folder).`);
      return abs;
    };
    const value = holder[last];
    holder[last] = Array.isArray(value) ? value.map(fix) : fix(value);
  }
  return notes;
}

/**
 * Reads and validates a config file; every problem names the file and the key. Notes (relative
 * paths resolved) go to stderr, so that `--json` output stays one JSON document per line.
 */
export async function loadConfig(file: string | undefined, io?: Pick<CliIo, 'err'>): Promise<Profile> {
  if (!file)
    throw new CliError('--config <file> is required: the JSON profile to use (see README, "Config file").');
  const path = resolve(file);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new CliError(
      `Cannot read the config file ${path} (${(err as { code?: string }).code ?? (err as Error).message}). Check the path.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(decodeConfigText(buf));
  } catch (err) {
    throw new CliError(
      `The config file ${path} is not valid JSON: ${(err as Error).message}. ` +
        'Remember that backslashes in Windows paths must be doubled ("C:\\\\octane\\\\repo"). ' +
        'Save it as UTF-8 or UTF-16 text.',
    );
  }
  const notes = resolveRelativePaths(json, dirname(path), process.platform);
  try {
    const profile = validateProfile(json);
    for (const n of notes) io?.err(`Note: ${n}`);
    return profile;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`${path}: ${err.message}`);
    throw err;
  }
}
