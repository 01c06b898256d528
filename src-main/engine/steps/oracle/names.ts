// Names: how config text maps to Oracle names, and the unique names of one export.
import { randomBytes } from 'node:crypto';
import type { OracleConfig } from '../../../contract/profile.js';

export const DEFAULT_DIRECTORY = 'DATA_PUMP_DIR';

/**
 * Oracle stores unquoted names in upper case: `octane_site` is OCTANE_SITE. A name written
 * in double quotes keeps its case. Anything else is passed on as typed (as a bind value,
 * so an odd name can only fail to match, never change the SQL).
 */
export function oracleName(name: string): string {
  const t = name.trim();
  const quoted = /^"(.+)"$/.exec(t);
  if (quoted?.[1]) return quoted[1];
  return /^[A-Za-z][A-Za-z0-9_$#]*$/.test(t) ? t.toUpperCase() : t;
}

export function directoryOf(cfg: OracleConfig): string {
  return oracleName(cfg.directory ?? DEFAULT_DIRECTORY);
}

export function schemasOf(cfg: OracleConfig): string[] {
  return [...new Set(cfg.schemas.map(oracleName))];
}

export interface ExportNames {
  /** Data Pump job name; 30 characters at most so 12.1 accepts it. */
  job: string;
  /** Dump file name as given to ADD_FILE (with %U when split into pieces). */
  dumpPattern: string;
  log: string;
}

export function exportNames(now: Date, split: boolean): ExportNames {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const rand = randomBytes(3).toString('hex');
  const base = `octane-${stamp.slice(0, 8)}-${stamp.slice(8)}-${rand}`;
  return {
    job: `OCTBKP_${stamp}_${rand.toUpperCase()}`,
    dumpPattern: split ? `${base}-%U.dmp` : `${base}.dmp`,
    log: `${base}-export.log`,
  };
}

/** Data Pump size text ("2G", "500M", "1048576") in bytes; undefined when unreadable. */
export function parseSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\s*([KMGT]?)B?$/i.exec(text.trim());
  if (!m?.[1]) return undefined;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? '').toUpperCase()] ?? 1;
  return Number(m[1]) * unit;
}

/** Data Pump's FILESIZE wants K/M/G/T without the trailing B. */
export function fileSizeParam(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.trim().replace(/B$/i, '').toUpperCase();
}
