import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src-main/engine/version.js';

describe('tool version', () => {
  it('matches package.json, so manifests name the version that wrote them', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});
