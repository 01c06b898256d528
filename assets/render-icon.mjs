// Renders assets/icon.svg to assets/icon.png (512x512, transparent) with the same Chromium the
// end-to-end tests use. Run after editing the SVG: node assets/render-icon.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url);
const svg = await readFile(new URL('icon.svg', here), 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: new URL('icon.png', here).pathname, omitBackground: true });
} finally {
  await browser.close();
}
