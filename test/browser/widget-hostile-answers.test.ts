/**
 * The widget under answers it does not expect, in Chromium: API answers of the wrong shape (played
 * in with `page.route`; whatever is stored goes through the real local stack), a slow answer
 * overtaken by the reader, an edge cache that answers the same page whatever the cursor, a form
 * chunk that does not arrive, a page that is never idle, and a proxy's broken answer to a comment
 * she sends. Each time the rest keeps working, a failure says
 * so in words, and nothing in an answer becomes markup.
 */
import fc from 'fast-check';
import type { Route } from 'playwright-core';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  gate,
  pageErrors,
  replaceElement,
  screenshot,
  scriptedLinks,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';
const OFFLINE = 'Keine Verbindung. Bitte versuche es noch einmal.';

/** Whether a request of the thread list asks for this page's thread (not the demo post's own). */
const asksFor = (route: Route, page: string) =>
  new URL(route.request().url()).searchParams.get('page') === page;

describeInBrowser('the widget under unexpected answers in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'none' });
  }, 120_000);
  afterAll(() => world?.close());

  it('a comment the answer holds in a broken shape leaves out only itself, and nothing in it becomes markup', async () => {
    const page = '/posts/kaputte-eintraege';
    await seedComment(world.stack, { page, name: 'Greta', text: 'Ich bin ganz normal.' });
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    const real = await apiCall(world.stack, 'GET', `/comments?page=${encodeURIComponent(page)}`);
    let hostile: unknown[] = [];
    await tab.route('**/api/comments?*', (route) =>
      route.fulfill({ json: { ...real, comments: [...real.comments, ...hostile] } }),
    );
    const payload = '<img src=x onerror="window.hacked=1">';
    const text = fc.oneof(fc.string(), fc.constant(payload), fc.integer(), fc.constant(null), fc.object());
    const md = fc.oneof(
      fc.constant([['p br', 'x']]),
      fc.constant([
        ['script', 'window.hacked=1'],
        ['img', payload],
      ]),
      fc.constant([
        ['a', 'javascript:window.hacked=1', 'klick'],
        ['pre', payload],
      ]),
      fc.anything({ maxDepth: 3 }),
    );
    const comment = fc.record(
      {
        id: fc.oneof(
          fc.constantFrom('__proto__', 'constructor', real.comments[0].id),
          fc.string(),
          fc.integer(),
        ),
        page: fc.constant(page),
        parentId: fc.oneof(fc.constant(real.comments[0].id), fc.constant('__proto__'), fc.string()),
        name: text,
        website: fc.oneof(fc.constant('javascript:window.hacked=1'), fc.string()),
        text,
        md,
        createdAt: fc.oneof(
          fc.constant('2026-11-30T09:00:00.000Z'),
          fc.string(),
          fc.double(),
          fc.constant(null),
        ),
        byAuthor: fc.boolean(),
        authorLabel: text,
        status: fc.constantFrom('pending', 'visible', '<b>'),
        votes: fc.oneof(fc.constant(1e308), fc.integer()),
      },
      { requiredKeys: [] },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(comment, fc.anything({ maxDepth: 2 })), { maxLength: 4 }),
        async (list) => {
          hostile = list;
          const element = await replaceElement(tab, 'leserpost-comments', `t${++run}`, { page });
          await element.getByText('Ich bin ganz normal.').waitFor({ timeout: 45_000 });
          expect((await element.getByRole('status').first().textContent())?.trim()).toBe('');
          const shown = await element.evaluate((el) => ({
            markup: el.shadowRoot!.querySelectorAll('script, img, [onerror]').length,
            hacked: (window as { hacked?: unknown }).hacked,
          }));
          expect(shown).toEqual({ markup: 0, hacked: undefined });
          expect(await scriptedLinks(element)).toEqual([]);
          await element.evaluate((el) => el.remove());
        },
      ),
      {
        numRuns: 8,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        // Without a date the widget can format: once failed the whole list ("Kommentare nicht geladen").
        examples: [[[{ id: 'x', page, name: 'Kaputt', text: 'Ohne Datum', createdAt: 'gestern' }]], [[null]]],
      },
    );
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('a thread answer that is no list of comments (HTML, cut off, null, 500) says so and the form still comes', async () => {
    const page = '/posts/kaputte-liste';
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    let body = '';
    let status = 200;
    await tab.route('**/api/comments?*', (route) =>
      route.fulfill({ status, contentType: 'application/json', body }),
    );
    const answers = fc.record({
      status: fc.constantFrom(200, 400, 404, 500, 502, 503),
      body: fc.oneof(
        fc.constantFrom(
          '<!doctype html><h1>Bad Gateway</h1>',
          '{"comments": [',
          'null',
          '[]',
          '{"comments": 5}',
          '"x"',
          '',
        ),
        fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
      ),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        ({ status, body } = answer);
        const element = await replaceElement(tab, 'leserpost-comments', `l${++run}`, { page });
        await expectText(
          element.getByRole('status').first(),
          'Kommentare nicht geladen. Bitte lade die Seite neu.',
        );
        await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
        await element.evaluate((el) => el.remove());
      }),
      {
        numRuns: 6,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [[{ status: 200, body: '{"comments": [' }], [{ status: 500, body: 'null' }]],
      },
    );
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('an edge cache that ignores the cursor does not make a permalink load the same page for ever', async () => {
    const page = '/posts/endlos';
    await seedComment(world.stack, { page, name: 'Ida', text: 'Immer dieselbe Seite.' });
    const tab = await world.open(POST);
    // A permalink to a comment that is on no page (deleted since, or never there).
    await tab.evaluate(() => {
      location.hash = 'kommentar-01ARZ3NDEKTSV4RRFFQ69G5FAV';
    });
    // The first page as the cache keeps it, answered again for every cursor.
    const first = await apiCall(world.stack, 'GET', `/comments?page=${encodeURIComponent(page)}`);
    let asked = 0;
    await tab.route('**/api/comments?*', (route: Route) => {
      if (!asksFor(route, page)) return route.continue();
      asked++;
      return route.fulfill({ json: { ...first, cursor: 'immer-derselbe-cursor' } });
    });
    const element = await replaceElement(tab, 'leserpost-comments', 'endlos', { page });
    // The form comes once the thread has finished loading; a loop would never let it.
    await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
    await element.getByText('Immer dieselbe Seite.').waitFor();
    expect((await element.getByRole('status').first().textContent())?.trim()).toBe('');
    expect(asked).toBe(2);
    await tab.close();
  });

  it('a slow answer of the order she has left since is dropped, not mixed into the new order', async () => {
    const page = '/posts/langsam';
    for (const name of ['Anna', 'Berta', 'Clara'])
      await seedComment(world.stack, { page, name, text: `Kommentar von ${name}.` });
    const tab = await world.open(POST);
    const held = gate();
    const asked = gate();
    await tab.route('**/api/comments?*', async (route) => {
      if (asksFor(route, page) && route.request().url().includes('order=oldest')) {
        asked.open();
        await held.passed;
      }
      await route.continue();
    });
    const element = await replaceElement(tab, 'leserpost-comments', 'langsam', { page, 'page-size': '1' });
    await asked.passed;
    await element.getByRole('button', { name: 'Neueste zuerst' }).click();
    await element.getByRole('article', { name: 'Clara' }).waitFor({ timeout: 45_000 });
    held.open();
    // The form comes after the first (the slow) answer was handled.
    await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
    const names = await element
      .getByRole('article')
      .evaluateAll((all) => all.map((a) => a.getAttribute('aria-label')));
    expect(names).toEqual(['Clara']);
    await element.getByRole('button', { name: 'Weitere Kommentare' }).waitFor();
    await tab.close();
  });

  it('a page that is never idle still gets the form', async () => {
    const page = '/posts/nie-untaetig';
    const tab = await world.open(POST);
    // A blog page whose scripts keep the main thread busy (ads, trackers): no idle moment at all.
    // Messages, unlike timers, are never clamped: there is always a task waiting.
    await tab.evaluate(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        for (const end = performance.now() + 20; performance.now() < end; );
        if (!(window as { stopSpinning?: boolean }).stopSpinning) channel.port2.postMessage(0);
      };
      channel.port2.postMessage(0);
    });
    const element = await replaceElement(tab, 'leserpost-comments', 'untaetig', { page });
    await element.getByRole('form', { name: 'Kommentar schreiben' }).waitFor({ timeout: 45_000 });
    await tab.evaluate(() => {
      (window as { stopSpinning?: boolean }).stopSpinning = true;
    });
    await tab.close();
  });

  it('a form that does not arrive says so in words, and “Antworten” fetches it again', async () => {
    const page = '/posts/ohne-formular';
    await seedComment(world.stack, { page, name: 'Jana', text: 'Antwort erwünscht.' });
    const tab = await world.context.newPage();
    const errors = pageErrors(tab);
    let blocked = true;
    await tab.route('**/widget/leserpost-form.*', (route) => (blocked ? route.abort() : route.continue()));
    await tab.goto(world.stack.url + POST);
    const element = await replaceElement(tab, 'leserpost-comments', 'ohne', { page });
    await expectText(element.getByRole('status').first(), OFFLINE);
    expect(await element.getByRole('form').count()).toBe(0);
    await screenshot(tab, 'widget-form-chunk-failed');
    blocked = false;
    await element.getByRole('button', { name: 'Antworten' }).click();
    await element.getByRole('form', { name: 'Antwort an Jana' }).waitFor();
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('a wish board whose form does not arrive says so, and her vote fetches it again and counts', async () => {
    const topic = 'Wie schreibe ich, wenn das Netz wackelt?';
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic,
      email: 'wackel@example.org',
      consent: true,
    });
    expect((await applyWishAction(wish.id, 'accept', {}, new Date())).outcome).toBe('done');
    const tab = await world.context.newPage();
    let blocked = true;
    await tab.route('**/widget/leserpost-form.*', (route) => (blocked ? route.abort() : route.continue()));
    await tab.goto(world.stack.url + POST);
    const board = await replaceElement(tab, 'leserpost-wishes', 'wackelbrett', {});
    const item = board.locator('li').filter({ has: tab.getByRole('heading', { name: topic }) });
    await item.waitFor();
    // The board's own status line, below the list (each wish has its own for votes).
    await expectText(board.locator('p[role=status]'), OFFLINE);
    blocked = false;
    await item.getByRole('button', { name: 'Dafür stimmen' }).click();
    await expectText(item.locator('.vt').getByRole('status'), 'Deine Stimme ist gezählt.');
    await board.getByRole('form').first().waitFor();
    await tab.close();
  });

  it('a proxy’s broken answer to her comment keeps her text; her retry is stored once', async () => {
    const page = '/posts/kaputter-proxy';
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    // What a proxy may put in the comment's place: a cut-off body, then JSON without the comment.
    const broken = ['{"comment": {"id": "01', '{"ok": true}'];
    const keys: (string | undefined)[] = [];
    await tab.route('**/api/comments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key']);
      const next = broken.shift();
      if (next === undefined) return route.continue();
      // Stored for real; only the answer is lost on the way back.
      const response = await route.fetch();
      await route.fulfill({ response, body: next });
    });
    const element = await replaceElement(tab, 'leserpost-comments', 'proxy', { page });
    const form = element.getByRole('form', { name: 'Kommentar schreiben' });
    const text = form.getByRole('textbox', { name: 'Kommentar', exact: true });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Hanna');
    await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('hanna@example.org');
    await text.fill('Kommt das an?');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    for (const sent of [1, 2]) {
      await form.getByRole('button', { name: 'Kommentar senden' }).click();
      for (const deadline = Date.now() + 45_000; keys.length < sent && Date.now() < deadline; )
        await tab.waitForTimeout(100);
      await expectText(form.getByRole('status'), OFFLINE);
      expect(await text.inputValue()).toBe('Kommt das an?');
    }
    await screenshot(tab, 'widget-broken-answer-kept-text');
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    await element.getByRole('article', { name: 'Hanna' }).waitFor({ timeout: 45_000 });
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(3);
    const stored = await apiCall(world.stack, 'GET', `/comments?page=${encodeURIComponent(page)}`);
    expect(stored.comments.map((c: { text: string }) => c.text)).toEqual(['Kommt das an?']);
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('an error answer whose `fields` is no list of issues still shows its message and frees the form', async () => {
    const tab = await world.open(POST);
    const errors = pageErrors(tab);
    let fields: unknown = [];
    let run = 0;
    await tab.route('**/api/comments', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            json: { error: { code: 'invalid', message: `Abgelehnt ${run}.`, fields } },
          })
        : route.continue(),
    );
    const element = await replaceElement(tab, 'leserpost-comments', 'felder', { page: '/posts/felder' });
    const form = element.getByRole('form', { name: 'Kommentar schreiben' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Ines');
    await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('ines@example.org');
    await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Geht das?');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    const issue = fc.record(
      {
        field: fc.constantFrom('text', 'name', '__proto__', 'constructor', 'gibtsnicht'),
        code: fc.string(),
        message: fc.oneof(fc.string(), fc.constant('<img src=x onerror="window.hacked=1">'), fc.object()),
      },
      { requiredKeys: [] },
    );
    const shapes = fc.oneof(
      fc.integer(),
      fc.constant(null),
      fc.string(),
      fc.object(),
      fc.array(fc.oneof(issue, fc.constant(null), fc.integer(), fc.string()), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        fields = shape;
        run++;
        await form.getByRole('button', { name: 'Kommentar senden' }).click();
        for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
          if ((await form.getByRole('status').textContent())?.includes(`Abgelehnt ${run}.`)) break;
          await tab.waitForTimeout(100);
        }
        expect(await form.getByRole('status').textContent()).toContain(`Abgelehnt ${run}.`);
        expect(await form.getAttribute('aria-busy')).toBeNull();
      }),
      {
        numRuns: 6,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [[5], [[null]], [{ text: 'x' }]],
      },
    );
    await screenshot(tab, 'widget-error-answer-odd-fields');
    expect(
      await tab.evaluate(() => ({
        polluted: 'textContent' in {} || 'hidden' in {},
        hacked: (window as { hacked?: unknown }).hacked,
      })),
    ).toEqual({ polluted: false, hacked: undefined });
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('a count the answer gives as anything but a number leaves the blog’s placeholder', async () => {
    const tab = await world.context.newPage();
    const errors = pageErrors(tab);
    let values: unknown[] = [];
    await tab.route('**/api/comments/counts?*', (route) => {
      const pages = new URL(route.request().url()).searchParams.get('pages')!.split(',');
      route.fulfill({ json: { counts: Object.fromEntries(pages.map((p, i) => [p, values[i]])) } });
    });
    const spans = tab.locator('[data-leserpost-count]');
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: 0 })),
        async (answer) => {
          values = answer;
          await tab.goto(`${world.stack.url}/`);
          // The last one always gets a number: once it shows, the others are done too (one loop).
          await expectText(spans.nth(2), String(answer[2]));
          for (const i of [0, 1]) {
            const value = answer[i];
            expect((await spans.nth(i).textContent())?.trim()).toBe(
              typeof value === 'number' ? String(value) : '–',
            );
          }
        },
      ),
      {
        numRuns: 5,
        // No shrinking: each run is a page in Chromium; the first counterexample says enough.
        endOnFailure: true,
        examples: [[[{ n: 1 }, null, 3]]],
      },
    );
    expect(errors).toEqual([]);
    await tab.close();
  });
});
