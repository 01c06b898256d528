// `octane-backup import-config [--dir <conf folder>] [--json]`: reads Octane's configuration and
// prints what was found (value, file, key) and a draft profile. Passwords are never imported.
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { importOctaneConfig } from '../../engine/octane-config/import-octane-config.js';
import type { CliIo } from '../io.js';

export async function importConfigCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string', short: 'd' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const r = await importOctaneConfig(values.dir);
  const code = r.filesRead.length > 0 ? EXIT_CODES.success : EXIT_CODES.failed;
  if (values.json) {
    io.out(JSON.stringify(r));
    return code;
  }
  io.out(`Octane configuration in ${r.dir}`);
  io.out(`Files read: ${r.filesRead.length > 0 ? r.filesRead.join(', ') : 'none'}`);
  if (r.found.length > 0) {
    io.out('\nFound:');
    const w = Math.max(...r.found.map((f) => f.key.length));
    for (const f of r.found)
      io.out(
        `  ${f.key.padEnd(w)}  ${f.value}    (${f.source.file}: ${f.source.key}${f.source.line !== undefined ? `, line ${f.source.line}` : ''})`,
      );
  }
  if (r.secretsNotImported.length > 0) {
    io.out('\nNot imported (passwords, stored encrypted by Octane; enter them yourself):');
    for (const s of r.secretsNotImported)
      io.out(`  ${s.file}: ${s.key}${s.line !== undefined ? ` (line ${s.line})` : ''}`);
  }
  if (r.problems.length > 0) {
    io.out('\nTo check or fill in:');
    for (const p of r.problems) io.out(`  - ${p}`);
  }
  io.out('\nDraft profile (add "destination", check every value, save as a .json config):');
  io.out(JSON.stringify(r.profileDraft, null, 2));
  return code;
}
