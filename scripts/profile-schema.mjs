// `npm run schema`: writes docs/profile.schema.json from the profile schema (src-main/contract),
// for editors. The contract is TypeScript, so it is bundled to a temporary file first.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';

const target = 'docs/profile.schema.json';

const dir = mkdtempSync(join(tmpdir(), 'obm-schema-'));
try {
  const out = join(dir, 'profile-json-schema.mjs');
  await build({
    entryPoints: ['src-main/contract/profile-json-schema.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  const { profileJsonSchema } = await import(pathToFileURL(out).href);
  const options = { ...(await prettier.resolveConfig(target)), filepath: target };
  writeFileSync(target, await prettier.format(JSON.stringify(profileJsonSchema()), options));
  console.log(`wrote ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
