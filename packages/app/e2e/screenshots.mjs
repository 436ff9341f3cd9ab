#!/usr/bin/env node
/*
 * Screenshots of the running demo portal (scripts/start) for the docs: signs in as guest, then
 * captures the Load Balancers tab of edge-gateway and the /metallb fleet report into docs/.
 *
 *   node packages/app/e2e/screenshots.mjs [--base-url http://localhost:3000] [--out-dir docs]
 *
 * Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through playwright-core,
 * so no browser download is needed.
 */
import { launchChromium } from './browser.mjs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://localhost:3000' },
    'out-dir': { type: 'string', default: resolve(repoRoot, 'docs') },
  },
});
const baseUrl = values['base-url'].replace(/\/$/, '');
const outDir = resolve(values['out-dir']);

const browser = await launchChromium();

try {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  await mkdir(outDir, { recursive: true });
  // Uncaught errors of the app explain a timeout below; a CLI script reports on stderr.
  page.on('pageerror', error =>
    process.stderr.write(`page error: ${error.message}\n`),
  );

  // The default sign-in page of the new frontend system offers the guest provider only.
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  // Right after startup the catalog may still be ingesting examples/entities.yaml, and the
  // catalog page does not refresh on its own: reload until the demo components are listed.
  for (let attempt = 0; ; attempt++) {
    try {
      await page.getByText('Edge gateway').first().waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 18) throw error;
      await page.reload();
    }
  }

  // Entity tab: wait for the Service row of the edge-chisel loop, not just the tab frame.
  await page.goto(
    `${baseUrl}/catalog/default/component/edge-gateway/load-balancers`,
  );
  await page.getByText('edge-chisel').first().waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: resolve(outDir, 'entity-tab.png') });

  await page.goto(`${baseUrl}/metallb`);
  await page
    .getByText('controller-contention')
    .first()
    .waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: resolve(outDir, 'fleet-report.png') });

  process.stdout.write(
    `Wrote ${outDir}/entity-tab.png and ${outDir}/fleet-report.png\n`,
  );
} catch (error) {
  // Leave a picture of what the page showed instead, for debugging.
  const pages = browser.contexts().flatMap(context => context.pages());
  await pages[0]?.screenshot({
    path: resolve(outDir, 'screenshot-failure.png'),
  });
  throw error;
} finally {
  await browser.close();
}
