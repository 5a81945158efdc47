// Renders the web app manifest's PNG icons (public/icons/*.png) from their SVG sources with Debian's
// Chromium, so the PNGs in the repo always match the SVGs. Run after editing an SVG:
//   npx tsx scripts/render-icons.ts
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const DIR = new URL('../public/icons/', import.meta.url);
const ICONS: ReadonlyArray<{ svg: string; png: string; size: number }> = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon.svg', png: 'apple-touch-icon.png', size: 180 },
  // Maskable: full-bleed background, the mark inside the central 80 % safe zone.
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu'],
});
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const svg = readFileSync(new URL(icon.svg, DIR), 'utf8');
    await page.setContent(
      `<html><body style="margin:0;background:transparent">` +
        `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${icon.size}" height="${icon.size}" style="display:block"></body></html>`,
    );
    await page.screenshot({ path: new URL(icon.png, DIR).pathname, omitBackground: true });
    await page.close();
    console.log(`${icon.png} (${icon.size}x${icon.size})`);
  }
} finally {
  await browser.close();
}
