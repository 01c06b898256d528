// axe-core in the real page, for the accessibility checks of the Chromium tests.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA rules on the whole page: the violations, by rule and element. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) still holds for the app.
  await page.evaluate(`${await AXE_SOURCE}\n;0`);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe;
    // Tabster's focus guards (Fluent's focus manager: <i tabindex="0" aria-hidden data-tabster-dummy>)
    // hand focus on and are never read: a known axe false positive for Fluent UI.
    const context = { exclude: [['[data-tabster-dummy]']] };
    const r = (await axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as {
      violations: { id: string; help: string; nodes: { target: string[] }[] }[];
    };
    return r.violations.map(
      (v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
}
