// Finds the Octane version leniently: a version key in the config, a version file next to
// the conf folder, or the install folder's name (octane-16.1.200). Absent is a valid answer.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ConfigEntry } from './config-entry.js';

export interface OctaneVersion {
  version: string;
  /** Where it was found, e.g. "octane.conf: octane.version" or "folder name". */
  source: string;
}

const VERSION = /\b(\d{1,4}\.\d{1,4}(?:\.\d{1,6}){0,3}(?:[-_.](?:CP|P)\d+)?)\b/i;
const VERSION_FILES = ['version.txt', 'VERSION', 'version.properties', 'build.properties', 'product.version'];

export async function detectOctaneVersion(
  confDir: string,
  parsed: { file: string; entries: ConfigEntry[] }[] = [],
): Promise<OctaneVersion | undefined> {
  for (const { file, entries } of parsed) {
    for (const e of entries) {
      if (!/(^|\.|_|-)(octane[._-]?)?(product[._-]?|server[._-]?|build[._-]?)?version$/i.test(e.key))
        continue;
      const v = VERSION.exec(e.value)?.[1];
      if (v) return { version: v, source: `${file}: ${e.key}` };
    }
  }
  const install = dirname(confDir);
  for (const dir of [confDir, install]) {
    for (const name of VERSION_FILES) {
      const path = join(dir, name);
      let text: string;
      try {
        text = (await readFile(path, 'utf8')).slice(0, 4096);
      } catch {
        continue;
      }
      const keyed = /^\s*(?:octane[._-]?)?(?:product[._-]?|build[._-]?)?version\s*[=:]\s*(.+)$/im.exec(
        text,
      )?.[1];
      const v = VERSION.exec(keyed ?? text)?.[1];
      if (v) return { version: v, source: path };
    }
  }
  for (const dir of [install, dirname(install)]) {
    const name = basename(dir);
    if (/octane/i.test(name)) {
      const v = VERSION.exec(name)?.[1];
      if (v) return { version: v, source: `folder name ${dir}` };
    }
  }
  return undefined;
}
