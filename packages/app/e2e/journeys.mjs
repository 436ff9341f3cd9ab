#!/usr/bin/env node
/*
 * Browser journeys through the running demo portal (scripts/journeys starts it), in Debian's
 * Chromium driven by playwright-core:
 *   1. a developer opens the component caught in the live Chisel/MetalLB loop, sees the error,
 *      opens the remediation and copies the loadBalancerClass snippet;
 *   2. a platform owner opens the fleet report, filters to errors in one cluster, exports CSV
 *      and checks its rows;
 *   3. (--as viewer) a user without the report permission is refused the report.
 * A screenshot of each journey's end state goes to artifacts/ (git-ignored).
 *
 *   node packages/app/e2e/journeys.mjs [--base-url http://localhost:3000]
 */
import { chromium } from 'playwright-core';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    'base-url': { type: 'string', default: 'http://localhost:3000' },
    // The portal signs every guest in as one user; scripts/journeys starts it twice.
    as: { type: 'string', default: 'guest' },
  },
});
const baseUrl = values['base-url'].replace(/\/$/, '');
const artifacts = resolve(repoRoot, 'artifacts');
await mkdir(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const print = line => process.stdout.write(`${line}\n`);

let passed = 0;
let failed = 0;
async function journey(name, run) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  page.on('pageerror', error =>
    process.stderr.write(`page error: ${error.message}\n`),
  );
  try {
    await signIn(page);
    await run(page);
    passed++;
    print(`ok   ${name}`);
  } catch (error) {
    failed++;
    print(
      `FAIL ${name}\n     ${String(error?.message ?? error).split('\n')[0]}`,
    );
  } finally {
    await page
      .screenshot({
        path: resolve(artifacts, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`),
      })
      .catch(() => {});
    await context.close();
  }
}

async function signIn(page) {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  // The viewer's catalog page lists only what the viewer's team owns; its journey needs no entity.
  if (values.as !== 'guest') {
    await page.getByText('Load balancers').first().waitFor({ timeout: 60_000 });
    return;
  }
  // Right after start-up the catalog may still be reading examples/entities.yaml.
  for (let attempt = 0; ; attempt++) {
    try {
      await page.getByText('Edge gateway').first().waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 24) throw error;
      await page.reload();
    }
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

try {
  if (values.as === 'viewer') {
    await journey('viewer is refused the fleet report', async page => {
      await page.goto(`${baseUrl}/metallb`);
      await page
        .getByText('Not allowed to read load balancer reports')
        .first()
        .waitFor({ timeout: 60_000 });
      expect(
        (await page.getByText('controller-contention').count()) === 0,
        'the report shows findings to a user without metallb.report.read',
      );
    });
  } else {
    await journey('developer copies the loadBalancerClass fix', async page => {
      await page.goto(
        `${baseUrl}/catalog/default/component/edge-gateway/load-balancers`,
      );
      const finding = page
        .getByText('Several controllers act on the Service')
        .first();
      await finding.waitFor({ timeout: 90_000 });
      await finding.click();
      const copy = page
        .getByRole('button', {
          name: /^Copy YAML: Recreate .*loadBalancerClass/,
        })
        .first();
      await copy.waitFor({ timeout: 10_000 });
      await copy.click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(
        copied.includes(
          'loadBalancerClass: chisel-operator.io/chisel-operator-class',
        ),
        `the clipboard holds no loadBalancerClass snippet: ${copied.slice(
          0,
          120,
        )}`,
      );
      expect(
        copied.includes('name: edge-gateway'),
        'the snippet is not for edge-gateway',
      );
    });

    await journey(
      'platform owner exports the errors of one cluster',
      async page => {
        await page.goto(
          `${baseUrl}/metallb?severity=error&cluster=edge-chisel`,
        );
        await page
          .getByText('controller-contention')
          .first()
          .waitFor({ timeout: 90_000 });
        const download = page.waitForEvent('download', { timeout: 30_000 });
        await page.getByRole('link', { name: 'Export CSV' }).click();
        const file = await (await download).path();
        const rows = (await readFile(file, 'utf8')).trim().split('\n');
        expect(
          rows.length >= 2,
          `the CSV has no data rows: ${rows.join(' | ')}`,
        );
        const header = rows[0].split(',');
        const cluster = header.findIndex(h => /cluster/i.test(h));
        const severity = header.findIndex(h => /severity|status/i.test(h));
        expect(
          cluster >= 0 && severity >= 0,
          `unexpected CSV header: ${rows[0]}`,
        );
        for (const row of rows.slice(1)) {
          expect(
            row.includes('edge-chisel'),
            `a row of another cluster: ${row}`,
          );
        }
        expect(
          rows.some(r => r.includes('edge-gateway') && r.includes('error')),
          'edge-gateway is not among the exported errors',
        );
      },
    );
  }
} finally {
  await browser.close();
}
print(`\nbrowser journeys: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
