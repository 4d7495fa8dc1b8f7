/**
 * A viral post read through the edge: the widget reads from the cached base (`data-reads`, the
 * local stack's emulated CloudFront at /edge) and writes to the API itself. A reader who just
 * posted sees her own comment at once after a reload, although the edge still serves the older
 * list; another reader gets that cached list until it expires.
 */
import type { Page, Response } from 'playwright-core';
import { apiCall, type BrowserWorld, describeInBrowser, screenshot, startWorld } from './support';

const POST = '/posts/schwierigste-kundin';
const THREAD = `${POST}-viral`;

describeInBrowser('reads through the edge cache', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none' }, { edgeCache: true });
  }, 120_000);
  afterAll(() => world?.close());

  /** The demo post, its script tag told to read through the edge, showing the test's thread. */
  async function openThroughEdge(
    tab?: Page,
    reader = world.context,
  ): Promise<{ tab: Page; list: Promise<Response> }> {
    const page = tab ?? (await reader.newPage());
    await page.route(`**${POST}`, async (route) => {
      const original = await route.fetch();
      const html = (await original.text())
        .replace('data-api="/api"', 'data-api="/api" data-reads="/edge"')
        .replace('<leserpost-comments', `<leserpost-comments page="${THREAD}"`);
      await route.fulfill({ response: original, body: html });
    });
    const list = page.waitForResponse((r) => r.url().includes('/comments?page='));
    if (tab) await page.reload();
    else await page.goto(world.stack.url + POST);
    return { tab: page, list };
  }
  const articles = (tab: Page) =>
    tab
      .locator('leserpost-comments')
      .locator('article')
      .evaluateAll((a) => a.map((x) => x.getAttribute('aria-label')));

  it('shows her own new comment at once though the edge serves the older list; others get that list', async () => {
    // Without moderation every comment is visible at once.
    await apiCall(world.stack, 'POST', '/comments', {
      page: THREAD,
      name: 'Anna Leserin',
      email: 'anna@example.org',
      text: 'Der erste Kommentar.',
      consent: true,
    });
    const { tab, list } = await openThroughEdge();
    const first = await list;
    expect(new URL(first.url()).pathname).toBe('/edge/comments');
    expect(first.headers()['x-cache']).toBe('Miss from local edge');
    await tab.locator('leserpost-comments').getByRole('article', { name: 'Anna Leserin' }).waitFor();

    // She posts: the write goes to the API itself, never through the edge.
    const form = tab.locator('leserpost-comments').getByRole('form', { name: 'Kommentar schreiben' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Dora Dabei');
    await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('dora@example.org');
    await form
      .getByRole('textbox', { name: 'Kommentar', exact: true })
      .fill('Ich bin gerade erst dazugekommen.');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    const posted = tab.waitForResponse((r) => r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    const answer = await posted;
    expect(new URL(answer.url()).pathname).toBe('/api/comments');
    const { comment, visible } = await answer.json();
    expect(visible).toBe(true);

    // Reloaded within the cache lifetime: the list comes from the edge, without her comment …
    const again = await openThroughEdge(tab);
    const cached = await again.list;
    expect(cached.headers()['x-cache']).toBe('Hit from local edge');
    expect(await cached.text()).not.toContain(comment.id);
    // … and still she sees it, once, after Anna's.
    await tab.locator('leserpost-comments').getByRole('article', { name: 'Dora Dabei' }).waitFor();
    expect(await articles(tab)).toEqual(['Anna Leserin', 'Dora Dabei']);
    await screenshot(tab, 'edge-own-comment');

    // Another reader (a browser of her own: her storage is not shared) gets the cached list until
    // it expires (test/integration/edge-cache.test.ts: after LIMITS.edgeCache seconds the edge
    // fetches again).
    const other = await openThroughEdge(undefined, await world.otherReader());
    expect((await other.list).headers()['x-cache']).toBe('Hit from local edge');
    await other.tab.locator('leserpost-comments').getByRole('article', { name: 'Anna Leserin' }).waitFor();
    expect(await articles(other.tab)).toEqual(['Anna Leserin']);
    await other.tab.close();
    await tab.close();
  });
});
