// Pre-upgrade runs also keep Octane's own configuration, as its upgrade guide asks: octane.conf /
// setup.xml / octane.yml, the Synchronizer's wrapper.conf, service.locator.properties and a
// customised hpssoconfig.xml. Copied into <set>/octane-config/ with SHA-256, recorded in
// manifest.octane (verify re-hashes them). The copies hold Octane's encrypted passwords:
// treat the set as sensitive.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { OctaneConfigCopy, Warning } from '../../contract/manifest.js';
import { ComponentWriter } from '../backup-set/component-writer.js';
import type { ConfigCopyContext } from '../run-backup.js';
import { defaultOctaneConfigDir, OCTANE_CONFIG_FILE_NAMES } from './default-dirs.js';
import { parseHocon } from './parse-hocon.js';
import { parseSetupXml } from './parse-setup-xml.js';
import { parseYaml } from './parse-yaml.js';
import { detectOctaneVersion } from './octane-version.js';

export const OCTANE_CONFIG_FOLDER = 'octane-config';

export interface ConfigCopyOptions {
  /** Overrides profile.octaneConfigDir. */
  configDir?: string;
  /** Files to copy on top of profile.octaneConfigFiles. */
  extraFiles?: string[];
  platform?: NodeJS.Platform;
}

function uniqueName(name: string, src: string, taken: Set<string>): string {
  let candidate = name;
  if (taken.has(candidate)) candidate = `${basename(dirname(src))}-${name}`;
  for (let i = 2; taken.has(candidate); i++) candidate = `${i}-${name}`;
  taken.add(candidate);
  return candidate;
}

export function createConfigCopies(opts: ConfigCopyOptions = {}): (ctx: ConfigCopyContext) => Promise<void> {
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
    // The same protocol as every artifact: .partial, hashed while written, fsync, rename.
    const out = new ComponentWriter(OCTANE_CONFIG_FOLDER, ctx.setRoot);
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
        const copy = await out.copyFile(path, name, {
          signal: ctx.signal,
          description: `Copy of Octane config file ${path}`,
        });
        // Where it came from: a restore puts it back there.
        artifacts.push({ ...copy, source: path });
        ctx.log(`Copied Octane config file ${path} (${copy.bytes} bytes).`);
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

/** `runBackup(profile, { kind: 'pre-upgrade', configCopies: copyOctaneConfig })`. */
export const copyOctaneConfig: (ctx: ConfigCopyContext) => Promise<void> = createConfigCopies();
