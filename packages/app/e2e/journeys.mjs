#!/usr/bin/env node
/*
 * Browser journeys through the running demo portal (scripts/journeys starts it), in Debian's
 * Chromium driven by playwright-core:
 *   1. a developer opens the component caught in the live Chisel/MetalLB loop, sees the error,
 *      opens the remediation and copies the loadBalancerClass snippet;
 *   2. a platform owner opens the fleet report, filters to errors in one cluster, exports CSV
 *      and checks its rows;
 *   3. (--as viewer) a user without the report permission is refused the report;
 *   4. a developer creates a LoadBalancer Service from the LB template, picking the IP in the
 *      free-IP picker, runs it and sees the manifest with that IP.
 * A screenshot of each journey's end state goes to artifacts/ (git-ignored).
 *
 *   node packages/app/e2e/journeys.mjs [--base-url http://localhost:3000] [--only <name part>]
 */
import { launchChromium } from './browser.mjs';
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
    // Runs only the journeys whose name contains this text (for working on one journey).
    only: { type: 'string', default: '' },
  },
});
const baseUrl = values['base-url'].replace(/\/$/, '');
const artifacts = resolve(repoRoot, 'artifacts');
await mkdir(artifacts, { recursive: true });

const browser = await launchChromium();

const print = line => process.stdout.write(`${line}\n`);

let passed = 0;
let failed = 0;
async function journey(name, run) {
  if (!name.includes(values.only)) return;
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
  // The dev backend restarts when sources change; a sign-in that met a restart is tried again.
  for (let attempt = 0; ; attempt++) {
    await page.goto(`${baseUrl}/`);
    await page.getByRole('button', { name: 'Enter' }).click();
    try {
      await page
        .getByText('Load balancers')
        .first()
        .waitFor({ timeout: attempt < 4 ? 15_000 : 60_000 });
      break;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  // The viewer's catalog page lists only what the viewer's team owns; its journey needs no entity.
  if (values.as !== 'guest') return;
  // Right after start-up the catalog may still be reading examples/entities.yaml.
  await waitForTextWithReloads(page, 'Edge gateway');
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Reloads until the text shows: after a (re)start the catalog is still ingesting. */
async function waitForTextWithReloads(page, text, attempts = 24) {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.getByText(text).first().waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await page.reload();
    }
  }
}

/**
 * Types the pool and waits for the free-IP picker to list addresses. The list comes from the
 * cluster's latest scan; right after start-up there may be none yet, so the pool is typed again
 * (the picker asks anew when it changes) until the scan has landed.
 */
async function listFreeIps(page, pool) {
  const poolField = page.getByRole('textbox', { name: 'MetalLB pool' });
  const firstIp = page.locator('#root_ip option:nth-child(2)');
  for (let attempt = 0; ; attempt++) {
    await poolField.fill(pool);
    try {
      await firstIp.waitFor({ state: 'attached', timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt >= 8) throw error;
      // Empty the pool until the picker has noticed, so typing it again is a change.
      await poolField.fill('');
      await page
        .getByText('Choose a cluster and a MetalLB pool first')
        .waitFor({ timeout: 10_000 });
    }
  }
  return (await page.locator('#root_ip option').allTextContents()).slice(1);
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

    await journey(
      'developer creates an LB Service with a free IP',
      async page => {
        await page.goto(`${baseUrl}/create`);
        await waitForTextWithReloads(
          page,
          'LoadBalancer Service (MetalLB-checked)',
        );
        await page.getByRole('button', { name: 'Choose' }).first().click();

        // Component page.
        await page
          .getByRole('textbox', { name: /Service name/ })
          .fill('journey-web');
        await page.locator('#root_owner').fill('platform');
        await page
          .getByRole('option', { name: 'Platform team' })
          .click({ timeout: 30_000 });
        await page.getByRole('button', { name: 'Next' }).click();

        // Load balancer page: cluster and pool, then an address the picker offers.
        await page.locator('#root_cluster').click({ timeout: 30_000 });
        await page.getByRole('option', { name: 'healthy-dc' }).click();
        const ips = await listFreeIps(page, 'dc-public');
        expect(
          ips.every(ip => ip.startsWith('10.20.30.')),
          `the picker offers addresses outside dc-public: ${ips.join(', ')}`,
        );
        // Not the first one, to see the user's choice (not MetalLB's) end up in the manifest.
        const ip = ips[1] ?? ips[0];
        await page
          .getByRole('combobox', { name: 'IP address' })
          .selectOption(ip);
        await page.screenshot({
          path: resolve(artifacts, 'free-ip-picker.png'),
        });

        await page.getByRole('button', { name: 'Review' }).click();
        // A user whose click met a backend that was restarting ("Failed to fetch") clicks again.
        for (let attempt = 0; ; attempt++) {
          await page.getByRole('button', { name: 'Create' }).click();
          try {
            await page.waitForURL(/\/create\/tasks\//, { timeout: 30_000 });
            break;
          } catch (error) {
            if (attempt >= 3) throw error;
          }
        }

        // The task runs the template's steps (nothing is published) and shows the manifest.
        await page
          .getByText(`IPs: ${ip} (pool: dc-public)`)
          .first()
          .waitFor({ timeout: 120_000 });
        const shown = await page.locator('body').innerText();
        for (const line of [
          'kind: Service',
          'name: journey-web',
          `metallb.io/loadBalancerIPs: ${ip}`,
        ]) {
          expect(shown.includes(line), `the manifest shown lacks "${line}"`);
        }
      },
    );
  }
} finally {
  await browser.close();
}
print(`\nbrowser journeys: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
