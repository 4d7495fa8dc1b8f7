/**
 * The widget's second round in Chromium: formatted comments built from the API's tree (and nothing
 * a reader typed executes), the author's mark, permalinks (also to a comment on a later page),
 * the order switch by keyboard, the feed link, editing and deleting your own comment within the
 * window (a clock the test controls), the form arriving from its chunk, the wish board without its
 * own heading and the vote's confirmation next to its button; axe finds nothing on the new controls.
 */
import { randomBytes } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { config } from '../../functions/runtime/config';
import { documentClient } from '../../functions/runtime/dynamo';
import { applyCommentAction, getComment } from '../../functions/store/comments';
import { keys } from '../../functions/store/keys';
import { applyWishAction } from '../../functions/usecases/wishes';
import {
  apiCall,
  axe,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  focused,
  screenshot,
  seedComment,
  startWorld,
} from './support';

const POST = '/posts/schwierigste-kundin';

async function mountThread(page: Page, path: string, pageSize = 0): Promise<void> {
  await page.evaluate(
    ([path, size]) => {
      document.querySelector('leserpost-comments')?.remove();
      const element = document.createElement('leserpost-comments');
      element.setAttribute('page', String(path));
      if (size) element.setAttribute('page-size', String(size));
      document.querySelector('main')!.append(element);
    },
    [path, pageSize] as const,
  );
}

/** Marks a stored comment as the author's, as her desk does (through the store's key module). */
async function markAsAuthor(id: string, label?: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.comment(id),
      UpdateExpression: `SET byAuthor = :true${label === undefined ? '' : ', authorLabel = :label'}`,
      ExpressionAttributeValues: { ':true': true, ...(label === undefined ? {} : { ':label': label }) },
    }),
  );
}

