/**
 * The comments widget in a real Chromium against the local stack: reading a thread, posting,
 * validation in the browser and from the server, replies, the pending note, approval through the
 * link in the author's mail (outbox), "remember me", "load more", the retry with the same
 * Idempotency-Key and the counts of an index page.
 */
import type { Locator, Page, Request } from 'playwright-core';
import { applyCommentAction } from '../../functions/store/comments';
import { linkIn } from '../support/outbox';
import {
  type BrowserWorld,
  describedError,
  describeInBrowser,
  expectText,
  focused,
  screenshot,
  seedComment,
  startWorld,
  waitForMail,
} from './support';

const POST = '/posts/schwierigste-kundin';
const LABELS = { name: 'Name', email: 'E-Mail', website: 'Website', text: 'Kommentar' } as const;
const field = (form: Locator, label: string) => form.getByRole('textbox', { name: label, exact: true });
const send = (form: Locator) => form.getByRole('button', { name: 'Kommentar senden' }).click();

/** Puts a comments element for another thread on the demo page (same origin, same script). */
async function mountThread(page: Page, path: string, pageSize?: number): Promise<void> {
  await page.evaluate(
    ([path, size]) => {
      document.querySelector('leserpost-comments')?.remove();
      const element = document.createElement('leserpost-comments');
      element.setAttribute('page', String(path));
      if (size) element.setAttribute('page-size', String(size));
      document.querySelector('main')!.append(element);
    },
    [path, pageSize ?? 0] as const,
  );
}

