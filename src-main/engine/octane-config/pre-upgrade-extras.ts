// Pre-upgrade runs also keep Octane's own configuration, as its upgrade guide asks: octane.conf /
// setup.xml / octane.yml, the Synchronizer's wrapper.conf, service.locator.properties and a
// customised hpssoconfig.xml. Copied into <set>/octane-config/ with SHA-256, recorded in
// manifest.octane (verify re-hashes them). The copies hold Octane's encrypted passwords:
// treat the set as sensitive.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { OctaneConfigCopy, Warning } from '../../contract/manifest.js';
import { syncDir } from '../backup-set/component-writer.js';
import { HashingFileWriter } from '../backup-set/hashing-file-writer.js';
import type { ExtrasContext } from '../run-backup.js';
import { defaultOctaneConfigDir, OCTANE_CONFIG_FILE_NAMES } from './default-dirs.js';
import { parseHocon } from './parse-hocon.js';
import { parseSetupXml } from './parse-setup-xml.js';
import { parseYaml } from './parse-yaml.js';
import { detectOctaneVersion } from './octane-version.js';

export const OCTANE_CONFIG_FOLDER = 'octane-config';

export interface PreUpgradeExtrasOptions {
  /** Overrides profile.octaneConfigDir. */
  configDir?: string;
  /** Files to copy on top of profile.octaneConfigFiles. */
  extraFiles?: string[];
  platform?: NodeJS.Platform;
}

async function copyWithHash(
  src: string,
  dest: string,
  signal: AbortSignal,
): Promise<{ bytes: number; sha256: string }> {
  await mkdir(dirname(dest), { recursive: true });
  const partial = `${dest}.partial`;
  const out = new HashingFileWriter(partial);
  try {
    await pipeline(createReadStream(src), out, { signal });
    await rename(partial, dest);
    await syncDir(dirname(dest));
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { bytes: out.bytesWritten, sha256: out.digest() };
}

function uniqueName(name: string, src: string, taken: Set<string>): string {
  let candidate = name;
  if (taken.has(candidate)) candidate = `${basename(dirname(src))}-${name}`;
  for (let i = 2; taken.has(candidate); i++) candidate = `${i}-${name}`;
  taken.add(candidate);
  return candidate;
}

export function createPreUpgradeExtras(
  opts: PreUpgradeExtrasOptions = {},
): (ctx: ExtrasContext) => Promise<void> {
  return async (ctx) => {
    const confDir = resolve(
      opts.configDir ?? ctx.profile.octaneConfigDir ?? defaultOctaneConfigDir(opts.platform),
    );
    const warn = (w: Warning): void => {
      ctx.manifest.warnings.push(w);
      ctx.log(`${w.code}: ${w.message}`);
    };
    const sources: { path: string; required: boolean }[] = [
      ...OCTANE_CONFIG_FILE_NAMES.map((n) => ({ path: join(confDir, n), required: false })),
      ...[...(ctx.profile.octaneConfigFiles ?? []), ...(opts.extraFiles ?? [])].map((p) => ({
        path: resolve(p),
        required: true,
      })),
    ];
    const artifacts: OctaneConfigCopy[] = [];
    const taken = new Set<string>();
    const seen = new Set<string>();
    const missing: string[] = [];
    for (const { path, required } of sources) {
      if (ctx.signal.aborted) return;
      if (seen.has(path)) continue;
      seen.add(path);
      try {
        const st = await stat(path);
        if (!st.isFile()) {
          warn({
            code: 'OCTANE_CONFIG_NOT_A_FILE',
            message: `${path} is not a file; name the config file itself.`,
            subject: path,
          });
          continue;
        }
        const name = uniqueName(basename(path), path, taken);
        const rel = posix.join(OCTANE_CONFIG_FOLDER, name);
        const { bytes, sha256 } = await copyWithHash(
          path,
          join(ctx.setRoot, OCTANE_CONFIG_FOLDER, name),
          ctx.signal,
        );
        artifacts.push({
          path: rel,
          bytes,
          sha256,
          source: path,
          description: `Copy of Octane config file ${path}`,
        });
        ctx.log(`Copied Octane config file ${path} (${bytes} bytes).`);
      } catch (err) {
        if (ctx.signal.aborted) return;
        const code = (err as { code?: string }).code;
        if (code === 'ENOENT' && !required) missing.push(basename(path));
        else
          warn({
            code: code === 'ENOENT' ? 'OCTANE_CONFIG_MISSING' : 'OCTANE_CONFIG_UNREADABLE',
            message:
              code === 'ENOENT'
                ? `${path} does not exist (listed in octaneConfigFiles).`
                : `${path} could not be copied (${code ?? (err as Error).message}); run the backup as an account that can read it, or copy it by hand before upgrading.`,
            subject: path,
          });
      }
    }
    if (missing.length > 0)
      ctx.log(`Not present in ${confDir} (fine if not used here): ${missing.join(', ')}.`);
    const copied = new Set(artifacts.map((a) => basename(a.path)));
    if (!copied.has('octane.conf') && !copied.has('setup.xml'))
      warn({
        code: 'OCTANE_CONFIG_NOT_FOUND',
        message: `Neither octane.conf nor setup.xml was found in ${confDir}: the pre-upgrade set has no copy of Octane's configuration.`,
        subject: confDir,
      });
    if (!copied.has('wrapper.conf'))
      ctx.log(
        "The Synchronizer's wrapper.conf was not copied; if the Synchronizer runs, add its path to octaneConfigFiles.",
      );

    const parsed: { file: string; entries: { key: string; value: string; line: number }[] }[] = [];
    for (const [file, parse] of [
      ['octane.conf', parseHocon],
      ['octane.yml', parseYaml],
      ['setup.xml', parseSetupXml],
    ] as const) {
      try {
        parsed.push({ file, entries: parse(await readFile(join(confDir, file), 'utf8')).entries });
      } catch {
        /* not there: nothing to read a version from */
      }
    }
    const version = await detectOctaneVersion(confDir, parsed);
    const octane: NonNullable<typeof ctx.manifest.octane> = { ...ctx.manifest.octane };
    if (version) {
      octane.version = version.version;
      octane.versionSource = version.source;
      ctx.log(`Octane version ${version.version} (from ${version.source}).`);
    } else ctx.log('The Octane version could not be found in the config folder; the set does not record it.');
    octane.configFiles = artifacts.map((a) => a.path);
    octane.artifacts = artifacts;
    ctx.manifest.octane = octane;
  };
}

/** The extras function for `runBackup(profile, { kind: 'pre-upgrade', extras: preUpgradeExtras })`. */
export const preUpgradeExtras: (ctx: ExtrasContext) => Promise<void> = createPreUpgradeExtras();
