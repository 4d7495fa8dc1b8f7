/**
 * The widget under what a page or a link shapes, in Chromium: the address's `#kommentar-<id>`
 * (broken escapes, quotes, angle brackets, `__proto__`, very long), the element attributes
 * `page-size`, `api` and `privacy-url`, and the board's and the compliments' answers (links that
 * are no http(s), a slow answer overtaken by a re-sort). The thread still shows without a false
 * "not loaded", and no attribute or answer becomes a `javascript:` link.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  gate,
  pageErrors,
  replaceElement,
  scriptedLinks,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';
const PAGE = '/posts/feindliche-seite';

describeInBrowser('the widget under what a page shapes in Chromium', () => {
  let world: BrowserWorld;
  let firstId = '';
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
    firstId = await seedComment(world.stack, { page: PAGE, name: 'Marta', text: 'Der erste Kommentar.' });
    await seedComment(world.stack, { page: PAGE, name: 'Nele', text: 'Der zweite Kommentar.' });
  }, 120_000);
  afterAll(() => world?.close());

  it('any #kommentar-… in the address: the thread shows without a false error; a real permalink still marks its comment', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const garbage = fc.string({
      unit: fc.constantFrom('%', 'E', '0', 'A', 'z', '<', '>', '"', "'", '_', '-', ' ', 'ä'),
    });
    const hashes = fc.oneof(
      fc.constantFrom(
        'kommentar-__proto__',
        'kommentar-"><img src=x onerror="window.hacked=1">',
        '%',
        `kommentar-${'9'.repeat(100_000)}`,
      ),
      garbage.map((tail) => `kommentar-${tail}`),
      fc.string({ unit: 'binary' }).map((tail) => `kommentar-${tail}`),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hashes, async (hash) => {
        await tab.evaluate((hash) => {
          location.hash = hash;
        }, hash);
        const element = await replaceElement(tab, 'leserpost-comments', `h${++run}`, { page: PAGE });
        await element.getByText('Der zweite Kommentar.').waitFor({ timeout: 45_000 });
        expect((await element.getByRole('status').first().textContent())?.trim()).toBe('');
        expect(await element.locator('.hl').count()).toBe(0);
      }),
      // A broken escape once made the shown thread say "Kommentare nicht geladen" and every hash change throw.
      {
        numRuns: 10,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [['kommentar-%E0%A4%A'], ['kommentar-%']],
      },
    );
    await tab.evaluate((id) => {
      location.hash = `kommentar-${id}`;
    }, firstId);
    const element = await replaceElement(tab, 'leserpost-comments', 'echt', { page: PAGE });
    await element.locator('article.hl', { hasText: 'Der erste Kommentar.' }).waitFor({ timeout: 45_000 });
    expect(await tab.evaluate(() => (window as { hacked?: unknown }).hacked)).toBeUndefined();
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('any `page-size`: the thread loads in whole steps from 1 to 100', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const limits: string[] = [];
    tab.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/comments') && url.searchParams.get('page') === PAGE)
        limits.push(url.searchParams.get('limit')!);
    });
    const sizes = fc.oneof(
      fc.constantFrom('-5', '2.5', '0', '1e9', '-0', 'abc', '', ' 7 ', '0x10', 'Infinity', '-1e400', '1e-9'),
      fc.integer().map(String),
      fc.double().map(String),
      fc.string(),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sizes, async (size) => {
        const element = await replaceElement(tab, 'leserpost-comments', `p${++run}`, {
          page: PAGE,
          'page-size': size,
        });
        await element.getByRole('article').first().waitFor({ timeout: 45_000 });
        expect((await element.getByRole('status').first().textContent())?.trim()).toBe('');
        expect(limits.at(-1)).toMatch(/^([1-9]\d?|100)$/);
      }),
      // A negative or broken one once asked the API for `limit=-5` and showed "Kommentare nicht geladen".
      {
        numRuns: 8,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [['-5'], ['2.5']],
      },
    );
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('any `lang` on the element: German or English, never a broken box', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const langs = fc.oneof(
      fc.constantFrom('de', 'DE-at', 'en-GB', '', 'deutsch', 'x-<script>', '__proto__', 'de'.repeat(5000)),
      fc.string(),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(langs, async (lang) => {
        const element = await replaceElement(tab, 'leserpost-comments', `g${++run}`, { page: PAGE, lang });
        await element.getByText('Der erste Kommentar.').waitFor({ timeout: 45_000 });
        const heading = (await element.getByRole('heading', { level: 2 }).first().textContent())?.trim();
        expect(heading).toBe(/^de|^$/i.test(lang) ? 'Kommentare' : 'Comments');
      }),
      { numRuns: 6, endOnFailure: true },
    );
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('an `api` or `privacy-url` that is no http(s) never becomes a link or a request; the thread still loads', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const schemes = fc.constantFrom(
      'javascript:',
      'JaVaScRiPt:',
      ' javascript:',
      'java\tscript:',
      'data:text/html,',
      'vbscript:',
      'http://[',
    );
    const urls = fc.tuple(schemes, fc.constantFrom('window.hacked=1//', 'alert(1)', ''), fc.string());
    let run = 0;
    await fc.assert(
      fc.asyncProperty(urls, urls, async (api, privacy) => {
        const element = await replaceElement(tab, 'leserpost-comments', `a${++run}`, {
          page: PAGE,
          api: api.join(''),
          'privacy-url': privacy.join(''),
        });
        await element.getByText('Der erste Kommentar.').waitFor({ timeout: 45_000 });
        await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
        expect(await scriptedLinks(element)).toEqual([]);
      }),
      // Once the RSS link and the consent's privacy link carried the attribute as it was.
      {
        numRuns: 6,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [
          [
            ['javascript:', 'window.hacked=1//', ''],
            ['javascript:', 'window.hacked=1', ''],
          ],
        ],
      },
    );
    expect(await tab.evaluate(() => (window as { hacked?: unknown }).hacked)).toBeUndefined();
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('compliments and wishes whose links are no http(s) or broken: each entry shows, without that link', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const createdAt = new Date().toISOString();
    const links = [
      'javascript:window.hacked=1',
      'http://[',
      'data:text/html,<script>window.hacked=1</script>',
    ];
    await tab.route('**/api/compliments*', (route) =>
      route.fulfill({
        json: {
          comments: [
            ...links.map((page, i) => ({
              id: `k${i}`,
              text: `Kompliment ${i}.`,
              name: 'Rosa',
              createdAt,
              page,
            })),
            { id: 'kaputt', text: 'Ohne Datum.', createdAt: 'gestern', page: '/posts/x' },
            { id: 'gut', text: 'Gut verlinkt.', createdAt, page: POST },
          ],
          cursor: null,
        },
      }),
    );
    await tab.route('**/api/wishes?*', (route) =>
      route.fulfill({
        json: {
          wishes: [
            ...links.map((articleUrl, i) => ({
              id: `w${i}`,
              topic: `Wunsch ${i}`,
              status: 'written',
              votes: 1e308,
              articleUrl,
              createdAt,
            })),
            { id: 'kaputt', topic: 'Ohne Datum', status: 'accepted', votes: 1, createdAt: 'gestern' },
          ],
          cursor: null,
        },
      }),
    );
    const compliments = await replaceElement(tab, 'leserpost-compliments', 'komplimente', {});
    await compliments.getByText('Gut verlinkt.').waitFor({ timeout: 45_000 });
    for (const i of [0, 1, 2]) await compliments.getByText(`Kompliment ${i}.`).waitFor();
    expect(await compliments.getByRole('link', { name: 'zum Beitrag' }).count()).toBe(1);
    expect(await scriptedLinks(compliments)).toEqual([]);

    const board = await replaceElement(tab, 'leserpost-wishes', 'wuensche', {});
    for (const i of [0, 1, 2])
      await board.getByRole('heading', { name: `Wunsch ${i}` }).waitFor({ timeout: 45_000 });
    expect((await board.locator('section > [role=status]').textContent())?.trim()).toBe('');
    expect(await board.getByRole('link', { name: 'Zum Beitrag' }).count()).toBe(0);
    expect(await scriptedLinks(board)).toEqual([]);
    expect(await tab.evaluate(() => (window as { hacked?: unknown }).hacked)).toBeUndefined();
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('a count element whose page the API refuses (too long) costs the other counts nothing', async () => {
    await seedComment(world.stack, { page: '/posts/newsletter-ohne-angst', name: 'Olga', text: 'Gezählt.' });
    const tab = await world.context.newPage();
    const errors = pageErrors(tab);
    // The index page as a theme would serve it with one more count element.
    await tab.route(`${world.stack.url}/`, async (route) => {
      const response = await route.fetch();
      const span = `<span data-leserpost-count="/posts/${'lang'.repeat(150)}">–</span>`;
      await route.fulfill({ response, body: (await response.text()).replace('</main>', `${span}</main>`) });
    });
    await tab.goto(`${world.stack.url}/`);
    expect(await tab.locator('[data-leserpost-count]').count()).toBe(4);
    await expectText(tab.locator('[data-leserpost-count="/posts/newsletter-ohne-angst"]'), '1');
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('a slow board answer of the sort order she has left since is dropped: no wish shows twice', async () => {
    for (const topic of ['Erster Wunsch zum Sortieren', 'Zweiter Wunsch zum Sortieren']) {
      const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
        topic,
        email: `wunsch.${randomBytes(3).toString('hex')}@example.org`,
        consent: true,
      });
      expect((await applyWishAction(wish.id, 'accept', {}, new Date())).outcome).toBe('done');
    }
    const tab = await world.open('/wuensche');
    const errors = pageErrors(tab);
    const held = gate();
    const asked = gate();
    await tab.route('**/api/wishes?*', async (route) => {
      if (route.request().url().includes('sort=votes')) {
        asked.open();
        await held.passed;
      }
      await route.continue();
    });
    const board = await replaceElement(tab, 'leserpost-wishes', 'sortieren', {});
    await asked.passed;
    await board.getByRole('button', { name: 'Neueste', exact: true }).click();
    await board.getByRole('heading', { name: 'Zweiter Wunsch zum Sortieren' }).waitFor({ timeout: 45_000 });
    held.open();
    // The wish form comes after the first (the slow) answer was handled.
    await board.getByRole('form', { name: 'Thema wünschen' }).waitFor({ timeout: 45_000 });
    const topics = await board.locator('li h3').allTextContents();
    expect(topics.filter((topic) => topic.endsWith('zum Sortieren'))).toEqual([
      'Zweiter Wunsch zum Sortieren',
      'Erster Wunsch zum Sortieren',
    ]);
    expect(errors).toEqual([]);
    await tab.close();
  });
});
