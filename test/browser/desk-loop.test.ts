/**
 * The whole loop at the desk in Chromium, mails included (the notifier runs from the table's
 * stream and writes into the outbox): she answers a reader as the author and the widget marks her
 * reply; a reader wishes a topic and confirms her address through the outbox, the author plans
 * and marks it written with the article's address, the article credits the wisher, and the
 * wisher's "written" mail lands in the outbox; a wish entered by hand links its credit.
 */
import type { Page } from 'playwright-core';
import {
  apiCall,
  type BrowserWorld,
  describeInBrowser,
  expectText,
  placeElement,
  screenshot,
  seedComment,
  startWorld,
  waitForMail,
} from './support';

const POST = '/posts/schwierigste-kundin';
const ARTICLE = '/posts/newsletter-ohne-angst';

describeInBrowser('the desk’s loop in Chromium', () => {
  let world: BrowserWorld;
  let desk: Page;

  beforeAll(async () => {
    world = await startWorld({ MODERATION: 'first-time' }, { mail: true });
    // She logs in as she would: the link from the outbox, then the button on its page.
    desk = await world.open('/desk/login');
    await desk.getByLabel('E-Mail-Adresse').fill('autorin@localhost');
    await desk.getByRole('button', { name: 'Link schicken' }).click();
    await desk.getByText('ist der Link unterwegs').waitFor();
    const mail = await waitForMail(world.stack, 'Anmelde-Link');
    await desk.goto(/https?:\/\/\S+\/desk\/login\/confirm\?t=\S+/.exec(mail.text)![0]);
    await desk.getByRole('button', { name: 'Anmelden' }).click();
    await desk.getByRole('heading', { name: 'Eingang', level: 1 }).waitFor();
  }, 90_000);
  afterAll(() => world?.close());

  it('answers a reader as the author, and the widget on the post marks the reply', async () => {
    const id = await seedComment(world.stack, {
      page: POST,
      name: 'Doris Fragt',
      text: 'Wie formuliere ich die dritte Frage, ohne unhöflich zu sein?',
    });
    await desk.goto(`${world.stack.url}/desk/comments/${id}`);
    await desk
      .getByLabel('Deine öffentliche Antwort')
      .fill('Am besten als Einladung: „Was wäre für Sie ein gutes Ergebnis?“');
    await desk.getByRole('button', { name: 'Als Autorin antworten' }).click();
    await desk.getByText('Deine Antwort ist veröffentlicht.').waitFor();
    // The opened comment shows her reply underneath, visible.
    const under = desk.locator('section', { has: desk.getByRole('heading', { name: 'Antworten darauf' }) });
    await under.getByText('Am besten als Einladung', { exact: false }).waitFor();
    await under.getByText('Freigegeben', { exact: false }).waitFor();
    await screenshot(desk, 'desk-comment-replies');

    const post = await world.open(POST);
    const widget = post.locator('leserpost-comments');
    const reply = widget.locator('.bd').filter({ hasText: 'Am besten als Einladung' });
    await reply.waitFor();
    await expectText(reply.locator('.au'), 'Autorin');
    // A reader who types her name gets no mark.
    expect(await widget.locator('.au').count()).toBe(1);
    await screenshot(post, 'author-reply-in-widget');
    await post.close();
  });

  it('takes a wish from the reader to the article: plan, written, credit, and the wisher’s mail', async () => {
    const topic = 'Wie schreibe ich einen Newsletter, den man gern liest?';
    await apiCall(world.stack, 'POST', '/wishes', {
      topic,
      displayName: 'Hanna',
      showName: true,
      email: 'hanna@example.org',
      notifyWhenWritten: true,
      consent: true,
    });
    // Double opt-in: the confirmation mail goes to her, she opens the link and confirms.
    const confirmation = await waitForMail(world.stack, 'Bitte bestätige deine E-Mail-Adresse');
    expect(confirmation.to).toContain('hanna@example.org');
    const reader = await world.otherReader();
    const confirmTab = await reader.newPage();
    await confirmTab.goto(/https?:\/\/\S+\/readers\/confirm\?t=\S+/.exec(confirmation.text)![0]);
    await confirmTab.getByRole('button', { name: 'Ja, bestätigen' }).click();
    await confirmTab.waitForURL((url) => url.search === '');
    expect(await confirmTab.locator('body').textContent()).toContain('Danke! Deine Adresse ist bestätigt.');

    await desk.goto(`${world.stack.url}/desk/wishes`);
    await desk.getByRole('article', { name: topic }).getByRole('button', { name: 'Einplanen' }).click();
    await desk.getByText('Erledigt.').waitFor();
    await desk.getByRole('link', { name: 'Geplant' }).click();
    const planned = desk.getByRole('article', { name: topic });
    await planned.getByLabel('Adresse des Artikels').fill(`${world.stack.url}${ARTICLE}`);
    await planned.getByRole('button', { name: 'Als geschrieben markieren' }).click();
    await desk.getByText('Erledigt.').waitFor();
    await desk.getByRole('link', { name: 'Geschrieben' }).click();
    await desk.getByRole('article', { name: topic }).waitFor();

    const article = await world.open(ARTICLE);
    await expectText(
      article.locator('leserpost-wish-credit p'),
      'Dieses Thema wünschte sich Hanna – 0 Stimmen',
    );
    await article.close();

    const written = await waitForMail(world.stack, 'Dein Themenwunsch ist erschienen');
    expect(written.to).toContain('hanna@example.org');
    expect(written.subject).toContain(topic);
    expect(written.text).toContain(`${world.stack.url}${ARTICLE}`);
  });

  it('credits a wish entered by hand with the link she gave', async () => {
    const topic = 'Preise nennen, ohne sich zu entschuldigen';
    await desk.goto(`${world.stack.url}/desk/wishes?status=new`);
    await desk.getByText('Wunsch von Hand eintragen').click();
    await desk.getByLabel('Thema', { exact: true }).fill(topic);
    await desk.getByLabel('Angezeigter Name (freiwillig)').fill('Coach Bettina');
    await desk.getByLabel('Link für den Dank (optional)').fill('https://coach-bettina.example/');
    await screenshot(desk, 'desk-wish-by-hand');
    await desk.getByRole('button', { name: 'Eintragen' }).click();
    await desk.getByText('Erledigt.').waitFor();
    const wish = desk.getByRole('article', { name: topic });
    await wish.getByLabel('Adresse des Artikels').fill(`${world.stack.url}/posts/preise-nennen`);
    await wish.getByRole('button', { name: 'Als geschrieben markieren' }).click();
    await desk.getByText('Erledigt.').waitFor();

    // The credit element on the article's page (here placed with its page attribute).
    const article = await world.open(ARTICLE);
    const placed = await placeElement(article, 'leserpost-wish-credit', 'hand', {
      page: '/posts/preise-nennen',
    });
    const credit = placed.locator('p');
    await expectText(credit, 'Dieses Thema wünschte sich Coach Bettina – 0 Stimmen');
    const link = credit.getByRole('link', { name: 'Coach Bettina' });
    expect(await link.getAttribute('href')).toBe('https://coach-bettina.example/');
    expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
    await screenshot(article, 'wish-credit-hand-link');
    await article.close();
  });
});
