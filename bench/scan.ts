/**
 * bench:scan — from the Enter that ends a scan to the line painted in the cart, in Chromium against a real node
 * holding 100k products (small: 10k), with the open ticket saved to the node as in use (debounced saves go out while
 * the cashier scans on).
 *
 * The renderer measures itself (renderer/pos/paintTiming.ts): `scan-to-paint` runs from the Enter keydown's event
 * time to the animation frame in which the new line (or the new quantity) is in the document. Scans are keyboard
 * bursts sent through CDP without waiting between keys, so they reach the page as a scanner's do; between scans the
 * "cashier" pauses 40–300 ms. Every 100 scans the ticket is parked (F12, Enter) and a new one starts, as a ticket
 * holds at most 300 lines. Products are scanned by their own barcodes (those with a valid EAN-13 check digit).
 */
import os from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { gs1Valid } from '../shared/barcodes.js';
import { startNode } from '../node/app.js';
import { openDataDir } from '../node/runtime/open.js';
import { rendererDir } from '../node/runtime/paths.js';
import { launchChromium } from '../test/support/browser.js';
import { queryCall } from '../test/support/calls.js';
import { tempDir } from '../test/support/tmp.js';
import { baseMs, bulkProducts, fmt, lastLine, log, percentile, prng, settle, size, SMALL, timed } from './support.js';

const PRODUCTS = size(100_000, 10_000);
const SCANS = size(500, 100);
const PER_TICKET = 100;

async function fill(dataDir: string): Promise<void> {
  const store = await openDataDir(dataDir);
  try {
    const { storeId, deviceId, currency } = store.identity;
    const [ms] = await timed(async () => {
      await bulkProducts(store.db, storeId, deviceId, currency, 1, PRODUCTS, baseMs(PRODUCTS));
      await settle(store.db);
    });
    log(`${PRODUCTS} products in ${fmt(ms / 1000, 1)} s`);
  } finally {
    await store.close();
  }
}

/** A scanner's burst: every key sent at once (CDP keeps their order), then Enter. */
async function scan(cdp: CDPSession, code: string): Promise<void> {
  const keys = [...code].map((c) => ({ key: c, text: c, code: `Digit${c}`, windowsVirtualKeyCode: c.charCodeAt(0) }));
  keys.push({ key: 'Enter', text: '\r', code: 'Enter', windowsVirtualKeyCode: 13 });
  await Promise.all(
    keys.flatMap((k) => [
      cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k }),
      cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode }),
    ]),
  );
}

/** Polls an expression in the page (the app's CSP forbids the eval that waitForFunction's string form needs). */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const lineCount = (page: Page) => page.evaluate('document.querySelectorAll(\'[data-testid="cart-line"]\').length') as Promise<number>;

async function main() {
  log(`bench:scan ${SMALL ? 'small' : 'full'}: ${SCANS} scans over ${PRODUCTS} products`);
  const folder = tempDir('mostrador-bench-scan-');
  const chromium = await launchChromium();
  try {
    await fill(folder.dir);
    // The built renderer (npm run build), served by the node as in browser mode.
    const node = await startNode({ dataDir: folder.dir, rendererDir: rendererDir() });
    try {
      const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(node.signInUrl());
      await until(page, "!location.search.includes('code=')");
      await page.goto(`${node.api.url}/#/checkout`);
      await page.getByTestId('checkout').waitFor();
      const [loadMs] = await timed(() => until(page, 'document.querySelector(\'[data-testid="catalog-state"]\')?.dataset.state === "ready"', 600_000));
      log(`catalog index loaded in the renderer in ${fmt(loadMs / 1000, 1)} s`);

      const rand = prng(11);
      const valid: string[] = [];
      for (let i = 1; valid.length < SCANS; i = 1 + Math.floor(rand() * PRODUCTS)) {
        const code = String(7790000000000 + i);
        if (gs1Valid(code) && !valid.includes(code)) valid.push(code);
      }
      const cdp = await context.newCDPSession(page);
      const lost: string[] = [];
      for (const [i, code] of valid.entries()) {
        if (i > 0 && i % PER_TICKET === 0) {
          await page.keyboard.press('F12');
          await page.getByTestId('park-dialog').waitFor();
          await page.keyboard.press('Enter');
          await until(page, 'document.querySelectorAll(\'[data-testid="cart-line"]\').length === 0');
        }
        const before = await lineCount(page);
        await scan(cdp, code);
        try {
          await until(page, `document.querySelectorAll('[data-testid="cart-line"]').length > ${before}`);
        } catch {
          // A scan that did not become a line is a failure of the checkout: counted and reported, not hidden.
          lost.push(code);
        }
        await page.waitForTimeout(40 + Math.floor(rand() * 260));
      }
      await until(page, 'document.querySelector(\'[data-testid="save-state"]\')?.dataset.state === "saved"');
      const samples = (await page.evaluate("performance.getEntriesByName('scan-to-paint').map((e) => e.duration)")) as number[];
      if (lost.length > 0) log(`LOST SCANS: ${lost.length} (${lost.slice(0, 5).join(', ')}…)`);
      if (samples.length !== SCANS) log(`expected ${SCANS} measures, got ${samples.length}`);
      const kept = (await node.handlers['tickets.list']({}, queryCall(node.own))).tickets;
      log(`tickets kept by the node: ${kept.length} (${kept.map((t) => t.lines.length).join(', ')} lines)`);
      log(`scan-to-paint: p50 ${fmt(percentile(samples, 50))} ms  p95 ${fmt(percentile(samples, 95))} ms  p99 ${fmt(percentile(samples, 99))} ms  max ${fmt(Math.max(...samples))} ms`);
      log(`load average ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} on ${os.cpus().length} CPUs`);
      await context.close();
      lastLine({ p50_ms: fmt(percentile(samples, 50)), p95_ms: fmt(percentile(samples, 95)), lost_scans: lost.length });
    } finally {
      await node.close();
    }
  } finally {
    await chromium.close();
    folder.remove();
  }
}

await main();