describeInBrowser('the widget, second round, in Chromium', () => {
  let world: BrowserWorld;
  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'all' });
  }, 120_000);
  afterAll(() => world?.close());

  const widget = (page: Page) => page.locator('leserpost-comments');

  it('renders formatting from the tree, runs nothing a reader typed, and shows the author mark', async () => {
    const page = `${POST}-format`;
    await seedComment(world.stack, {
      page,
      name: 'Anna Leserin',
      text: [
        '**fett** und _schräg_ mit `code`',
        '- eins\n- zwei',
        '> Zitat',
        '```\n<b>kein Tag</b>\n```',
        '[Quelle](https://example.org/q) [böse](javascript:window.hacked=1) <img src=x onerror="window.hacked=1">',
      ].join('\n\n'),
    });
    const jana = await seedComment(world.stack, { page, name: 'Jana', text: 'Danke dir!' });
    const mira = await seedComment(world.stack, { page, name: 'Mira', text: 'Ich auch.' });
    await markAsAuthor(jana);
    await markAsAuthor(mira, 'Gastautorin');
    const readerCannot = await apiCall(world.stack, 'POST', '/comments', {
      page,
      name: 'Eve',
      email: 'eve@example.org',
      text: 'Ich bin die Autorin',
      consent: true,
      byAuthor: true,
    }).catch((error: Error) => error.message);
    expect(readerCannot).toContain('unknown_field');

    const tab = await world.open(POST);
    await mountThread(tab, page);
    const anna = widget(tab).getByRole('article', { name: 'Anna Leserin' });
    await anna.waitFor();
    expect(await anna.locator('.tx strong').textContent()).toBe('fett');
    expect(await anna.locator('.tx em').textContent()).toBe('schräg');
    expect(await anna.locator('.tx p > code').textContent()).toBe('code');
    expect(await anna.locator('.tx ul > li').allTextContents()).toEqual(['eins', 'zwei']);
    expect(await anna.locator('.tx blockquote').textContent()).toBe('Zitat');
    expect(await anna.locator('.tx pre code').textContent()).toBe('<b>kein Tag</b>');
    const link = anna.locator('.tx a', { hasText: 'Quelle' });
    expect(await link.getAttribute('href')).toBe('https://example.org/q');
    expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
    expect(await anna.locator('.tx img, .tx b, .tx a[href^="javascript"]').count()).toBe(0);
    expect(await anna.locator('.tx').textContent()).toContain('<img src=x onerror="window.hacked=1">');
    expect(await tab.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();

    expect(await widget(tab).getByRole('article', { name: 'Jana' }).locator('.au').textContent()).toBe(
      'Autorin',
    );
    expect(await widget(tab).getByRole('article', { name: 'Mira' }).locator('.au').textContent()).toBe(
      'Gastautorin',
    );
    expect(await anna.locator('.au').count()).toBe(0);
    await screenshot(tab, 'round-two-formatting');
    await tab.close();
  });

  it('opens a permalink to a comment on a later page, marks it, and links the feed', async () => {
    const page = `${POST}-permalink`;
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++)
      ids.push(await seedComment(world.stack, { page, name: `Leserin ${i}`, text: `Nummer ${i}` }));
    const tab = await world.open(`${POST}#kommentar-${ids[4]}`);
    await mountThread(tab, page, 2);
    const target = widget(tab).locator(`article#kommentar-${ids[4]}`);
    await target.and(tab.locator('.hl')).waitFor();
    expect(await widget(tab).locator('article').count()).toBe(5);
    expect(await focused(tab)).toMatchObject({ label: 'Leserin 5' });
    // Every comment's date links its anchor.
    expect(
      await widget(tab).locator(`article#kommentar-${ids[0]} .mt a[href="#kommentar-${ids[0]}"]`).count(),
    ).toBe(1);

    const feed = widget(tab).getByRole('link', { name: 'Kommentare als RSS' });
    const href = (await feed.getAttribute('href'))!;
    expect(href).toBe(
      `/api/feeds/comments?page=${encodeURIComponent(page)}`.replace(/^/, `${world.stack.url}`),
    );
    expect(await feed.getAttribute('type')).toBe('application/rss+xml');
    const answer = await tab.evaluate(async (url) => {
      const response = await fetch(url);
      return { type: response.headers.get('content-type'), text: await response.text() };
    }, href);
    expect(answer.type).toBe('application/rss+xml; charset=utf-8');
    expect(answer.text).toContain(`#kommentar-${ids[4]}`);
    await tab.close();
  });

  it('switches to newest first by keyboard', async () => {
    const page = `${POST}-order`;
    for (const name of ['Erste', 'Zweite', 'Dritte'])
      await seedComment(world.stack, { page, name, text: `${name} hier.` });
    const tab = await world.open(POST);
    await mountThread(tab, page);
    const names = () =>
      widget(tab)
        .locator('section > ol > li > article')
        .evaluateAll((all) => all.map((a) => a.getAttribute('aria-label')));
    await widget(tab).getByRole('article', { name: 'Dritte' }).waitFor();
    expect(await names()).toEqual(['Erste', 'Zweite', 'Dritte']);
    const newest = widget(tab).getByRole('button', { name: 'Neueste zuerst' });
    await newest.focus();
    await tab.keyboard.press('Enter');
    await expectText(widget(tab).locator('section > ol > li > article').first().locator('b'), 'Dritte');
    expect(await names()).toEqual(['Dritte', 'Zweite', 'Erste']);
    expect(await newest.getAttribute('aria-pressed')).toBe('true');
    expect(
      await widget(tab).getByRole('button', { name: 'Älteste zuerst' }).getAttribute('aria-pressed'),
    ).toBe('false');
    await tab.close();
  });

  it('lets the reader edit and delete her comment within the window, by keyboard, and not after it', async () => {
    const page = `${POST}-own`;
    const tab = await world.context.newPage();
    const requests: string[] = [];
    tab.on('request', (request) => {
      if (request.url().includes('/widget/')) requests.push(new URL(request.url()).pathname);
    });
    // The test's clock: time runs, and the test moves it past the window without waiting.
    await tab.clock.install();
    await tab.goto(world.stack.url + POST);
    await mountThread(tab, page);
    const form = widget(tab).getByRole('form', { name: 'Kommentar schreiben' }).last();
    await form.waitFor();
    // The form came in its own chunk, after the comments.
    expect(requests.some((path) => /\/leserpost-form\.[0-9a-f]{10}\.js$/.test(path))).toBe(true);
    expect(await form.getByText('Formatierung:').count()).toBe(1);
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Kim');
    await form.getByRole('textbox', { name: 'E-Mail', exact: true }).fill('kim@example.org');
    await form.getByRole('textbox', { name: 'Website', exact: true }).fill('www.kim-design.de');
    await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Mit Tippfeler.');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    const mine = widget(tab).getByRole('article', { name: 'Kim' }).first();
    await mine.waitFor();
    expect(await mine.getByRole('link', { name: 'Kim' }).getAttribute('href')).toBe(
      'https://www.kim-design.de',
    );
    expect(await tab.evaluate(() => document.cookie)).toBe('');

    // Edit by keyboard: focus the button, Enter, type, save.
    await mine.getByRole('button', { name: 'Bearbeiten' }).focus();
    await tab.keyboard.press('Enter');
    const editor = widget(tab).getByRole('form', { name: 'Kommentar bearbeiten' });
    const text = editor.getByRole('textbox', { name: 'Kommentar', exact: true });
    expect(await text.inputValue()).toBe('Mit Tippfeler.');
    expect(await focused(tab)).toMatchObject({ tag: 'textarea' });
    await text.fill('Ohne **Tippfehler**.');
    await tab.keyboard.press('Tab');
    await editor.getByRole('button', { name: 'Speichern' }).press('Enter');
    await expectText(mine.locator('.tx strong'), 'Tippfehler');
    expect(await mine.locator('.mt').textContent()).toContain('bearbeitet');
    await screenshot(tab, 'round-two-own-comment');

    const { violations } = await axe(tab);
    expect(violations).toEqual([]);

    // A second comment, deleted within the window.
    await form.getByRole('textbox', { name: 'Kommentar', exact: true }).fill('Doch lieber nicht.');
    await form.getByRole('checkbox', { name: /Angaben dürfen gespeichert/ }).check();
    await form.getByRole('button', { name: 'Kommentar senden' }).click();
    const second = widget(tab).getByRole('article', { name: 'Kim' }).nth(1);
    await second.getByRole('button', { name: 'Löschen' }).waitFor();
    tab.once('dialog', (dialog) => dialog.accept());
    await second.getByRole('button', { name: 'Löschen' }).focus();
    await tab.keyboard.press('Enter');
    await expectText(second.locator('.hi'), 'Gelöschter Kommentar');
    const secondId = (await second.getAttribute('id'))!.replace('kommentar-', '');
    expect((await getComment(secondId))?.status).toBe('deleted');

    // Past the window the key is useless, and the controls are gone.
    await tab.clock.fastForward('16:00');
    await mine.getByRole('button', { name: 'Bearbeiten' }).waitFor({ state: 'detached' });
    expect(await mine.getByRole('button', { name: 'Löschen' }).count()).toBe(0);
    // Nothing left to press while it is held: its reply button waits, hidden, for the approval.
    expect(await mine.getByRole('button').count()).toBe(0);
    // Approved, it is shown again after a reload: still without the controls.
    const mineId = (await mine.getAttribute('id'))!.replace('kommentar-', '');
    expect((await applyCommentAction(mineId, 'approve', new Date())).outcome).toBe('done');
    await tab.reload();
    await mountThread(tab, page);
    await widget(tab).getByRole('article', { name: 'Kim' }).waitFor();
    expect(await widget(tab).getByRole('button', { name: 'Bearbeiten' }).count()).toBe(0);
    await tab.close();
  });

  it('shows the wish board without its own heading, and the vote confirmation next to the button', async () => {
    const { wish } = await apiCall(world.stack, 'POST', '/wishes', {
      topic: 'Wie schreibe ich gute Betreffzeilen?',
      email: `w.${randomBytes(3).toString('hex')}@example.org`,
      consent: true,
    });
    await applyWishAction(wish.id, 'accept', {}, new Date());
    const tab = await world.open('/wuensche');
    const board = tab.locator('leserpost-wishes');
    const item = board.locator('li', { hasText: 'Wie schreibe ich gute Betreffzeilen?' });
    await item.waitFor();
    expect(await board.getByRole('heading', { name: 'Themenwünsche' }).count()).toBe(0);
    expect(await board.getByRole('region', { name: 'Themenwünsche' }).count()).toBe(1);
    await item.getByRole('button', { name: 'Dafür stimmen' }).click();
    // The vote's own status (the address form after a vote has one of its own).
    await expectText(item.locator('.hi[role="status"]'), 'Deine Stimme ist gezählt.');
    await screenshot(tab, 'round-two-wishes');
    expect((await axe(tab)).violations).toEqual([]);
    await tab.close();
  });
});
