// Loads the wall screen in Debian's headless Chromium, waits for step
// NUMBER to be shown running, creates the file GO (which lets the drill's
// command end), then waits for the same page, without a reload, to show
// the step done. Prints one JSON line with what it saw; exits 1 on a
// failure. Usage: node dashboard.mjs URL NUMBER GO
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const [url, number, go] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { before: null, after: null, reloaded: null, updates: null };
try {
  const page = await browser.newPage();
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  await page.goto(url);
  const row = `#step-${number}`;
  await page.waitForSelector(`${row}[data-state="running"]`, { timeout: 30000 });
  result.before = await page.getAttribute(row, 'data-state');
  await page.evaluate(() => { window.__marker = 'same page'; });
  writeFileSync(go, '');
  await page.waitForSelector(`${row}[data-state="done"]`, { timeout: 30000 });
  result.after = await page.getAttribute(row, 'data-state');
  result.reloaded = (await page.evaluate(() => window.__marker)) !== 'same page' || navigations !== 1;
  result.updates = Number(await page.getAttribute('#live', 'data-updates'));
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.error ? 1 : 0);