describeInBrowser('the comments widget in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    // Every new comment waits for the author, so the pending note shows.
    world = await startWorld({ MODERATION: 'all' }, { mail: true });
  }, 120_000);
  afterAll(() => world?.close());

  const widget = (page: Page) => page.locator('leserpost-comments');
  /** The comment POSTs a page sends, with their headers. */
  const posts = (page: Page) => {
    const seen: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/comments')) seen.push(request);
    });
    return seen;
  };

  async function fill(
    form: Locator,
    fields: { name?: string; email?: string; website?: string; text?: string; consent?: boolean },
  ): Promise<Locator> {
    for (const [key, label] of Object.entries(LABELS)) {
      const value = fields[key as keyof typeof LABELS];
      if (value !== undefined) await field(form, label).fill(value);
    }
    if (fields.consent) await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    return form;
  }
  const mainForm = (page: Page) => widget(page).getByRole('form', { name: 'Kommentar schreiben' });

  it('shows the thread: replies under their parent, names linked, reader text only as text', async () => {
    const page = `${POST}-thread`;
    const anna = await seedComment(world.stack, {
      page,
      name: 'Anna Leserin',
      website: 'https://anna.example/',
      text: 'Erster Absatz.\nZweite Zeile mit https://example.org/quelle.\n\n<img src=x onerror="window.hacked=1"> bleibt Text.',
    });
    await seedComment(world.stack, {
      page,
      name: 'Bernd Beispiel',
      text: 'Antwort auf Anna.',
      parentId: anna,
    });
    await seedComment(world.stack, { page, name: 'Cem', text: 'Noch ein Kommentar.' });

    const tab = await world.open(POST);
    await mountThread(tab, page);
    const annaArticle = widget(tab).getByRole('article', { name: 'Anna Leserin' });
    await annaArticle.waitFor();

    // The reply sits in the list inside Anna's item; Cem's comment is back at the top level.
    const annaItem = widget(tab).locator('li', { has: tab.locator('> article[aria-label="Anna Leserin"]') });
    await waitVisible(annaItem.locator('li > article[aria-label="Bernd Beispiel"]'));
    expect(
      await widget(tab)
        .locator('section > ol > li > article')
        .evaluateAll((a) => a.map((x) => x.getAttribute('aria-label'))),
    ).toEqual(['Anna Leserin', 'Cem']);

    const nameLink = annaArticle.getByRole('link', { name: 'Anna Leserin' });
    expect(await nameLink.getAttribute('href')).toBe('https://anna.example/');
    expect(await nameLink.getAttribute('rel')).toBe('nofollow ugc noopener');
    const urlLink = annaArticle.getByRole('link', { name: 'https://example.org/quelle' });
    expect(await urlLink.getAttribute('rel')).toBe('nofollow ugc noopener');

    // Two paragraphs, a line break, the closing full stop outside the link, the markup as text.
    const text = annaArticle.locator('.tx');
    expect(await text.locator('p').count()).toBe(2);
    expect(await text.locator('br').count()).toBe(1);
    expect(await text.locator('p').first().textContent()).toBe(
      'Erster Absatz.Zweite Zeile mit https://example.org/quelle.',
    );
    expect(await text.locator('p').nth(1).textContent()).toBe(
      '<img src=x onerror="window.hacked=1"> bleibt Text.',
    );
    expect(await widget(tab).locator('img').count()).toBe(0);
    expect(await tab.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();

    // Initials instead of a Gravatar; the date in the reader's locale (de-DE here).
    expect(await annaArticle.locator('.av').textContent()).toBe('AL');
    expect(await annaArticle.locator('time').textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    expect(await annaArticle.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await screenshot(tab, 'comments-thread');
    await tab.close();
  });

  it('checks the form in the browser with the shared schema, next to each field, before sending', async () => {
    const tab = await world.open(POST);
    const sent = posts(tab);
    const form = mainForm(tab);
    await send(form);

    const errorOf = async (input: Locator) => {
      const error = await describedError(input);
      return {
        invalid: await input.getAttribute('aria-invalid'),
        text: (await error.isVisible()) ? await error.textContent() : '',
      };
    };
    const consent = form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ });
    // The privacy page from the script's data-privacy-url, next to the consent.
    expect(await form.getByRole('link', { name: 'Datenschutz' }).getAttribute('href')).toBe('/datenschutz');
    expect(await errorOf(field(form, 'Name'))).toEqual({ invalid: 'true', text: 'Bitte ausfüllen.' });
    expect(await errorOf(field(form, 'E-Mail'))).toEqual({ invalid: 'true', text: 'Bitte ausfüllen.' });
    expect(await errorOf(field(form, 'Kommentar'))).toEqual({ invalid: 'true', text: 'Bitte ausfüllen.' });
    expect(await errorOf(consent)).toEqual({ invalid: 'true', text: 'Bitte stimme zu.' });
    expect(await errorOf(field(form, 'Website'))).toEqual({ invalid: null, text: '' });
    expect(await form.getByRole('status').textContent()).toBe('Bitte prüfe die markierten Felder.');
    expect(await focused(tab)).toMatchObject({ tag: 'input', name: 'name' });

    await fill(form, { name: 'Anna', email: 'anna@', website: 'ftp://anna.example', text: 'x' });
    await send(form);
    expect((await errorOf(field(form, 'E-Mail'))).text).toBe('Bitte eine gültige E-Mail-Adresse angeben.');
    expect((await errorOf(field(form, 'Website'))).text).toBe(
      'Bitte eine gültige Adresse angeben, z. B. kim-design.de.',
    );
    expect((await errorOf(field(form, 'Kommentar'))).text).toBe('Zu kurz.');
    expect(await errorOf(field(form, 'Name'))).toEqual({ invalid: null, text: '' });
    expect(await focused(tab)).toMatchObject({ name: 'email' });
    await screenshot(tab, 'comments-form-errors');
    expect(sent).toHaveLength(0);
    await tab.close();
  });

  it("shows the server's field errors next to the field, and the ones without a field in the status line", async () => {
    const tab = await world.open(POST);
    // A field error only the server can find (here: the answer of a stricter server, stubbed).
    await tab.route('**/api/comments', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'invalid_input',
                message: 'Bitte prüfe die markierten Felder.',
                fields: [
                  { field: 'email', code: 'invalid_email', message: 'Diese Adresse nimmt keine Post an.' },
                ],
              },
            }),
          })
        : route.continue(),
    );
    const form = await fill(mainForm(tab), {
      name: 'Anna',
      email: 'anna@example.org',
      text: 'Ein Kommentar.',
      consent: true,
    });
    await send(form);
    await waitVisible(form.getByText('Diese Adresse nimmt keine Post an.'));
    expect(await field(form, 'E-Mail').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(tab)).toMatchObject({ name: 'email' });
    await tab.unroute('**/api/comments');

    // A real refusal of the server: the comment to answer was deleted meanwhile.
    const parent = await seedComment(world.stack, {
      page: `${POST}-deleted`,
      name: 'Gabi',
      text: 'Gleich weg.',
    });
    await mountThread(tab, `${POST}-deleted`);
    await widget(tab)
      .getByRole('article', { name: 'Gabi' })
      .getByRole('button', { name: 'Antworten' })
      .click();
    const reply = widget(tab).getByRole('form', { name: 'Antwort an Gabi' });
    await fill(reply, { name: 'Anna', email: 'anna@example.org', text: 'Antwort ins Leere.', consent: true });
    await applyCommentAction(parent, 'delete', new Date());
    await send(reply);
    await waitVisible(
      reply.getByRole('status').getByText('Der Kommentar, auf den du antwortest, ist nicht (mehr) sichtbar.'),
    );
    await tab.close();
  });

  it('posts a comment: it appears with the pending note, and after approval from the outbox link for every reader', async () => {
    const tab = await world.open(POST);
    const sent = posts(tab);
    // README: the opt-in for reply mails is unticked until she ticks it.
    const replyMails = mainForm(tab).getByRole('checkbox', { name: /Benachrichtige mich bei Antworten/ });
    expect(await replyMails.isChecked()).toBe(false);
    const form = await fill(mainForm(tab), {
      name: 'Clara Kommentara',
      email: 'clara@example.org',
      website: 'https://clara.example',
      text: 'Das mit den drei Fragen probiere ich aus.\n\nDanke!',
      consent: true,
    });
    const answer = tab.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments'),
    );
    await send(form);
    const { comment, visible } = await (await answer).json();
    expect({ visible, status: comment.status }).toEqual({ visible: false, status: 'pending' });

    const article = widget(tab).getByRole('article', { name: 'Clara Kommentara' });
    await waitVisible(article.getByText('Wartet auf Freigabe'));
    expect(await focused(tab)).toMatchObject({ tag: 'article', label: 'Clara Kommentara' });
    await waitVisible(
      widget(tab).getByRole('status').getByText('Dein Kommentar erscheint nach der Freigabe.'),
    );
    // The form is ready for the next comment: text and consent cleared, name kept.
    expect(await field(form, 'Kommentar').inputValue()).toBe('');
    expect(await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).isChecked()).toBe(false);
    expect(await field(form, 'Name').inputValue()).toBe('Clara Kommentara');
    expect(sent[0]!.headers()['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await screenshot(tab, 'comments-pending');

    await tab.reload();
    await widget(tab).locator('form').waitFor();
    // Her browser keeps it, with its note, until it is approved (more in own-pending.test.ts).
    await waitVisible(
      widget(tab).getByRole('article', { name: 'Clara Kommentara' }).getByText('Wartet auf Freigabe'),
    );

    // The author approves from her mail: the outbox page lists it, the link asks, the button acts.
    const mail = await waitForMail(world.stack, 'Clara Kommentara');
    expect(mail.text).toContain('Das mit den drei Fragen probiere ich aus.');
    const outbox = await world.open('/dev/mail');
    await outbox
      .getByRole('link', { name: /Clara Kommentara/ })
      .first()
      .waitFor();
    await outbox.goto(linkIn(mail, 'Freigeben'));
    await outbox.getByRole('button').click();
    await outbox.getByText('Erledigt').first().waitFor();
    await outbox.close();
    await tab.reload();
    const approved = widget(tab).getByRole('article', { name: 'Clara Kommentara' });
    await approved.waitFor();
    expect(await approved.getByText('Wartet auf Freigabe').count()).toBe(0);
    expect(await approved.locator('.tx p').count()).toBe(2);
    await tab.close();
  });

  it('replies under the comment, with focus in the reply form and back on cancel', async () => {
    const page = `${POST}-reply`;
    await seedComment(world.stack, { page, name: 'Dora', text: 'Was meinst du mit drei Fragen?' });
    const tab = await world.open(POST);
    await mountThread(tab, page);
    const dora = widget(tab).getByRole('article', { name: 'Dora' });
    const replyButton = dora.getByRole('button', { name: 'Antworten' });
    await replyButton.click();
    const replyForm = widget(tab).getByRole('form', { name: 'Antwort an Dora' });
    await replyForm.waitFor();
    expect(await replyButton.getAttribute('aria-expanded')).toBe('true');
    expect(await focused(tab)).toMatchObject({ name: 'name' });

    await replyForm.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await replyForm.count()).toBe(0);
    expect(await focused(tab)).toMatchObject({ tag: 'button' });
    expect(await replyButton.getAttribute('aria-expanded')).toBe('false');

    await replyButton.click();
    await fill(replyForm, {
      name: 'Emil',
      email: 'emil@example.org',
      text: 'Die drei Fragen stehen im ersten Absatz.',
      consent: true,
    });
    await send(replyForm);

    const reply = widget(tab)
      .locator('li', { has: tab.locator('> article[aria-label="Dora"]') })
      .getByRole('article', { name: 'Emil' });
    await waitVisible(reply.getByText('Wartet auf Freigabe'));
    expect(await replyForm.count()).toBe(0);
    await screenshot(tab, 'comments-reply');
    await tab.close();
  });

  it('remembers name, email and website only when asked, and sets no cookie', async () => {
    const tab = await world.open(POST);
    const hosts = new Set<string>();
    const sent: Record<string, unknown>[] = [];
    tab.on('request', (request) => {
      hosts.add(new URL(request.url()).host);
      if (request.method() === 'POST' && request.url().endsWith('/comments'))
        sent.push(request.postDataJSON());
    });
    const form = await fill(mainForm(tab), {
      name: 'Fritzi',
      email: 'fritzi@example.org',
      website: 'https://fritzi.example',
      text: 'Merk dir das.',
      consent: true,
    });
    await form.getByRole('checkbox', { name: /merken/ }).check();
    await send(form);
    await widget(tab).getByRole('article', { name: 'Fritzi' }).waitFor();
    expect(await tab.evaluate(() => JSON.parse(localStorage.getItem('leserpost:me')!))).toEqual({
      name: 'Fritzi',
      email: 'fritzi@example.org',
      website: 'https://fritzi.example',
    });
    // The browser's reader key: kept here, sent with the comment, so approval can trust this pair.
    const readerKey = await tab.evaluate(() => JSON.parse(localStorage.getItem('leserpost:rk')!));
    expect(readerKey).toMatch(/^[\w-]{16,64}$/);
    expect(sent.at(-1)!.readerKey).toBe(readerKey);

    await tab.reload();
    const again = mainForm(tab);
    await again.waitFor();
    expect(await field(again, 'Name').inputValue()).toBe('Fritzi');
    expect(await field(again, 'E-Mail').inputValue()).toBe('fritzi@example.org');
    expect(await again.getByRole('checkbox', { name: /merken/ }).isChecked()).toBe(true);

    // Unticking and posting forgets.
    await again.getByRole('checkbox', { name: /merken/ }).uncheck();
    await fill(again, { text: 'Und jetzt vergiss es.', consent: true });
    await send(again);
    await waitVisible(widget(tab).getByText('Und jetzt vergiss es.'));
    expect(await tab.evaluate(() => localStorage.getItem('leserpost:me'))).toBeNull();
    expect(await tab.evaluate(() => localStorage.getItem('leserpost:rk'))).toBeNull();
    expect(sent.at(-1)!.readerKey).toBeUndefined();

    expect(await world.context.cookies()).toEqual([]);
    expect([...hosts]).toEqual([new URL(world.stack.url).host]);
    await tab.close();
  });

  it('loads more comments with the cursor', async () => {
    const page = '/posts/viele-kommentare';
    for (const name of ['Erste', 'Zweite', 'Dritte'])
      await seedComment(world.stack, { page, name, text: `Kommentar von ${name}.` });
    const tab = await world.open(POST);
    await mountThread(tab, page, 2);
    await widget(tab).getByRole('article', { name: 'Zweite' }).waitFor();
    expect(await widget(tab).getByRole('article').count()).toBe(2);
    const more = widget(tab).getByRole('button', { name: 'Weitere Kommentare' });
    await more.click();
    await widget(tab).getByRole('article', { name: 'Dritte' }).waitFor();
    expect(await widget(tab).getByRole('article').count()).toBe(3);
    expect(await more.isHidden()).toBe(true);
    await tab.close();
  });

  it('sends a submission again with the same Idempotency-Key after a network failure, a new one for the next', async () => {
    const tab = await world.open(POST);
    const sent = posts(tab);
    let failed = false;
    await tab.route('**/api/comments', (route) => {
      if (route.request().method() !== 'POST' || failed) return route.continue();
      failed = true;
      return route.abort('connectionreset');
    });
    const form = await fill(mainForm(tab), {
      name: 'Gustav',
      email: 'gustav@example.org',
      text: 'Wackelige Leitung.',
      consent: true,
    });
    await send(form);
    await widget(tab).getByRole('article', { name: 'Gustav' }).waitFor();
    expect(sent).toHaveLength(2);
    const [first, retry] = sent.map((request) => request.headers()['idempotency-key']);
    expect(retry).toBe(first);

    await fill(form, { text: 'Zweiter Kommentar.', consent: true });
    await send(form);
    await waitVisible(widget(tab).getByText('Zweiter Kommentar.'));
    expect(sent[2]!.headers()['idempotency-key']).not.toBe(first);
    expect(await widget(tab).getByText('Wackelige Leitung.').count()).toBe(1);
    await tab.close();
  });

  it("tries once more when the service is busy, then shows the server's message", async () => {
    const tab = await world.open(POST);
    const sent = posts(tab);
    const busy = {
      error: {
        code: 'service_unavailable',
        message: 'Der Dienst ist gerade überlastet. Bitte versuche es gleich noch einmal.',
        fields: [],
      },
    };
    await tab.route('**/api/comments', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 503, headers: { 'retry-after': '1' }, json: busy })
        : route.continue(),
    );
    const form = await fill(mainForm(tab), {
      name: 'Olga',
      email: 'olga@example.org',
      text: 'Hallo?',
      consent: true,
    });
    await send(form);
    await expectText(form.getByRole('status'), busy.error.message);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers()['idempotency-key']).toBe(sent[0]!.headers()['idempotency-key']);
    // The text stays, so the reader can send it again later.
    expect(await field(form, 'Kommentar').inputValue()).toBe('Hallo?');
    await tab.close();
  });

  it('runs as a module script under a strict Content-Security-Policy', async () => {
    const page = `${POST}-csp`;
    await seedComment(world.stack, { page, name: 'Paula Policy', text: 'Streng, aber herzlich.' });
    const tab = await world.context.newPage();
    await tab.addInitScript(() => {
      const seen: string[] = [];
      (window as { cspViolations?: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(event.violatedDirective));
    });
    // The demo post as a blog with a strict policy would serve it, loading the widget as a module.
    await tab.route(`${world.stack.url}${POST}`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text())
        .replace(
          '<head>',
          `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src data:">`,
        )
        .replace('<leserpost-comments>', `<leserpost-comments page="${page}">`)
        .replace(' defer></script>', ' type="module"></script>');
      await route.fulfill({ response, body: html });
    });
    await tab.goto(`${world.stack.url}${POST}`);
    const paula = widget(tab).getByRole('article', { name: 'Paula Policy' });
    await paula.waitFor();
    expect(await tab.locator('script[type=module]').count()).toBe(1);
    // Styled (the constructed stylesheet applies) and nothing was blocked.
    const avatar = await paula.locator('.av').evaluate((element) => {
      const style = getComputedStyle(element);
      return { radius: style.borderRadius, background: style.backgroundColor };
    });
    expect(avatar.radius).toBe('50%');
    expect(avatar.background).toMatch(/^rgb\(/);
    expect(await tab.evaluate(() => (window as { cspViolations?: string[] }).cspViolations)).toEqual([]);
    await tab.close();
  });

  it('fills every count of the index page with one request', async () => {
    await seedComment(world.stack, {
      page: '/posts/newsletter-ohne-angst',
      name: 'Hanna',
      text: 'Mut gemacht!',
    });
    await seedComment(world.stack, { page: '/posts/newsletter-ohne-angst', name: 'Ida', text: 'Genau so.' });
    const requests: string[] = [];
    const tab = await world.context.newPage();
    tab.on('request', (request) => {
      if (request.url().includes('/api/')) requests.push(new URL(request.url()).pathname);
    });
    await tab.goto(`${world.stack.url}/`);
    const count = (path: string) => tab.locator(`[data-leserpost-count="${path}"]`);
    await expectText(count('/posts/newsletter-ohne-angst'), '2');
    // Everything seeded on the post itself in this file is approved: the API's count is the truth.
    expect(Number(await count('/posts/schwierigste-kundin').textContent())).toBeGreaterThanOrEqual(0);
    expect(await count('/en/newsletter-without-fear').textContent()).toBe('0');
    expect(requests).toEqual(['/api/comments/counts']);
    await screenshot(tab, 'index-counts');
    await tab.close();
  });
});

const waitVisible = (locator: Locator) => locator.waitFor();
