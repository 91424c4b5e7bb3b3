import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDocs } from '../../tooling/api-docs.js';
import { launchChromium } from '../helpers/chromium.js';
import { listOperations, readSpec, type SpecOperation } from '../helpers/spec-document.js';
import { type StaticServer, serveHtmlFile } from '../helpers/static-server.js';

const artifactsDir = new URL('../../test-artifacts/', import.meta.url);

describe('the Redoc page built by npm run docs', () => {
  let workDir: string;
  let htmlPath: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const externalRequests: string[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nbhd-docs-'));
    [htmlPath, browser] = await Promise.all([buildApiDocs(join(workDir, 'index.html')), launchChromium()]);
    server = await serveHtmlFile(htmlPath, '/docs');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(5_000);
    // The page must work offline: anything it tries to fetch from elsewhere is refused and recorded.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url)) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    await page.goto(server.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('embeds Redoc instead of loading scripts or styles from a CDN', async () => {
    const html = await readFile(htmlPath, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+rel=["']stylesheet["'][^>]+href=["']https?:/);
    expect(externalRequests.filter((url) => /\.(js|css)(\?|$)/.test(url))).toEqual([]);
  });

  // Rendering 21 operations one by one is CPU-bound: a generous timeout keeps it stable on a busy 2-core box.
  it("shows every operation's summary when a reader opens it from the menu", { timeout: 90_000 }, async () => {
    const spec = await readSpec();
    const operations = listOperations(spec);
    // Menu labels carry their text in data-text; matching on it avoids "Auth" also hitting "Authentication".
    const menuItem = (text: string) => page.locator(`[data-component-name="Menu/Menu"] [data-text="${text}"]`);

    const missing: string[] = [];
    for (const tag of spec.tags.map((t) => t.name)) {
      await menuItem(tag).first().click();
      for (const operation of operations.filter((o: SpecOperation) => o.tag === tag)) {
        await menuItem(operation.summary).first().click();
        // Redoc renders an operation lazily once it is opened: wait for its visible <h2>.
        const shown = await page
          .waitForFunction(
            (summary) =>
              [...document.querySelectorAll('h2')].some(
                (h2) => h2.textContent?.trim() === summary && h2.getBoundingClientRect().height > 0,
              ),
            operation.summary,
            { timeout: 5_000, polling: 100 },
          )
          .then(() => true)
          .catch(() => false);
        if (!shown) missing.push(`${operation.operationId} (${operation.summary})`);
      }
    }

    // The last operation opened is what a reader sees; keep it for humans to look at.
    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: new URL('api-docs.png', artifactsDir).pathname, fullPage: false });
    expect(operations).toHaveLength(21);
    expect(missing).toEqual([]);
  });
});
