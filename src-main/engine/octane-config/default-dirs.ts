import { win32 } from 'node:path';

/** Where Octane keeps its configuration by default. */
export function defaultOctaneConfigDir(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? win32.join('C:\\', 'octane', 'conf') : '/opt/octane/conf';
}

/** The files Octane's upgrade guide asks to keep a copy of, as found in the conf folder. */
export const OCTANE_CONFIG_FILE_NAMES = [
  'octane.conf',
  'setup.xml',
  'octane.yml',
  'wrapper.conf',
  'service.locator.properties',
  'hpssoconfig.xml',
] as const;
