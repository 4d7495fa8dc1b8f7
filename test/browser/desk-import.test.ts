/**
 * Import at the desk in Chromium: log in through the outbox link, choose a WordPress export larger
 * than the upload limit (the desk script packs it in the browser), watch the progress page go on
 * by itself to the summary, and find the comments on the post. A file of the wrong kind is named.
 * axe-core finds nothing on the import pages, on a phone and on a desktop.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LIMITS } from '../../functions/core/limits';
import { type BrowserWorld, describeInBrowser, screenshot, startWorld, waitForMail } from './support';

const IMPORTS = join(__dirname, '../../../shared/fixtures/import');

/** The theme unit test export several times over (new post ids and links): over the upload limit. */
function bigExport(): string {
  const source = readFileSync(join(IMPORTS, 'wordpress/wpimporter-theme-unit-test-data.xml'), 'utf8');
  const start = source.indexOf('<item>');
  const end = source.lastIndexOf('</item>') + '</item>'.length;
  const copies: string[] = [];
  for (let copy = 1; copies.join('').length + source.length < LIMITS.import.uploadBytes * 1.2; copy++) {
    copies.push(
      source
        .slice(start, end)
        .replace(/<wp:post_id>(\d+)/g, (_, id) => `<wp:post_id>${copy}0${id}`)
        .replace(/<link>([^<]+)<\/link>/g, (_, link) => `<link>${link}kopie-${copy}/</link>`),
    );
  }
  return source.slice(0, start) + copies.join('') + source.slice(end);
}

describeInBrowser('importing at the desk in Chromium', () => {
  let world: BrowserWorld;
  let files: string;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
    files = mkdtempSync(join(tmpdir(), 'leserpost-import-'));
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    rmSync(files, { recursive: true, force: true });
  });

  /** axe-core through the debugging protocol: the desk's CSP rightly refuses an injected script tag. */
  async function expectClean(tab: Page, name: string): Promise<void> {
    await tab.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await tab.evaluate(async () => {
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v: any) => ({ id: v.id, nodes: v.nodes.map((n: any) => n.target) }));
    });
    await screenshot(tab, `${name}-phone`);
    const size = tab.viewportSize();
    await tab.setViewportSize({ width: 1280, height: 900 });
    await screenshot(tab, `${name}-desktop`);
    if (size) await tab.setViewportSize(size);
    expect(violations).toEqual([]);
  }

  it('uploads a big WXR packed by the browser, shows progress, then the summary; the comments are on the post', async () => {
    const tab = await world.open('/desk/login');
    await tab.setViewportSize({ width: 390, height: 844 });
    await tab.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
    await tab.getByRole('button', { name: 'Link schicken' }).click();
    const mail = await waitForMail(world.stack, 'Anmelde-Link');
    await tab.goto(/https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0]);
    await tab.getByRole('button', { name: 'Anmelden' }).click();
    await tab.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();

    await tab.getByRole('link', { name: 'Import' }).click();
    await tab.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    await expectClean(tab, 'desk-import');

    // A file of the wrong kind is named for what it is.
    const feed = join(files, 'feed.xml');
    writeFileSync(
      feed,
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>',
    );
    await tab.getByLabel('Export-Datei').setInputFiles(feed);
    await tab.getByRole('button', { name: 'Importieren' }).click();
    await tab.getByRole('alert').getByText('Das ist ein RSS-Feed').waitFor();
    await expectClean(tab, 'desk-import-refused');

    const big = join(files, 'wordpress-export.xml');
    writeFileSync(big, bigExport());
    expect(readFileSync(big).length).toBeGreaterThan(LIMITS.import.uploadBytes);
    await tab.getByLabel('Export-Datei').setInputFiles(big);
    await tab.getByRole('button', { name: 'Importieren' }).click();
    // The progress page goes on by itself (the script submits its continue form) ...
    await tab.waitForURL(/\/desk\/import\/[0-9A-Z]{26}$/, { timeout: 120_000 });
    const count = tab.locator('.import-count');
    await count.waitFor();
    expect(await count.textContent()).toMatch(/^[\d.]+ von [\d.]+$/);
    // ... to the summary, in sentences.
    await tab.getByRole('heading', { name: 'Import fertig', level: 1 }).waitFor({ timeout: 240_000 });
    const summary = tab.locator('.import-summary');
    await summary.getByText('Aus dem WordPress-Export:').waitFor();
    await summary.getByText(/Kommentare übernommen\./).waitFor();
    await summary.getByText(/Pingbacks .* übersprungen/).waitFor();
    await expectClean(tab, 'desk-import-done');

    const page = await tab.locator('.import-pages a').first().getAttribute('href');
    expect(page).toMatch(/^\/desk\/comments\?page=/);
    await tab.goto(world.stack.url + page!);
    await tab.locator('.card').first().waitFor();
  }, 400_000);
});
